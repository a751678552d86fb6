// Depth-limited walks for `structure`. Depth counts folder levels below a project's root folder; every folder shown is
// listed, so that its counts are real, and siblings are listed concurrently (the client's limiter paces them).
import type {FolderChild, FrameioFile, Project, VersionStack} from '../frameio/types.js';
import type {ListingTally} from './cached-listing.js';
import type {ListingReads} from './listing-reads.js';
import type {ItemCounts, TreeAccount, TreeFile, TreeFolder, TreeProject, TreeStack} from './types.js';

export const byName = (a: {name: string}, b: {name: string}) => a.name.localeCompare(b.name, 'en', {numeric: true});

export function countItems(children: readonly FolderChild[]): ItemCounts {
	const counts: ItemCounts = {folders: 0, files: 0, versionStacks: 0};
	for (const child of children) {
		if (child.type === 'folder') counts.folders++;
		else if (child.type === 'file') counts.files++;
		else counts.versionStacks++;
	}
	return counts;
}

type WalkOptions = {
	depth: number;
	tally: ListingTally;
	/** --versions: each stack's files (one request per stack shown). */
	stackFiles?: (accountId: string, stackId: string) => Promise<FrameioFile[]>;
};

const treeFile = (file: FrameioFile): TreeFile => ({id: file.id, name: file.name, size: file.file_size});

async function treeStacks(items: readonly FolderChild[], accountId: string, options: WalkOptions): Promise<TreeStack[]> {
	const stacks = items.filter((child): child is VersionStack => child.type === 'version_stack').sort(byName);
	return Promise.all(
		stacks.map(async stack => {
			const tree: TreeStack = {id: stack.id, name: stack.name, head: stack.head_version ? treeFile(stack.head_version) : null};
			if (options.stackFiles) tree.versions = (await options.stackFiles(accountId, stack.id)).map(treeFile);
			return tree;
		}),
	);
}

/** A folder listed at `level` (1 = directly under the root), with its sub-folders down to `depth`. */
async function walkFolder(service: ListingReads, accountId: string, folder: {id: string; name: string}, level: number, options: WalkOptions): Promise<TreeFolder> {
	const {items, fromCache, staleAgeMs} = await service.children(accountId, folder.id, options.tally);
	const subfolders = items.filter(child => child.type === 'folder').sort(byName);
	const [folders, stacks] = await Promise.all([
		level < options.depth ? Promise.all(subfolders.map(sub => walkFolder(service, accountId, sub, level + 1, options))) : [],
		treeStacks(items, accountId, options),
	]);
	return {id: folder.id, name: folder.name, counts: countItems(items), stacks, folders, fromCache, ...(staleAgeMs === undefined ? {} : {staleAgeMs})};
}

async function walkProjectFolders(service: ListingReads, accountId: string, project: Project, rootFolderId: string, options: WalkOptions): Promise<TreeProject> {
	const base = {id: project.id, name: project.name, workspaceId: project.workspace_id, rootFolderId};
	if (options.depth < 1) return {...base, counts: null, stacks: [], folders: []};
	const root = await walkFolder(service, accountId, {id: rootFolderId, name: project.name}, 0, options);
	return {...base, counts: root.counts, stacks: root.stacks, folders: root.folders};
}

export async function walkOverview(service: ListingReads, options: WalkOptions & {accountId?: string}): Promise<TreeAccount[]> {
	const accounts = (await service.accounts(options.tally)).filter(account => !options.accountId || account.id === options.accountId);
	if (options.accountId && accounts.length === 0) throw new Error(`account ${options.accountId} is not among the accounts this user sees`);
	return Promise.all(
		accounts.map(async account => {
			const workspaces = (await service.workspaces(account.id, options.tally)).sort(byName);
			return {
				id: account.id,
				name: account.display_name,
				workspaces: await Promise.all(
					workspaces.map(async workspace => {
						const projects = (await service.projects(account.id, workspace.id, options.tally)).sort(byName);
						return {
							id: workspace.id,
							name: workspace.name,
							projects: await Promise.all(projects.map(project => walkProjectFolders(service, account.id, project, project.root_folder_id, options))),
						};
					}),
				),
			};
		}),
	);
}

export async function walkProject(
	service: ListingReads,
	accountId: string,
	projectId: string,
	options: WalkOptions & {rootFolderId?: string},
): Promise<{account: {id: string; name: string}; workspace: {id: string; name: string}; project: TreeProject}> {
	const project = await service.project(accountId, projectId);
	const [accounts, workspaces] = await Promise.all([service.accounts(options.tally), service.workspaces(accountId, options.tally)]);
	const account = accounts.find(item => item.id === accountId);
	const workspace = workspaces.find(item => item.id === project.workspace_id);
	return {
		account: {id: accountId, name: account?.display_name ?? accountId},
		workspace: {id: project.workspace_id, name: workspace?.name ?? project.workspace_id},
		project: await walkProjectFolders(service, accountId, project, options.rootFolderId ?? project.root_folder_id, options),
	};
}
