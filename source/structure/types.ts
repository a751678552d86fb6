// The shapes the structure service returns: a depth-limited tree for the CLI, the scene/shot layout of a project,
// the outcome of find-or-create, and the lazily listed nodes of the console's tree.

export type ItemCounts = {folders: number; files: number; versionStacks: number};

/** A file as the tree shows it. */
export type TreeFile = {id: string; name: string; size: number};

/** A version stack in a listed folder: its head (the newest version, whose name the stack bears), and with
 * `--versions` every version, oldest first. */
export type TreeStack = {id: string; name: string; head: TreeFile | null; versions?: TreeFile[]};

export type TreeFolder = {
	id: string;
	name: string;
	/** What the folder holds directly; null when it was not listed (below the depth limit). */
	counts: ItemCounts | null;
	/** Its version stacks (when listed). */
	stacks: TreeStack[];
	/** Its sub-folders, when within the depth limit. */
	folders: TreeFolder[];
	fromCache: boolean | null;
	/** Its listing came from the cache past its TTL (the API out of reach): how old it is. */
	staleAgeMs?: number;
};

export type TreeProject = {
	id: string;
	name: string;
	workspaceId: string;
	rootFolderId: string;
	/** What the root folder holds directly; null when not listed. */
	counts: ItemCounts | null;
	/** The root folder's version stacks (when listed). */
	stacks: TreeStack[];
	folders: TreeFolder[];
};

export type TreeWorkspace = {id: string; name: string; projects: TreeProject[]};
export type TreeAccount = {id: string; name: string; workspaces: TreeWorkspace[]};

/** `stale`: listings the cache answered past their TTL because the API was out of reach (--stale-ok). */
export type ListingCounts = {listings: number; fromCache: number; stale?: number; staleMaxAgeMs?: number};

/** accounts → workspaces → projects (→ folders to `depth`). */
export type StructureOverview = {accounts: TreeAccount[]; depth: number; listings: ListingCounts};

/** One project's folders to `depth`, with the account and workspace it sits in. */
export type ProjectTree = {
	account: {id: string; name: string};
	workspace: {id: string; name: string};
	project: TreeProject;
	depth: number;
	listings: ListingCounts;
};

/** `files`: loose files; `stacks`: version stacks (each holds the versions of one shot; its files are not counted). */
export type LayoutShot = {id: string; name: string; files: number; stacks: number};
export type LayoutScene = {id: string; name: string; shots: LayoutShot[]; files: number; stacks: number};

export type SceneShotLayout = {
	projectId: string;
	/** The literal folders the layout starts with under the root folder, e.g. ['WIP_BYSHOT']. */
	rootPath: string[];
	/** The folder scenes live in; null when the layout root does not exist (yet). */
	layoutFolderId: string | null;
	scenes: LayoutScene[];
	totals: {scenes: number; shots: number; files: number; stacks: number};
	/** When the layout was computed (epoch ms): a cached layout can be up to cache_ttl.structure old. */
	computedAt: number;
};

export type SceneShotLayoutResult = SceneShotLayout & {fromCache: boolean; listings: ListingCounts};

export type SegmentStatus = 'found' | 'created' | 'missing';

export type PathSegment = {name: string; id: string | null; status: SegmentStatus};

export type FindOrCreateResult = {
	/** The last folder of the path; null in a dry run when some of it is missing. */
	folderId: string | null;
	segments: PathSegment[];
	/** Folders this call created. */
	created: number;
	dryRun: boolean;
};

// The console's tree (structurally the same as TreeNode/TreePage in source/store/ports.ts, which the store owns).

export type StructureNodeKind = 'account' | 'workspace' | 'project' | 'folder' | 'file' | 'version_stack';

export type StructureNode = {
	id: string;
	kind: StructureNodeKind;
	name: string;
	expandable: boolean;
	size?: number;
	/** What the console's detail view shows (all as the API gives them). */
	status?: string;
	mediaType?: string;
	createdAt?: string;
	updatedAt?: string;
	viewUrl?: string;
	/** A version stack's file that is its head: the version reviewers see. */
	head?: boolean;
};

export type StructurePage = {items: StructureNode[]; fromCache: boolean; totalCount: number | null; staleAgeMs?: number};
