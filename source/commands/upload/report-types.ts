// What the upload commands report, whatever the output form (live TTY view, plain lines, NDJSON).
import type {JobStack, UploadJobSnapshot, UploadTotals} from '../../upload/job.js';

/** A job entering this run: added now, or resumed from a previous run's queue. */
export type QueuedView = {
	id: string;
	name: string;
	path?: string;
	size: number;
	folderPath?: string;
	resumed: boolean;
};

/** A job that reached an end state in this run. */
export type FinishedView = {
	id: string;
	name: string;
	state: 'done' | 'failed' | 'cancelled';
	size: number;
	fileId?: string;
	viewUrl?: string;
	folderId?: string;
	folderPath?: string;
	/** Bytes this run sent, its seconds and MB/s (the figures the report reads from the logs). */
	bytesSent: number;
	seconds: number;
	mbps: number;
	retries: number;
	reason?: string;
	/** Where the landed file went in its shot's version stack (uploads.version_stacking). */
	stack?: JobStack;
};

/** A file not queued at all: its name maps to no folder, --strict-names refused it, the target is unusable. */
export type Refusal = {name: string; path?: string; reason: string; examples?: string[]};

/** A file not queued because it is already there (watch), or already uploaded by a previous run of the queue. */
export type Skip = {name: string; path?: string; reason: string; fileId?: string; folderPath?: string};

export type RunSummary = {
	/** Jobs this run handled: queued now or resumed. */
	files: number;
	done: number;
	failed: number;
	cancelled: number;
	/** Not finished (interrupted). */
	pending: number;
	refused: number;
	skipped: number;
	/** Bytes sent this run. */
	bytes: number;
	seconds: number;
	mbps: number;
	interrupted: boolean;
};

/** What the periodic views read: this run's jobs and their totals. */
export type SessionSnapshot = {jobs: UploadJobSnapshot[]; total: UploadTotals; elapsedMs: number};

export interface UploadReporter {
	/** Starts the periodic output (summary lines, the live view); `read` gives the current state. */
	start(read: () => SessionSnapshot): void;
	note(message: string): void;
	queued(job: QueuedView): void;
	progress(job: UploadJobSnapshot): void;
	finished(job: FinishedView): void;
	refused(refusal: Refusal): void;
	skipped(skip: Skip): void;
	summary(summary: RunSummary): void;
	/** Stops the periodic output (and restores the terminal line). */
	stop(): void;
}
