// Cache keys are `<type>_<id>`; the type (the part before the first `_`) selects the TTL.
//
// Folder keys all start with `folder_` (a folder's own record is `folder_<id>`, its children listing is
// `folder_<id>_children`), so that the seed's `cache clear --pattern folder_` removes every folder entry, and
// `--pattern folder_<id>` removes one folder's record and its listings together. The plural `folders_` of the
// design card would not contain `folder_`. Build keys with `cacheKeys`, never by hand.
import type {OptimizationConfig} from '../config/index.js';

export type TtlGroup = keyof OptimizationConfig['cache_ttl'];

/** Each key type and the `cache_ttl` entry that sets its TTL. */
export const ttlGroupByType: Readonly<Record<string, TtlGroup>> = {
	accounts: 'projects',
	workspaces: 'projects',
	projects: 'projects',
	folder: 'folders',
	// Accepted for keys written as the design card spells them; `cacheKeys` never makes them.
	folders: 'folders',
	structure: 'structure',
	file: 'files',
	nomenclature: 'nomenclature',
};

/** The types `cache stats` always lists, in this order, even with no entries. */
export const displayedTypes = ['accounts', 'workspaces', 'projects', 'folder', 'structure', 'file', 'nomenclature'] as const;

export const cacheKeys = {
	accounts: () => 'accounts_all',
	workspaces: (accountId: string) => `workspaces_${accountId}`,
	projects: (workspaceId: string) => `projects_${workspaceId}`,
	/** One project's own record (its name, workspace and root folder). */
	project: (projectId: string) => `projects_show_${projectId}`,
	/** A folder's own record. */
	folder: (folderId: string) => `folder_${folderId}`,
	/** A folder's children listing (every page); `subfolders` is the listing filtered to folders. */
	folderChildren: (parentId: string, kind: 'children' | 'subfolders' = 'children') => `folder_${parentId}_${kind}`,
	structure: (projectId: string) => `structure_${projectId}`,
	file: (fileId: string) => `file_${fileId}`,
	nomenclature: (name: string) => `nomenclature_${name}`,
};

export function keyType(key: string): string {
	const at = key.indexOf('_');
	return at <= 0 ? key : key.slice(0, at);
}

/** TTL in seconds for a key type, or undefined when the type is unknown. */
export function ttlSecondsForType(type: string, ttl: OptimizationConfig['cache_ttl']): number | undefined {
	const group = ttlGroupByType[type];
	return group === undefined ? undefined : ttl[group];
}
