// An upload job: what the queue persists, and what it shows.

export type UploadJobState = 'queued' | 'uploading' | 'verifying' | 'done' | 'failed' | 'cancelled';
export const finishedStates: ReadonlySet<UploadJobState> = new Set(['done', 'failed', 'cancelled']);

/**
 * How far the server side got, for resuming after a crash (see queue-store.ts for every crash point):
 * - pending: nothing created on Frame.io by this job yet;
 * - creating: a create call (local/remote_upload) may have reached Frame.io, its file id is unknown;
 * - parts: the placeholder `fileId` exists; its bytes may not all have landed;
 * - status: every part landed (or the remote upload was accepted); only waiting/verifying is left.
 */
export type UploadStep = 'pending' | 'creating' | 'parts' | 'status';

/** How a job's file was placed in its shot's version stack (kept on the job, shown by the commands and the console). */
export type JobStack = {
	state: 'stacked' | 'refused' | 'failed';
	stackId?: string;
	/** The version right below this file in the stack (`v001`); absent when the file is the stack's oldest. */
	on?: string;
	/** The stack's head (`v003`). */
	head?: string;
	/** This upload created the stack. */
	created?: boolean;
	/** Why the file stays loose (refused, failed). */
	reason?: string;
};

export type UploadJob = {
	id: string;
	kind: 'local' | 'remote';
	name: string;
	/** Local file (local uploads). */
	path?: string;
	/** URL Frame.io fetches (remote uploads). */
	sourceUrl?: string;
	/** Bytes: the local file's size, or for a remote upload the size Frame.io reports once done (0 before). */
	size: number;
	targetFolderId?: string;
	/** The caller's data to find the target folder (e.g. scene and shot), handed to resolveFolder. */
	target?: Record<string, string>;
	/** Made up by the in-process sandbox's demo, not by a user. */
	origin?: 'demo';
	state: UploadJobState;
	step: UploadStep;
	fileId?: string;
	/** Remote uploads: the status link Frame.io gave. */
	statusLink?: string;
	/** When the current create call started (ISO): placeholders named like this job and newer than it are ours. */
	creatingSince?: string;
	/** Placeholders of earlier runs that still have to be deleted. */
	staleFileIds: string[];
	partsDone: number;
	partsTotal: number;
	bytesDone: number;
	retries: number;
	error?: string;
	viewUrl?: string;
	mediaType?: string;
	addedAt: string;
	startedAt?: string;
	finishedAt?: string;
	/** How many times this job was started (1 on the first run). */
	runs: number;
	/** Where the landed file went in its shot's version stack (uploads.version_stacking); absent when not stacked. */
	stack?: JobStack;
};

/** A job as listeners and the console see it: a copy, with rates. */
export type UploadJobSnapshot = Readonly<
	Omit<UploadJob, 'staleFileIds' | 'creatingSince' | 'statusLink' | 'target'> & {
		target?: Readonly<Record<string, string>>;
		percent: number;
		/** Part requests on the wire right now. */
		partsInFlight: number;
		/** Bytes per second (EWMA), 0 when idle. */
		speed: number;
		/** Seconds left; null when unknown. */
		eta: number | null;
	}
>;

export type UploadTotals = {
	files: number;
	queued: number;
	uploading: number;
	verifying: number;
	done: number;
	failed: number;
	cancelled: number;
	/** Of the jobs not cancelled. */
	bytesDone: number;
	bytesTotal: number;
	percent: number;
	speed: number;
	eta: number | null;
	partsDone: number;
	partsTotal: number;
	retries: number;
	paused: boolean;
};

export type UploadQueueSnapshot = {jobs: UploadJobSnapshot[]; total: UploadTotals};

export function percentOf(done: number, total: number): number {
	if (total <= 0) return 0;
	return Math.min(100, (done / total) * 100);
}
