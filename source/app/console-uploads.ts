// The console's Uploads tab: the box's upload queue when the console can hold it, or, when `watch` or `upload` holds
// it on this state dir (one process at a time: queue-store.ts), that process's uploads as it reports them
// (held-queue.ts), read-only, instead of refusing to start. The in-process sandbox's queue lives in memory.
import {isProcessAlive} from '../upload/process-alive.js';
import {QueueLockedError, UploadInputError, type UploadQueue} from '../upload/index.js';
import {LIVE_REPORT_STALE_MS, readLiveReport} from '../upload/live-report.js';
import {planLocalAdd, type SceneShot} from '../upload/local-add.js';
import type {UploadAddResult, UploadQueueSnapshot, UploadsSource} from '../store/ports.js';
import {isActive} from '../store/uploads-slice.js';
import {followHeldQueue} from './held-queue.js';
import {openUploadQueue, type UploadGraph} from './upload-graph.js';

export type ConsoleUploads = {
	source: UploadsSource;
	/** This process's own queue; null when another process holds the box's (its uploads are its own to count). */
	queue: UploadQueue | null;
	close(): Promise<void>;
};

/**
 * Opens the queue, or follows the holder's: at once when the holder reports itself live, else after waiting for
 * its lock as the upload commands do (a holder that just died leaves a lock that goes stale).
 */
export async function openConsoleUploads(context: UploadGraph, options: {sandbox: boolean; readonly: boolean; note?: string}): Promise<ConsoleUploads> {
	const stateDir = context.app.profileStateDir;
	if (!options.sandbox && (await liveHolder(stateDir))) return followed(stateDir);
	let queue: UploadQueue;
	try {
		queue = await openUploadQueue(context, {persist: !options.sandbox, role: options.sandbox ? undefined : 'console', sweep: 'background'});
	} catch (error) {
		if (error instanceof QueueLockedError) return followed(stateDir);
		throw error;
	}
	queue.resume();
	return {
		source: uploadsSource(context, queue, options.readonly, options.note),
		queue,
		// Running jobs are saved as they stand: the next start resumes them.
		close: () => queue.close({graceMs: 1500}).catch(() => undefined),
	};
}

async function liveHolder(stateDir: string): Promise<boolean> {
	const report = await readLiveReport(stateDir).catch(() => null);
	return report !== null && report.pid !== process.pid && Date.now() - report.at < LIVE_REPORT_STALE_MS && isProcessAlive(report.pid);
}

async function followed(stateDir: string): Promise<ConsoleUploads> {
	const held = followHeldQueue(stateDir);
	await held.ready;
	return {
		source: held,
		queue: null,
		close: async () => held.stop(),
	};
}

/** The console has no flags: a refused scene/shot folder is created by the CLI. */
const CREATE_FOLDERS_HINT = 'the console does not create it; frameio-admin upload FILE --scene SCENE --shot SHOT --create-folders does';

/**
 * Queues a local file as typed into the folder its name maps to (the nomenclature), or into the scene/shot given
 * for it, as the upload command does: the file is checked first, and a scene or shot folder it would create must
 * fit the layout (FolderGuard).
 */
export async function addUpload(context: UploadGraph, queue: UploadQueue, input: string, folder?: SceneShot, origin?: 'demo'): Promise<UploadAddResult> {
	const plan = planLocalAdd(input, context.app.nomenclature, folder);
	if (plan.folderPath === null) return {queued: false, name: plan.name, reason: plan.reason};
	const verdict = await context.folderGuard().check(plan.folderPath, CREATE_FOLDERS_HINT);
	if (!verdict.ok) throw new UploadInputError(verdict.message);
	queue.add({path: plan.path, target: context.jobTarget(plan.folderPath), origin});
	return {queued: true, name: plan.name, folder: plan.folderPath.join('/')};
}

export const activeCount = (snapshot: UploadQueueSnapshot): number => snapshot.jobs.filter(isActive).length;

/**
 * --readonly is kept here too, not only by the keys: nothing the console does adds an upload, retries, or cancels
 * one (a cancel deletes the placeholder on Frame.io).
 */
function uploadsSource(context: UploadGraph, queue: UploadQueue, readonly: boolean, note?: string): UploadsSource {
	const writable = () => {
		if (readonly) throw new UploadInputError('read-only mode (--readonly): uploads cannot be added, retried or cancelled');
	};
	return {
		...(note ? {note} : {}),
		snapshot: () => queue.snapshot(),
		onChange: listener => queue.on(() => listener()),
		add: async (input, folder) => {
			writable();
			return addUpload(context, queue, input, folder);
		},
		pause: () => queue.pause(),
		resume: () => queue.resume(),
		cancel: async id => {
			writable();
			await queue.cancel(id);
		},
		retryFailed: async () => {
			writable();
			return queue.retryFailed();
		},
	};
}
