// Runs one job to the end: local upload (create, parts, status, size) or remote upload (create, status), resuming
// from whatever step a previous run reached (see queue-store.ts for the crash cases).
import {stat} from 'node:fs/promises';
import type {Logger} from 'pino';
import type {FileWithUploadUrls} from '../frameio/types.js';
import type {UploadJob} from './job.js';
import {JobError} from './job-errors.js';
import type {PauseGate} from './pause-gate.js';
import type {PartTransport} from './part-put.js';
import {PartPlanError, planRanges} from './part-ranges.js';
import {uploadParts} from './part-uploader.js';
import {UploadVerifyError, waitForTranscoded, waitForUploadComplete, type PollOptions} from './status-poller.js';
import {answerLost, errorMessage, errorStatus, type UploadApi} from './upload-api.js';
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
	/**
	 * The job's bytes are all in: it gives back its transfer slot (another file may start sending) and waits for a
	 * verify slot. Resolves with that slot's release; rejects if the signal aborts while it waits.
	 */
	beginVerify?(signal: AbortSignal): Promise<() => void>;
	/** A placeholder another job of this queue is uploading into: an orphan sweep must leave it alone. */
	claimedElsewhere?(fileId: string): boolean;
};

/**
 * A local job whose placeholder was created ahead (prepareJob), while other files were still sending: its transfer
 * can start the moment it gets a slot. The presigned URLs live only here, in memory.
 */
export type PreparedLocal = {folderId: string; created: FileWithUploadUrls; before: {size: number; mtimeMs: number}; at: number};

/** A placeholder created ahead but not used within this long is replaced: its presigned URLs may have expired. */
export const PREPARED_MAX_AGE_MS = 15 * 60_000;

/** Whether prepareJob applies: a local job that has nothing on Frame.io yet (or only an unanswered create). */
export function canPrepare(job: UploadJob): boolean {
	return job.kind === 'local' && !job.fileId && job.staleFileIds.length === 0 && (job.step === 'pending' || job.step === 'creating');
}

/**
 * Everything of a local job up to and including its create call, for a job still queued behind others: the target
 * folder, an earlier run's unanswered create swept, the file's size read, the placeholder created (and persisted,
 * as in a run). runJob(…, prepared) then goes straight to the parts.
 */
export async function prepareJob(job: UploadJob, context: RunContext, signal: AbortSignal): Promise<PreparedLocal> {
	const folderId = await targetFolder(job, context);
	if (job.step === 'creating' && !job.fileId) await sweepOrphans(job, folderId, context);
	return createLocal(job, folderId, context, signal);
}

export async function runJob(job: UploadJob, context: RunContext, signal: AbortSignal, prepared?: PreparedLocal): Promise<void> {
	if (prepared && job.fileId === prepared.created.id) {
		if (Date.now() - prepared.at <= PREPARED_MAX_AGE_MS) return sendLocal(job, prepared, context, signal);
		await discardPlaceholder(job, context);
	}
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
	await sendLocal(job, await createLocal(job, folderId, context, signal), context, signal);
}

async function createLocal(job: UploadJob, folderId: string, context: RunContext, signal: AbortSignal): Promise<PreparedLocal> {
	const path = job.path;
	if (!path) throw new JobError('a local upload without a path');
	const before = await statFile(path);
	job.size = before.size;

	await context.gate.wait(signal);
	job.partsDone = 0;
	job.bytesDone = 0;
	const created = await create(job, folderId, context, signal, () =>
		context.api.localUpload(context.accountId, folderId, {name: job.name, file_size: before.size}),
	);
	job.mediaType = created.media_type;
	job.viewUrl = created.view_url;
	job.partsTotal = Array.isArray(created.upload_urls) ? created.upload_urls.length : 0;
	context.changed('state');
	return {folderId, created, before, at: Date.now()};
}

async function sendLocal(job: UploadJob, prepared: PreparedLocal, context: RunContext, signal: AbortSignal): Promise<void> {
	const {created, before, folderId} = prepared;
	const path = job.path!;

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
	const envelope = await create(job, folderId, context, signal, async () => {
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

/**
 * The create call, bracketed by durable writes: "creating" before it leaves, the file id as soon as it answers.
 * The client does not retry a create that got no answer (it may have been done: a retry could make a duplicate).
 * Here, once: the placeholder it may have left is looked for and deleted (sweepOrphans), then the call goes again.
 */
async function create<T extends {id: string}>(job: UploadJob, folderId: string, context: RunContext, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
	let created: T;
	for (let attempt = 1; ; attempt++) {
		if (signal.aborted) throw signal.reason;
		job.step = 'creating';
		job.creatingSince = new Date().toISOString();
		await context.persistNow();
		try {
			created = await call();
			break;
		} catch (error) {
			if (attempt > 1 || signal.aborted || !answerLost(error)) throw new JobError(`cannot create the file on Frame.io: ${errorMessage(error)}`);
			context.logger?.warn(
				{id: job.id, name: job.name, folderId, err: error},
				`create of ${job.name} got no answer (${errorMessage(error)}): removing the placeholder it may have left, then creating again`,
			);
			try {
				await sweepOrphans(job, folderId, context);
			} catch (sweepError) {
				// The step stays "creating": the failure cleanup and the next run look again.
				throw new JobError(`cannot create the file on Frame.io: ${errorMessage(error)}; and cannot look for the placeholder it may have left: ${errorMessage(sweepError)}`);
			}
			job.retries++;
			context.changed('progress');
		}
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
	const release = context.beginVerify ? await context.beginVerify(signal) : () => {};
	try {
		await confirm(job, fileId, context, signal);
	} finally {
		release();
	}
}

/** Waits for Frame.io to say the upload is complete, checks the size, and optionally waits for the transcode. */
async function confirm(job: UploadJob, fileId: string, context: RunContext, signal: AbortSignal): Promise<void> {
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

/** What removing a job's leftovers needs: no transfer, no pause gate. */
type CleanupContext = Pick<RunContext, 'api' | 'accountId' | 'logger' | 'persistNow' | 'claimedElsewhere'>;

/**
 * A job of a one-off run that died (placeholder-journal.ts): what it left on Frame.io is removed, as for a cancel,
 * except a placeholder whose bytes are all in: the run was killed after its upload completed, and that file is kept.
 */
export async function cleanupAbandoned(job: UploadJob, context: CleanupContext): Promise<{removed: string[]; kept: boolean}> {
	const removed: string[] = [];
	for (const fileId of job.staleFileIds) {
		await deleteFile(fileId, context);
		removed.push(fileId);
	}
	job.staleFileIds = [];
	if (job.step === 'creating' && !job.fileId && job.targetFolderId) removed.push(...(await sweepOrphans(job, job.targetFolderId, context)));
	const fileId = job.fileId;
	if (!fileId) return {removed, kept: false};
	try {
		if ((await context.api.fileStatus(context.accountId, fileId)).upload_complete) return {removed, kept: true};
	} catch (error) {
		if (errorStatus(error) === 404) return {removed, kept: false};
		throw error;
	}
	await deleteFile(fileId, context);
	removed.push(fileId);
	context.logger?.info({id: job.id, name: job.name, fileId}, `deleted the placeholder an interrupted run left for ${job.name}`);
	return {removed, kept: false};
}

/**
 * Case 2 of queue-store.ts (a crash), or a create call that got no answer: that call may have left a placeholder
 * whose id we never saw. Every page of the folder is read; a file with the job's name, created since just before
 * the call (minus clock skew), still a placeholder (status "created", and its status call does not say complete)
 * and not another job's of this queue, is ours and is deleted. A file whose bytes are all in is never deleted.
 * Returns the ids deleted.
 */
async function sweepOrphans(job: UploadJob, folderId: string, context: CleanupContext): Promise<string[]> {
	const since = job.creatingSince ? Date.parse(job.creatingSince) - CLOCK_SKEW_MS : Number.NaN;
	if (Number.isNaN(since)) return [];
	const files = await context.api.folderFiles(context.accountId, folderId);
	const removed: string[] = [];
	for (const file of files) {
		if (file.name !== job.name || file.status !== 'created' || !(Date.parse(file.created_at) >= since)) continue;
		if (file.id === job.fileId || context.claimedElsewhere?.(file.id)) continue;
		if (await bytesAllIn(file.id, context)) continue;
		await deleteFile(file.id, context);
		removed.push(file.id);
		context.logger?.info({id: job.id, name: job.name, fileId: file.id}, `deleted an orphaned placeholder of ${job.name} (a create call whose answer was lost)`);
	}
	job.step = 'pending';
	job.creatingSince = undefined;
	await context.persistNow();
	return removed;
}

/** True when Frame.io says the file's upload is complete (or the file is gone): such a file is not an orphan to delete. */
async function bytesAllIn(fileId: string, context: Pick<RunContext, 'api' | 'accountId'>): Promise<boolean> {
	try {
		return (await context.api.fileStatus(context.accountId, fileId)).upload_complete;
	} catch (error) {
		if (errorStatus(error) === 404) return true;
		throw error;
	}
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

