// The account → workspace → project → folder structure, read through the cache, every page of every listing.
// - Lists: accounts, workspaces, projects, a folder's children (all at once, or page by page for the console).
// - tree views for the CLI with a depth limit (overview / projectTree, tree-walk.ts).
// - the scene/shot layout of a project with file counts (layout.ts), cached as the project's structure entry.
// - findOrCreatePath, idempotent even across processes (find-or-create.ts).
// - listChildren: the console's lazy tree (the StructureSource port of source/store/ports.ts).
import type {Logger} from 'pino';
import {cacheKeys, type ApiCache} from '../cache/index.js';
import {collectPages} from '../frameio/paginate.js';
import type {Account, Folder, FolderChild, FrameioFile, Project, Workspace} from '../frameio/types.js';
import {cachedList, cachedPages, ListingTally, type ListingPage} from './cached-listing.js';
import {FolderPathResolver, type FindOrCreateOptions} from './find-or-create.js';
import type {FolderCreateLock} from './folder-create-lock.js';
import {computeLayout, DEFAULT_LAYOUT_ROOT, sameLayoutRequest, type LayoutProgress, type StoredLayout} from './layout.js';
import type {StructureApi} from './structure-api.js';
import {walkOverview, walkProject} from './tree-walk.js';
import type {
	FindOrCreateResult,
	ProjectTree,
	SceneShotLayoutResult,
	StructureNode,
	StructureOverview,
	StructurePage,
} from './types.js';

export type StructureServiceOptions = {
	api: StructureApi;
	cache: ApiCache;
	/** The 'frameio.structure' logger. */
	logger?: Logger;
	/** The literal folders the scene/shot layout starts with (layoutRootOf(nomenclature.layoutSegments)). */
	layoutRoot?: string[];
	/** The lock find-or-create holds while it creates a folder; default this process's own (folder-create-lock.ts). */
	folderLock?: FolderCreateLock;
	now?: () => number;
};

export type TreeOptions = {depth: number; /** Also list each version stack's files (one request per stack shown). */ versions?: boolean};

export class StructureService {
	readonly layoutRoot: string[];
	private readonly api: StructureApi;
	private readonly cache: ApiCache;
	private readonly logger: Logger | undefined;
	private readonly now: () => number;
	private readonly resolver: FolderPathResolver;
	/** What the console's nodes need to be listed: each workspace's and folder's account, each project's root. */
	private readonly accountOf = new Map<string, string>();
	private readonly projectRoots = new Map<string, {accountId: string; rootFolderId: string}>();
	/** Each listed version stack's head, as its folder's listing said (head_version). */
	private readonly stackHeads = new Map<string, string>();

	constructor(options: StructureServiceOptions) {
		this.api = options.api;
		this.cache = options.cache;
		this.logger = options.logger;
		this.now = options.now ?? Date.now;
		this.layoutRoot = options.layoutRoot ?? [...DEFAULT_LAYOUT_ROOT];
		this.resolver = new FolderPathResolver(this.api, this.cache, this.logger, options.folderLock);
	}

	// ---- lists (every page, through the cache)

	async accounts(tally?: ListingTally): Promise<Account[]> {
		return (await cachedList(this.cache, cacheKeys.accounts(), () => this.api.accounts(), tally)).items;
	}

	async workspaces(accountId: string, tally?: ListingTally): Promise<Workspace[]> {
		return (await cachedList(this.cache, cacheKeys.workspaces(accountId), () => this.api.workspaces(accountId), tally)).items;
	}

	async projects(accountId: string, workspaceId: string, tally?: ListingTally): Promise<Project[]> {
		return (await cachedList(this.cache, cacheKeys.projects(workspaceId), () => this.api.projects(accountId, workspaceId), tally)).items;
	}

	/** One project, from the API (a project's record is small and its root folder id must be right). */
	/** A project's record, through the cache: so that --stale-ok can show a project while the API is out of reach. */
	async project(accountId: string, projectId: string): Promise<Project> {
		return (await this.cache.wrap(cacheKeys.project(projectId), () => this.api.project(accountId, projectId))).value;
	}

	/** Every child of a folder. */
	async children(accountId: string, folderId: string, tally?: ListingTally): Promise<{items: FolderChild[]; fromCache: boolean; staleAgeMs?: number}> {
		return cachedList(this.cache, cacheKeys.folderChildren(folderId), () => collectPages(this.api.childrenPages(accountId, folderId)), tally);
	}

	/** A folder's children page by page (lazy: nothing is fetched until iterated). */
	childrenPages(accountId: string, folderId: string, signal?: AbortSignal, tally?: ListingTally): AsyncGenerator<ListingPage<FolderChild>, void, undefined> {
		return cachedPages(this.cache, cacheKeys.folderChildren(folderId), () => this.api.childrenPages(accountId, folderId), signal, tally);
	}

	/** Every sub-folder of a folder. */
	async subfolders(accountId: string, folderId: string, tally?: ListingTally): Promise<Folder[]> {
		return (await cachedList(this.cache, cacheKeys.folderChildren(folderId, 'subfolders'), () => collectPages(this.api.subfolderPages(accountId, folderId)), tally)).items;
	}

	// ---- views for the CLI

	/** accounts → workspaces → projects, and each project's folders to `depth` (0: none). */
	async overview(options: TreeOptions & {accountId?: string}): Promise<StructureOverview> {
		const tally = new ListingTally();
		const stackFiles = options.versions ? (account: string, stackId: string) => this.api.stackFiles(account, stackId) : undefined;
		const accounts = await walkOverview(this, {...options, tally, stackFiles});
		return {accounts, depth: options.depth, listings: tally.toJSON()};
	}

	/** One project's folders to `depth` below its root folder, with its account and workspace. */
	async projectTree(accountId: string, projectId: string, options: TreeOptions & {rootFolderId?: string}): Promise<ProjectTree> {
		const tally = new ListingTally();
		const stackFiles = options.versions ? (account: string, stackId: string) => this.api.stackFiles(account, stackId) : undefined;
		const tree = await walkProject(this, accountId, projectId, {...options, tally, stackFiles});
		return {...tree, depth: options.depth, listings: tally.toJSON()};
	}

	/**
	 * Scenes under the layout root (WIP_BYSHOT) with their shots and each shot's file count. Cached as the project's
	 * structure entry (cache_ttl.structure); creating a folder in the project drops it.
	 */
	async sceneShotLayout(
		accountId: string,
		projectId: string,
		options: {rootFolderId?: string; onProgress?: (progress: LayoutProgress) => void} = {},
	): Promise<SceneShotLayoutResult> {
		const tally = new ListingTally();
		const key = cacheKeys.structure(projectId);
		const request = {projectId, rootPath: this.layoutRoot, rootFolderId: options.rootFolderId};
		const compute = () => computeLayout(this, this.api, accountId, request, tally, this.now, options.onProgress);
		let result = await this.cache.wrap<StoredLayout>(key, compute);
		if (result.fromCache && !sameLayoutRequest(result.value, request)) {
			// Cached for another root folder or layout: compute this one.
			this.cache.invalidate([key]);
			result = await this.cache.wrap(key, compute);
		}
		if (result.fromCache) tally.count(true);
		const {rootFolderId: _root, rootGiven: _given, ...layout} = result.value;
		return {...layout, fromCache: result.fromCache, listings: tally.toJSON()};
	}

	// ---- changes

	/** Finds each folder of the path under rootFolderId, creating what is missing (see find-or-create.ts). */
	findOrCreatePath(accountId: string, rootFolderId: string, segments: readonly string[], options?: FindOrCreateOptions): Promise<FindOrCreateResult> {
		return this.resolver.findOrCreatePath(accountId, rootFolderId, segments, options);
	}

	// ---- the console's lazy tree

	/**
	 * The children of a node (null: the accounts), page by page, every page. `fresh`: read from the API and replace
	 * the cached copy (the console's reload), not answered from the cache.
	 */
	async *listChildren(node: StructureNode | null, signal?: AbortSignal, options: {fresh?: boolean} = {}): AsyncGenerator<StructurePage, void, undefined> {
		const listing = async <T>(key: string, fetchAll: () => Promise<T[]>) => {
			if (options.fresh) this.cache.del(key);
			const {items, fromCache, staleAgeMs} = await cachedList(this.cache, key, fetchAll);
			return {items, page: {fromCache, totalCount: items.length, ...(staleAgeMs === undefined ? {} : {staleAgeMs})}};
		};
		if (node === null) {
			const {items, page} = await listing(cacheKeys.accounts(), () => this.api.accounts());
			yield {items: items.map(account => ({id: account.id, kind: 'account', name: account.display_name, expandable: true, ...times(account)})), ...page};
			return;
		}
		switch (node.kind) {
			case 'account': {
				const {items, page} = await listing(cacheKeys.workspaces(node.id), () => this.api.workspaces(node.id));
				for (const workspace of items) this.accountOf.set(workspace.id, node.id);
				yield {items: items.map(workspace => ({id: workspace.id, kind: 'workspace', name: workspace.name, expandable: true, ...times(workspace)})), ...page};
				return;
			}
			case 'workspace': {
				const accountId = this.contextOf(node);
				const {items, page} = await listing(cacheKeys.projects(node.id), () => this.api.projects(accountId, node.id));
				for (const project of items) this.projectRoots.set(project.id, {accountId, rootFolderId: project.root_folder_id});
				yield {
					items: items.map(project => ({id: project.id, kind: 'project', name: project.name, expandable: true, status: project.status, viewUrl: project.view_url, ...times(project)})),
					...page,
				};
				return;
			}
			case 'project': {
				const root = this.projectRoots.get(node.id);
				if (!root) throw new Error(`project ${node.name} (${node.id}) was not listed under a workspace: list its workspace first`);
				yield* this.folderPages(root.accountId, root.rootFolderId, signal, options.fresh);
				return;
			}
			case 'folder':
				yield* this.folderPages(this.contextOf(node), node.id, signal, options.fresh);
				return;
			case 'version_stack': {
				// Its versions, oldest first (the last is the head). Stored as the stack's children listing, so that
				// a webhook naming the stack as a file's parent (file.versioned) drops it as it drops a folder's.
				const accountId = this.contextOf(node);
				const {items, page} = await listing(cacheKeys.folderChildren(node.id), () => this.api.stackFiles(accountId, node.id));
				// The head is the stack's head_version; without one, the newest (the last).
				const listedHead = this.stackHeads.get(node.id);
				const headId = listedHead && items.some(file => file.id === listedHead) ? listedHead : items.at(-1)?.id;
				yield {items: items.map(file => ({...fileNode(file), ...(file.id === headId ? {head: true} : {})})), ...page};
				return;
			}
			default:
				return;
		}
	}

	/**
	 * Calls `listener` when cached listings are dropped (a webhook delivery, another process or node of the farm, a
	 * purge, age), with a test of whether a node's children were among them: the console lists those again, so that
	 * a file uploaded elsewhere shows within a second rather than after the TTL.
	 */
	onListingsDropped(listener: (dropped: (node: StructureNode) => boolean) => void): () => void {
		return this.cache.onChange(change => {
			const gone = new Set([...change.keys, ...(change.invalidated ?? [])].filter(key => !this.cache.has(key)));
			if (gone.size === 0) return;
			listener(node => {
				const key = this.listingKeyOf(node);
				return key !== null && gone.has(key);
			});
		});
	}

	/** The cache key of a node's children, as listChildren reads them. */
	private listingKeyOf(node: StructureNode): string | null {
		switch (node.kind) {
			case 'account':
				return cacheKeys.workspaces(node.id);
			case 'workspace':
				return cacheKeys.projects(node.id);
			case 'project': {
				const root = this.projectRoots.get(node.id);
				return root ? cacheKeys.folderChildren(root.rootFolderId) : null;
			}
			case 'folder':
			case 'version_stack':
				return cacheKeys.folderChildren(node.id);
			default:
				return null;
		}
	}

	private async *folderPages(accountId: string, folderId: string, signal?: AbortSignal, fresh = false): AsyncGenerator<StructurePage, void, undefined> {
		if (fresh) this.cache.del(cacheKeys.folderChildren(folderId));
		for await (const page of this.childrenPages(accountId, folderId, signal)) {
			const items: StructureNode[] = page.items.map(child => {
				if (child.type === 'file') return fileNode(child);
				this.accountOf.set(child.id, accountId);
				if (child.type === 'version_stack' && child.head_version) this.stackHeads.set(child.id, child.head_version.id);
				return {id: child.id, kind: child.type, name: child.name, expandable: true, viewUrl: child.view_url, ...times(child)};
			});
			yield {items, fromCache: page.fromCache, totalCount: page.totalCount, ...(page.staleAgeMs === undefined ? {} : {staleAgeMs: page.staleAgeMs})};
		}
	}

	private contextOf(node: StructureNode): string {
		const accountId = this.accountOf.get(node.id);
		if (!accountId) throw new Error(`${node.kind} ${node.name} (${node.id}) was not listed under its parent: list the parent first`);
		return accountId;
	}
}

function fileNode(file: FrameioFile): StructureNode {
	return {id: file.id, kind: 'file', name: file.name, expandable: false, size: file.file_size, status: file.status, mediaType: file.media_type, viewUrl: file.view_url, ...times(file)};
}

/** created_at/updated_at as the console's nodes carry them (absent when the API sent none). */
function times(item: {created_at?: string; updated_at?: string}): {createdAt?: string; updatedAt?: string} {
	return {...(item.created_at ? {createdAt: item.created_at} : {}), ...(item.updated_at ? {updatedAt: item.updated_at} : {})};
}
