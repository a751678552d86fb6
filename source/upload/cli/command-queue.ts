// The queue of the upload commands: the persisted one in the profile's state dir (upload, watch: a kill -9 is
// resumed by the next start), or an in-memory one (test-upload: never in the way of a running console's queue);
// plus the graceful stop they share.
import type {UploadJobSnapshot} from '../job.js';
import {uploadApiFromClient} from '../client-adapter.js';
import type {UploadApi} from '../upload-api.js';
import {UploadQueue} from '../upload-queue.js';
import {uploadSettingsFrom} from '../upload-settings.js';
import type {UploadContext} from './command-context.js';
import type {Interrupts} from './interrupt.js';
import type {JobTarget} from './upload-session.js';

const QUEUE_HELD_NOTE = 'the upload queue is held by another frameio-admin process (or one that just stopped); waiting for it…';

/** How long to wait for the queue's lock: a process killed a moment ago holds it until it goes stale (10 s). */
export const LOCK_WAIT_MS = 15_000;

export type CommandQueueOptions = {
	/**
	 * Persist in the profile's state dir. Default: yes, except on the in-process sandbox (--sandbox), which lives and
	 * dies with this process: its folders and files would not exist for a resumed job.
	 */
	persist?: boolean;
	/** --parallel: files at once (default: max_concurrent_uploads). */
	parallel?: number;
	/** Where to say that the lock is still held after a second (another process, or one that just died). */
	note?: (text: string) => void;
};

export async function openCommandQueue(context: UploadContext, options: CommandQueueOptions = {}): Promise<UploadQueue> {
	const {runtime} = context;
	const persist = options.persist ?? runtime.target.kind !== 'sandbox';
	const note = options.note;
	const timer = persist && note ? setTimeout(() => note(QUEUE_HELD_NOTE), 1000) : undefined;
	try {
		return await UploadQueue.open({
			api: forgettingListings(uploadApiFromClient(runtime.client), context),
			accountId: context.accountId,
			settings: uploadSettingsFrom(runtime.config.optimization, options.parallel ? {maxConcurrentUploads: options.parallel} : {}),
			stateDir: persist ? runtime.profileStateDir : undefined,
			bus: runtime.bus,
			logger: runtime.logging.get('frameio.upload'),
			resolveFolder: job => resolveJobFolder(context, job),
			// Paused: the command subscribes and adopts the resumed jobs before anything runs.
			paused: true,
			lockWaitMs: LOCK_WAIT_MS,
		});
	} finally {
		if (timer) clearTimeout(timer);
	}
}

/**
 * A new file changes its folder's listing and the project's scene/shot counts: both are dropped from the cache as
 * soon as the file exists, so that `structure`, the console's Structure tab and `watch`'s "already uploaded" check
 * see it without waiting for cache_ttl.
 */
function forgettingListings(api: UploadApi, context: UploadContext): UploadApi {
	const forget = (folderId: string) => {
		const projectId = context.target.has('projectId') ? context.target.projectId() : undefined;
		context.runtime.cache.invalidateFolder(folderId, projectId);
	};
	return {
		...api,
		async localUpload(accountId, folderId, body) {
			const file = await api.localUpload(accountId, folderId, body);
			forget(folderId);
			return file;
		},
		async remoteUpload(accountId, folderId, body) {
			const answer = await api.remoteUpload(accountId, folderId, body);
			forget(folderId);
			return answer;
		},
	};
}

/** What a job carries to find its folder again after a restart. */
export function jobTarget(context: UploadContext, folderPath: readonly string[]): JobTarget {
	return {folder: folderPath.join('/'), root: context.rootFolderId, account: context.accountId};
}

async function resolveJobFolder(context: UploadContext, job: UploadJobSnapshot): Promise<string> {
	const target = job.target;
	if (!target?.folder) throw new Error('the job has no target folder path');
	if (target.account && target.account !== context.accountId) {
		throw new Error(`queued for account ${target.account}, but this run works on account ${context.accountId}: run with --account-id ${target.account} to finish it`);
	}
	return context.folders.resolve(target.folder.split('/'), target.root || context.rootFolderId);
}

/**
 * The first Ctrl-C: no new file and no new part starts, the parts in flight get a moment to land (a second Ctrl-C
 * cuts it short), then the running jobs are stopped and saved as they stand: the next start resumes them.
 */
export async function stopGracefully(queue: UploadQueue, interrupts: Interrupts, graceMs = 2000): Promise<void> {
	queue.pause();
	const deadline = Date.now() + graceMs;
	let cut = false;
	void interrupts.second.then(() => (cut = true));
	while (!cut && Date.now() < deadline) {
		const inFlight = queue.snapshot().jobs.reduce((sum, job) => sum + job.partsInFlight, 0);
		if (inFlight === 0) break;
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	await queue.close({graceMs: cut ? 500 : 3000});
}
