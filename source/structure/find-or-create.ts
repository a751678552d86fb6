// Find-or-create of a folder path (WIP_BYSHOT/SC01_SEQ01/UNDLM_00042), idempotent:
// - it looks across every page of the parent's sub-folders before creating (the earlier implementation read one page
//   and made duplicates);
// - a cached listing is trusted only when it shows the folder: "absent" is always confirmed by a fresh listing, since
//   a stale cache would otherwise turn into a duplicate;
// - callers in this process asking for the same (parent, name) share one lookup and at most one create;
// - another process may create the same folder between our listing and our create: after creating, the parent is
//   listed again, and when two folders carry the name every process uses the oldest (created_at, then id), so they
//   all converge on the same folder. The duplicate is left in place (it may already be in use) and logged;
// - the create runs under a lock per (parent, name) (folder-create-lock.ts): in farm mode the farm's, and then the
//   parent is listed again, fresh, once the lock is held (another node may have just created the folder).
// Creating drops the parent's listings and the project's structure entry from the cache.
import type {Logger} from 'pino';
import {cacheKeys, type ApiCache} from '../cache/index.js';
import {FrameioError} from '../frameio/errors.js';
import type {Folder} from '../frameio/types.js';
import {folderNameProblem} from '../nomenclature/index.js';
import {collectPages} from '../frameio/paginate.js';
import type {StructureApi} from './structure-api.js';
import {processLock, type FolderCreateLock} from './folder-create-lock.js';
import type {FindOrCreateResult, PathSegment} from './types.js';

export type FindOrCreateOptions = {
	/** Report what exists and what would be created; create nothing. */
	dryRun?: boolean;
	/** Look in fresh listings only, never in cached ones (health: a folder deleted a minute ago must show). */
	fresh?: boolean;
	/** The project the path is in, for invalidating its structure entry (else taken from the created folder). */
	projectId?: string;
};

type ChildOutcome = {folder: Folder; created: boolean};

/** The folder every process picks among same-named ones: the oldest, ties broken by id. */
export function oldestFolder(folders: readonly Folder[]): Folder | undefined {
	let best: Folder | undefined;
	for (const folder of folders) {
		if (!best || folder.created_at < best.created_at || (folder.created_at === best.created_at && folder.id < best.id)) best = folder;
	}
	return best;
}

export class FolderPathResolver {
	private readonly inflight = new Map<string, Promise<ChildOutcome>>();

	constructor(
		private readonly api: StructureApi,
		private readonly cache: ApiCache,
		private readonly logger: Logger | undefined,
		private readonly lock: FolderCreateLock = processLock,
	) {}

	async findOrCreatePath(accountId: string, rootFolderId: string, segments: readonly string[], options: FindOrCreateOptions = {}): Promise<FindOrCreateResult> {
		for (const name of segments) {
			const problem = folderNameProblem(name);
			if (problem) throw new RangeError(`folder name "${name}" ${problem}`);
		}
		const dryRun = options.dryRun ?? false;
		const result: PathSegment[] = [];
		let parentId: string | null = rootFolderId;
		let created = 0;
		for (const [index, name] of segments.entries()) {
			if (parentId === null) {
				result.push({name, id: null, status: 'missing'});
				continue;
			}
			const where = index === 0 ? 'the root folder' : segments.slice(0, index).join('/');
			if (dryRun) {
				const found = await this.find(accountId, parentId, name, {fresh: options.fresh});
				result.push({name, id: found?.id ?? null, status: found ? 'found' : 'missing'});
				parentId = found?.id ?? null;
				continue;
			}
			const outcome = await this.child(accountId, parentId, name, where, options.projectId);
			if (outcome.created) created++;
			result.push({name, id: outcome.folder.id, status: outcome.created ? 'created' : 'found'});
			parentId = outcome.folder.id;
		}
		return {folderId: parentId, segments: result, created, dryRun};
	}

	/** One level, single-flight per (parent, name): joiners see the folder as found, the first caller as created. */
	private async child(accountId: string, parentId: string, name: string, where: string, projectId: string | undefined): Promise<ChildOutcome> {
		const key = `${accountId}\u0000${parentId}\u0000${name}`;
		const running = this.inflight.get(key);
		if (running) return {folder: (await running).folder, created: false};
		const pending = this.findOrCreateChild(accountId, parentId, name, where, projectId).finally(() => this.inflight.delete(key));
		this.inflight.set(key, pending);
		return pending;
	}

	private async findOrCreateChild(accountId: string, parentId: string, name: string, where: string, projectId: string | undefined): Promise<ChildOutcome> {
		const first = await this.lookup(accountId, parentId, name);
		if (first.folder) return {folder: first.folder, created: false};
		return this.lock.around(parentId, name, async lock => {
			const known = await lock.madeByOther();
			if (known) return {folder: known, created: false};
			// "Absent" is confirmed by a fresh listing: the one just made, or one made now. Under the farm's lock always
			// one made now (another node may have created the folder meanwhile); so that one is the only fresh listing.
			if (lock.lookAgain || !first.fetchedNow) {
				const found = await this.find(accountId, parentId, name, {fresh: true});
				if (found) {
					await lock.made(found);
					return {folder: found, created: false};
				}
			}
			if (!(await lock.stillHeld())) {
				// Paused past the lock's expiry: someone else may be creating it now. Look rather than create.
				const found = await this.find(accountId, parentId, name, {fresh: true});
				if (found) return {folder: found, created: false};
				this.logger?.warn({parentId, name}, `Lost the lock on folder ${name} in ${where} before creating it; creating it anyway (a duplicate is settled by taking the oldest)`);
			}
			const outcome = await this.create(accountId, parentId, name, where, projectId);
			await lock.made(outcome.folder);
			return outcome;
		});
	}

	private async create(accountId: string, parentId: string, name: string, where: string, projectId: string | undefined): Promise<ChildOutcome> {
		let made: Folder;
		try {
			made = await this.api.createFolder(accountId, parentId, name);
		} catch (error) {
			// A create that timed out or lost its answer may still have happened: look before giving up.
			if (error instanceof FrameioError && (error.code === 'timeout' || error.code === 'network' || error.status === 409)) {
				this.cache.invalidateFolder(parentId, projectId);
				const after = await this.find(accountId, parentId, name, {fresh: true});
				if (after) {
					this.logger?.warn({parentId, name, code: error.code, status: error.status}, `Create of folder ${name} in ${where} failed (${error.message}), but the folder exists: using it`);
					return {folder: after, created: false};
				}
			}
			throw error;
		}
		this.cache.invalidateFolder(parentId, projectId ?? made.project_id);
		this.logger?.info({folderId: made.id, parentId, name}, `Created folder ${name} in ${where}`);

		// Another process may have made the same folder meanwhile: list again and settle on the oldest.
		const listed = await this.freshSubfolders(accountId, parentId);
		const named = listed.filter(folder => folder.name === name);
		if (!named.some(folder => folder.id === made.id)) named.push(made);
		const chosen = oldestFolder(named)!;
		if (named.length > 1) {
			this.logger?.warn(
				{parentId, name, ids: named.map(folder => folder.id), chosen: chosen.id},
				`Duplicate folder ${name} in ${where}: ${named.length} folders carry the name (made concurrently by another process); using the oldest, ${chosen.id}`,
			);
		}
		return {folder: chosen, created: chosen.id === made.id};
	}

	/**
	 * The folder named `name` under the parent: from the cached listing when it shows one, else from a fresh listing.
	 * A listing not in memory is read through the cache (in farm mode its second layer may hold one another node just
	 * made); one fetched now is fresh already.
	 */
	private async find(accountId: string, parentId: string, name: string, options: {fresh?: boolean} = {}): Promise<Folder | undefined> {
		if (!options.fresh) {
			const {folder, fetchedNow} = await this.lookup(accountId, parentId, name);
			if (folder || fetchedNow) return folder;
		}
		const listed = await this.freshSubfolders(accountId, parentId);
		return oldestFolder(listed.filter(folder => folder.name === name));
	}

	/**
	 * The folder as the cache sees it: the listing in memory, else through the cache (its second layer, or the API).
	 * `fetchedNow`: the listing came from the API just now, so an absence in it is confirmed.
	 */
	private async lookup(accountId: string, parentId: string, name: string): Promise<{folder: Folder | undefined; fetchedNow: boolean}> {
		const key = cacheKeys.folderChildren(parentId, 'subfolders');
		// peek first, so that a listing which cannot answer counts one miss (the fresh listing's), not two.
		const cached = this.cache.peek<Folder[]>(key);
		if (cached) {
			const hit = oldestFolder(cached.filter(folder => folder.name === name));
			return {folder: hit && this.cache.get(key) !== undefined ? hit : undefined, fetchedNow: false};
		}
		const {value, fromCache} = await this.cache.wrap(key, () => collectPages(this.api.subfolderPages(accountId, parentId)));
		return {folder: oldestFolder(value.filter(folder => folder.name === name)), fetchedNow: !fromCache};
	}

	/**
	 * Every page of the parent's sub-folders, from the API, stored as the cached listing. It replaces the cached copy
	 * rather than invalidating it: the other processes keep theirs (a listing is trusted only when it shows the
	 * folder), and in farm mode a fresh look is not a change to announce to every node. The fetch is stamped with its
	 * start, so a create that lands while it runs wins over it.
	 */
	private async freshSubfolders(accountId: string, parentId: string): Promise<Folder[]> {
		const key = cacheKeys.folderChildren(parentId, 'subfolders');
		const {value} = await this.cache.wrap(key, () => collectPages(this.api.subfolderPages(accountId, parentId)), {fresh: true});
		return value;
	}
}
