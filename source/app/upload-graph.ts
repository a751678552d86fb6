// What the upload commands and the console's Uploads tab open on top of the App: the target account and root folder,
// the folder resolver (find-or-create of the layout's paths, once per process), and the upload queue wired to them.
import path from 'node:path';
import {FrameioError} from '../frameio/errors.js';
import {FolderGuard} from '../upload/folder-guard.js';
import {FolderResolver} from '../upload/folder-resolver.js';
import type {UploadJobSnapshot} from '../upload/job.js';
import {jobTarget, type JobTarget} from '../upload/job-target.js';
import {shotVersionOf} from '../nomenclature/index.js';
import {JOURNAL_DIR, openJournal, stackingApiFromClient, sweepOrphans, uploadApiFromClient, UploadQueue, uploadSettingsFrom, type JournalOptions, type UploadApi, type VersionStackingOptions} from '../upload/index.js';
import type {App} from './open-app.js';
import {adoptLegacyQueue, otherQueuesWaiting} from './other-queues.js';

export type UploadGraph = {
	app: App;
	accountId: string;
	rootFolderId: string;
	folders: FolderResolver;
	/** A new check of the scene/shot folders a path would create (its verdicts last as long as the guard). */
	folderGuard(): FolderGuard;
	/** What a job into `folderPath` (below this run's root folder) carries. */
	jobTarget(folderPath: readonly string[]): JobTarget;
};

export async function openUploadGraph(app: App): Promise<UploadGraph> {
	const accountId = await app.target.accountId();
	const rootFolderId = await app.target.rootFolderId();
	const logger = app.logging.get('frameio.upload');
	for (const note of app.target.notes) logger.info(note);
	const folders = new FolderResolver(
		{
			findOrCreatePath: (account, root, segments) => app.structure.findOrCreatePath(account, root, segments),
			exists: async (account, folderId) => {
				try {
					await app.client.folder(account, folderId);
					return true;
				} catch (error) {
					if (error instanceof FrameioError && error.status === 404) return false;
					throw error;
				}
			},
			forgetListings: parentIds => {
				for (const parentId of parentIds) app.cache.invalidateFolder(parentId);
			},
		},
		accountId,
		rootFolderId,
	);
	const folderGuard = () =>
		new FolderGuard(
			{
				nomenclature: app.nomenclature,
				findPath: (account, root, segments) => app.structure.findOrCreatePath(account, root, segments, {dryRun: true}),
				subfolders: (account, folderId) => app.structure.subfolders(account, folderId),
			},
			accountId,
			rootFolderId,
		);
	return {app, accountId, rootFolderId, folders, folderGuard, jobTarget: folderPath => jobTarget(folderPath, {accountId, rootFolderId})};
}

const QUEUE_HELD_NOTE = 'the upload queue is held by another frameio-admin process (or one that just stopped); waiting for it…';

/** How long to wait for the queue's lock: a process killed a moment ago holds it until it goes stale (10 s). */
export const LOCK_WAIT_MS = 15_000;

export type UploadQueueChoice = {
	/**
	 * Persist in the profile's state dir. Default: yes, except on the in-process sandbox (--sandbox), which lives and
	 * dies with this process: its folders and files would not exist for a resumed job.
	 */
	persist?: boolean;
	/** --parallel: files at once (default: max_concurrent_uploads). */
	parallel?: number;
	/**
	 * Where to say that the lock is still held after a second (another process, or one that just died), and what the
	 * in-flight journal swept.
	 */
	note?: (text: string) => void;
	/** What this process is (watch, upload, console): a persisted queue reports its live snapshot for a console to follow. */
	role?: string;
	/**
	 * A persisted queue sweeps what killed one-off runs left before it opens ('wait', the commands: their note comes
	 * first), or beside it ('background', the console: its first frame does not wait for API deletes).
	 */
	sweep?: 'wait' | 'background';
};

/** The queue, opened paused: the caller subscribes and adopts the resumed jobs before anything runs. */
export async function openUploadQueue(graph: UploadGraph, choice: UploadQueueChoice = {}): Promise<UploadQueue> {
	const {app} = graph;
	const persist = choice.persist ?? app.api.kind !== 'sandbox';
	const api = forgettingListings(uploadApiFromClient(app.client), graph);
	// A queue in memory on a real API still leaves nothing behind after a kill -9: its placeholders are journalled
	// (the in-process sandbox dies with the process, and everything on it).
	// What killed one-off runs left is swept by every queue on a real API; a queue in memory also journals its own.
	const journalOptions = app.api.kind !== 'sandbox' ? oneOffJournalOptions(graph, api, choice.note) : undefined;
	const journal = journalOptions && !persist ? await openJournal(journalOptions) : undefined;
	if (journalOptions && persist) {
		const sweeping = sweepOrphans(journalOptions);
		if (choice.sweep !== 'background') await sweeping;
	}
	const timer = persist && choice.note ? setTimeout(() => choice.note?.(QUEUE_HELD_NOTE), 1000) : undefined;
	let queue: UploadQueue;
	try {
		queue = await UploadQueue.open({
			api,
			journal,
			accountId: graph.accountId,
			settings: uploadSettingsFrom(app.config.optimization, choice.parallel ? {maxConcurrentUploads: choice.parallel} : {}),
			stateDir: persist ? app.profileStateDir : undefined,
			bus: app.bus,
			logger: app.logging.get('frameio.upload'),
			resolveFolder: job => resolveJobFolder(graph, job),
			versionStacking: versionStackingFor(graph),
			paused: true,
			lockWaitMs: LOCK_WAIT_MS,
			liveReport: choice.role ? {role: choice.role, warn: message => app.logging.get('frameio.upload').warn(message)} : undefined,
		});
	} finally {
		if (timer) clearTimeout(timer);
	}
	if (persist) await sayOtherQueues(graph, queue, choice.note);
	return queue;
}

/**
 * The jobs this queue must not run, said (other-queues.ts): other identities' unfinished uploads, and the legacy
 * queue file's (whose jobs of this run's account are adopted first). Never fails the run: it only informs.
 */
async function sayOtherQueues(graph: UploadGraph, queue: UploadQueue, note?: (text: string) => void): Promise<void> {
	const logger = graph.app.logging.get('frameio.upload');
	try {
		const notes = [...(await adoptLegacyQueue(graph.app, queue, graph.accountId)), ...(await otherQueuesWaiting(graph.app))];
		for (const text of notes) {
			logger.info(text);
			note?.(text);
		}
	} catch (error) {
		logger.warn({err: error}, `cannot look at the other upload queues of the state dir: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** Where one-off queues journal their placeholders, and how what they left is swept (placeholder-journal.ts). */
function oneOffJournalOptions(graph: UploadGraph, api: UploadApi, note?: (text: string) => void): JournalOptions {
	const {app} = graph;
	return {
		dir: path.join(app.profileStateDir, JOURNAL_DIR),
		origin: new URL(app.api.baseUrl).origin,
		accountId: graph.accountId,
		api,
		logger: app.logging.get('frameio.upload'),
		note,
		forgetFolder: folderId => forgetFolder(graph, folderId),
	};
}

/** uploads.version_stacking: on by default; the nomenclature says which names are versions of one shot. */
export function versionStackingFor(graph: UploadGraph): VersionStackingOptions | undefined {
	const {app} = graph;
	if (!app.config.optimization.uploads.version_stacking) return undefined;
	return {
		api: stackingApiFromClient(app.client),
		versionOf: name => shotVersionOf(app.nomenclature.parse(name)),
		onChanged: folderId => forgetFolder(graph, folderId),
	};
}

function forgetFolder(graph: UploadGraph, folderId: string): void {
	const projectId = graph.app.target.has('projectId') ? graph.app.target.projectId() : undefined;
	graph.app.cache.invalidateFolder(folderId, projectId);
}

/**
 * A new file changes its folder's listing and the project's scene/shot counts: both are dropped from the cache as
 * soon as the file exists, so that `structure`, the console's Structure tab and `watch`'s "already uploaded" check
 * see it without waiting for cache_ttl.
 */
function forgettingListings(api: UploadApi, graph: UploadGraph): UploadApi {
	const forget = (folderId: string) => forgetFolder(graph, folderId);
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

async function resolveJobFolder(graph: UploadGraph, job: UploadJobSnapshot): Promise<string> {
	const target = job.target;
	if (!target?.folder) throw new Error('the job has no target folder path');
	if (target.account && target.account !== graph.accountId) {
		throw new Error(`queued for account ${target.account}, but this run works on account ${graph.accountId}: run with --account-id ${target.account} to finish it`);
	}
	return graph.folders.resolve(target.folder.split('/'), target.root || graph.rootFolderId);
}
