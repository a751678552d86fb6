// Runs one job to the end: local upload (create, parts, status, size) or remote upload (create, status), resuming
// from whatever step a previous run reached (see queue-store.ts for the crash cases).
import {stat} from 'node:fs/promises';
import type {Logger} from 'pino';
import type {UploadJob} from './job.js';
import {JobError} from './job-errors.js';
import type {PauseGate} from './pause-gate.js';
import type {PartTransport} from './part-put.js';
import {PartPlanError, planRanges} from './part-ranges.js';
import {uploadParts} from './part-uploader.js';
import {UploadVerifyError, waitForTranscoded, waitForUploadComplete, type PollOptions} from './status-poller.js';
import {errorMessage, errorStatus, type UploadApi} from './upload-api.js';
import type {UploadSettings} from './upload-settings.js';

/** A placeholder whose server clock runs this far ahead of ours still counts as created by our create call. */
const CLOCK_SKEW_MS = 120_000;

export type RunContext = {
	api: UploadApi;
	accountId: string;
	settings: UploadSettings;
	transport: PartTransport;
	gate: PauseGate;
	logger?: Logger;
	random?: () => number;
	/** Finds the target folder when the job has none yet. */
	resolveFolder?: (job: UploadJob) => Promise<string>;
	/** Something changed that the user sees (state: at once; progress: coalesced). */
	changed(kind: 'state' | 'progress'): void;
	/** Writes the queue file and waits for it: called before and after every server-side effect. */
	persistNow(): Promise<void>;
	/** Bytes sent for this job (negative when a failed attempt's bytes are taken back). */
	onBytes(delta: number): void;
	/** Part requests of this job on the wire (+1 started, -1 ended). */
	onPartsInFlight(delta: 1 | -1): void;
};

export async function runJob(job: UploadJob, context: RunContext, signal: AbortSignal): Promise<void> {
	const folderId = await targetFolder(job, context);
	await deleteStalePlaceholders(job, context);
	if (job.step === 'creating' && !job.fileId) await sweepOrphans(job, folderId, context);
	if (job.kind === 'local') await runLocal(job, folderId, context, signal);
	else await runRemote(job, folderId, context, signal);
}

async function targetFolder(job: UploadJob, context: RunContext): Promise<string> {
	if (job.targetFolderId) return job.targetFolderId;
	if (!context.resolveFolder) throw new JobError('no target folder: the job has none and the queue has no resolveFolder');
	try {
		job.targetFolderId = await context.resolveFolder(job);
	} catch (error) {
		throw new JobError(`cannot find or create the target folder: ${errorMessage(error)}`);
	}
	await context.persistNow();
	return job.targetFolderId;
}

async function runLocal(job: UploadJob, folderId: string, context: RunContext, signal: AbortSignal): Promise<void> {
	const path = job.path;
	if (!path) throw new JobError('a local upload without a path');
	if (job.fileId) {
		// A placeholder from an earlier run: its bytes all landed (verify it, against the size it was sent with; the
		// local file is not needed any more) or it is broken (delete it, upload again).
		if (job.step === 'status') return verify(job, context, signal);
		if (await isComplete(job, context)) {
			job.step = 'status';
			await context.persistNow();
			return verify(job, context, signal);
		}
		await discardPlaceholder(job, context);
	}
	const before = await statFile(path);
	job.size = before.size;

	await context.gate.wait(signal);
	job.partsDone = 0;
	job.bytesDone = 0;
	const created = await create(job, context, signal, () =>
		context.api.localUpload(context.accountId, folderId, {name: job.name, file_size: before.size}),
	);
	job.mediaType = created.media_type;
	job.viewUrl = created.view_url;
	job.partsTotal = Array.isArray(created.upload_urls) ? created.upload_urls.length : 0;
	context.changed('state');

	let ranges;
	try {
		ranges = planRanges(created.upload_urls, before.size);
	} catch (error) {
		if (error instanceof PartPlanError) throw new JobError(`cannot upload: ${error.message}`);
		throw error;
	}
	context.logger?.info(
		{id: job.id, name: job.name, bytes: before.size, parts: ranges.length, fileId: job.fileId, folderId},
		`upload start: ${job.name} (${before.size} bytes, ${ranges.length} part${ranges.length === 1 ? '' : 's'})`,
	);
	await uploadParts({
		path,
		mediaType: created.media_type,
		ranges,
		concurrency: context.settings.partsConcurrency,
		timeoutMs: context.settings.partTimeoutMs,
		readBufferBytes: context.settings.readBufferBytes,
		retry: context.settings.retry,
		transport: context.transport,
		gate: context.gate,
		signal,
		logger: context.logger,
		random: context.random,
		progress: {
			onBytes: delta => context.onBytes(delta),
			onInFlight: delta => context.onPartsInFlight(delta),
			onPartDone: () => {
				job.partsDone++;
				context.changed('progress');
			},
			onRetry: () => {
				job.retries++;
				context.changed('progress');
			},
		},
	});
	const after = await statFile(path);
	if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
		throw new JobError('the file changed while it was uploading; retry once it is complete');
	}
	job.step = 'status';
	await context.persistNow();
	await verify(job, context, signal);
}

async function runRemote(job: UploadJob, folderId: string, context: RunContext, signal: AbortSignal): Promise<void> {
	const sourceUrl = job.sourceUrl;
	if (!sourceUrl) throw new JobError('a remote upload without a source URL');
	if (job.fileId) {
		// Frame.io is fetching (or fetched) the source on its own: there is nothing to send again, only to wait.
		job.step = 'status';
		return verify(job, context, signal);
	}
	await context.gate.wait(signal);
	const envelope = await create(job, context, signal, async () => {
		const answer = await context.api.remoteUpload(context.accountId, folderId, {name: job.name, source_url: sourceUrl});
		return {...answer.data, statusLink: answer.links?.status};
	});
	job.statusLink = envelope.statusLink;
	job.mediaType = envelope.media_type;
	job.viewUrl = envelope.view_url;
	job.step = 'status';
	await context.persistNow();
	context.logger?.info({id: job.id, name: job.name, fileId: job.fileId, folderId}, `remote upload accepted: ${job.name}`);
	await verify(job, context, signal);
}

/** The create call, bracketed by durable writes: "creating" before it leaves, the file id as soon as it answers. */
async function create<T extends {id: string}>(job: UploadJob, context: RunContext, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
	if (signal.aborted) throw signal.reason;
	job.step = 'creating';
	job.creatingSince = new Date().toISOString();
	await context.persistNow();
	let created: T;
	try {
		created = await call();
	} catch (error) {
		throw new JobError(`cannot create the file on Frame.io: ${errorMessage(error)}`);
	}
	job.fileId = created.id;
	job.step = 'parts';
	job.creatingSince = undefined;
	await context.persistNow();
	// A cancel during the call: the placeholder now has an id, so the caller can delete it.
	if (signal.aborted) throw signal.reason;
	return created;
}

async function verify(job: UploadJob, context: RunContext, signal: AbortSignal): Promise<void> {
	// A cancel that came in meanwhile has already set the state: do not overwrite it.
	if (signal.aborted) throw signal.reason;
	const fileId = job.fileId!;
	job.state = 'verifying';
	if (job.kind === 'local') job.bytesDone = job.size;
	context.changed('state');
	const poll: PollOptions = {
		poll: context.settings.poll,
		deadlineMs: context.settings.statusDeadlineMs,
		signal,
		onTransientError: () => {
			job.retries++;
			context.changed('progress');
		},
	};
	const link = job.statusLink;
	await waitForUploadComplete(
		() => (link ? context.api.uploadStatusByLink(link) : context.api.fileStatus(context.accountId, fileId)),
		poll,
	);
	let file = await context.api.file(context.accountId, fileId);
	if (job.kind === 'local' && file.file_size !== job.size) {
		throw new JobError(`size mismatch: Frame.io has ${file.file_size} bytes, the local file ${job.size}`);
	}
	if (job.kind === 'remote') {
		job.size = file.file_size;
		job.bytesDone = file.file_size;
	}
	if (context.settings.waitForTranscode && file.status !== 'transcoded') {
		file = await waitForTranscoded(() => context.api.file(context.accountId, fileId), poll);
	}
	job.viewUrl = file.view_url;
	job.mediaType = file.media_type;
}

async function isComplete(job: UploadJob, context: RunContext): Promise<boolean> {
	try {
		const status = await context.api.fileStatus(context.accountId, job.fileId!);
		return status.upload_complete && !status.upload_failed;
	} catch (error) {
		if (errorStatus(error) === 404) {
			job.fileId = undefined;
			return false;
		}
		throw error;
	}
}

/**
 * Deletes the job's placeholder (a broken or abandoned one). A delete that fails is remembered in staleFileIds and
 * tried again on the next run or start, so the job can go on.
 */
export async function discardPlaceholder(job: UploadJob, context: Pick<RunContext, 'api' | 'accountId' | 'logger' | 'persistNow'>): Promise<void> {
	const fileId = job.fileId;
	if (!fileId) return;
	job.fileId = undefined;
	job.statusLink = undefined;
	job.step = 'pending';
	job.partsDone = 0;
	job.bytesDone = 0;
	try {
		await deleteFile(fileId, context);
		context.logger?.info({id: job.id, name: job.name, fileId}, `deleted the placeholder of ${job.name}`);
	} catch (error) {
		job.staleFileIds.push(fileId);
		context.logger?.warn({id: job.id, name: job.name, fileId, err: error}, `cannot delete the placeholder of ${job.name} yet: ${errorMessage(error)}`);
	}
	await context.persistNow();
}

export async function deleteStalePlaceholders(job: UploadJob, context: Pick<RunContext, 'api' | 'accountId' | 'logger' | 'persistNow'>): Promise<void> {
	if (job.staleFileIds.length === 0) return;
	const left: string[] = [];
	for (const fileId of job.staleFileIds) {
		try {
			await deleteFile(fileId, context);
		} catch (error) {
			left.push(fileId);
			context.logger?.warn({id: job.id, fileId, err: error}, `cannot delete a stale placeholder of ${job.name}: ${errorMessage(error)}`);
		}
	}
	job.staleFileIds = left;
	await context.persistNow();
}

async function deleteFile(fileId: string, context: Pick<RunContext, 'api' | 'accountId'>): Promise<void> {
	try {
		await context.api.deleteFile(context.accountId, fileId);
	} catch (error) {
		if (errorStatus(error) !== 404) throw error; // already gone is what we wanted
	}
}

/**
 * After a failure: a placeholder without all its bytes (or one Frame.io failed) would stay a broken asset, so it is
 * deleted; one whose bytes all landed is kept (a retry only has to verify it). A create call that failed may still
 * have created a file whose id we never saw: it is looked for and deleted.
 */
export async function cleanupFailed(job: UploadJob, context: RunContext, error: unknown): Promise<void> {
	try {
		const broken = job.step !== 'status' || (error instanceof UploadVerifyError && error.serverFailed);
		if (job.fileId && broken) await discardPlaceholder(job, context);
		else if (!job.fileId && job.step === 'creating' && job.targetFolderId) await sweepOrphans(job, job.targetFolderId, context);
	} catch (cleanupError) {
		// Left for the retry (or the next start): the step still says what to look for.
		context.logger?.warn({id: job.id, name: job.name, err: cleanupError}, `cleanup after the failure of ${job.name} incomplete: ${errorMessage(cleanupError)}`);
	}
}

/** Everything a job may have left on Frame.io, removed: for a cancel of a job that is not running. */
export async function cleanupForCancel(job: UploadJob, context: RunContext): Promise<void> {
	await deleteStalePlaceholders(job, context);
	if (job.step === 'creating' && !job.fileId && job.targetFolderId) await sweepOrphans(job, job.targetFolderId, context);
	await discardPlaceholder(job, context);
}

/** Case 2 of queue-store.ts: a create call whose answer we never saw may have left a placeholder. */
async function sweepOrphans(job: UploadJob, folderId: string, context: RunContext): Promise<void> {
	const since = job.creatingSince ? Date.parse(job.creatingSince) - CLOCK_SKEW_MS : Number.NaN;
	if (Number.isNaN(since)) return;
	const files = await context.api.folderFiles(context.accountId, folderId);
	for (const file of files) {
		if (file.name !== job.name || file.status !== 'created' || Date.parse(file.created_at) < since) continue;
		await deleteFile(file.id, context);
		context.logger?.info({id: job.id, name: job.name, fileId: file.id}, `deleted a placeholder a crash left behind: ${job.name}`);
	}
	job.step = 'pending';
	job.creatingSince = undefined;
	await context.persistNow();
}

async function statFile(path: string): Promise<{size: number; mtimeMs: number}> {
	let info;
	try {
		info = await stat(path);
	} catch (error) {
		throw new JobError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
	}
	if (!info.isFile()) throw new JobError(`${path} is not a regular file`);
	if (info.size < 1) throw new JobError(`${path} is empty: Frame.io needs at least 1 byte`);
	return {size: info.size, mtimeMs: info.mtimeMs};
}

