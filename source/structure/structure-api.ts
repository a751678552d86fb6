// The calls the structure service makes, as a small interface: the real client in production (structureApiFromClient),
// and the same client with one call wrapped in tests that need to stage a race (a folder made by "another process"
// between our listing and our create).
import type {FrameioClient} from '../frameio/client.js';
import type {Account, Folder, FolderChild, FrameioFile, PageEnvelope, Project, VersionStack, Workspace} from '../frameio/types.js';
import {fileSchema, folderSchema, pageSchema, versionStackSchema} from '../frameio/schemas.js';

export const PAGE_SIZE = 100;

export type StructureApi = {
	accounts(): Promise<Account[]>;
	workspaces(accountId: string): Promise<Workspace[]>;
	projects(accountId: string, workspaceId: string): Promise<Project[]>;
	project(accountId: string, projectId: string): Promise<Project>;
	/** Every child (files, folders, version stacks), page by page, with total_count on the first page. */
	childrenPages(accountId: string, folderId: string): AsyncIterable<PageEnvelope<FolderChild>>;
	/** Sub-folders only, page by page. */
	subfolderPages(accountId: string, folderId: string): AsyncIterable<PageEnvelope<Folder>>;
	/** How many files a folder holds directly (loose: a stacked file is its stack's). */
	fileCount(accountId: string, folderId: string): Promise<number>;
	/** How many version stacks a folder holds directly. */
	stackCount(accountId: string, folderId: string): Promise<number>;
	/** A version stack's files, oldest first. */
	stackFiles(accountId: string, stackId: string): Promise<FrameioFile[]>;
	createFolder(accountId: string, parentId: string, name: string): Promise<Folder>;
};

const id = (value: string) => encodeURIComponent(value);

export function structureApiFromClient(client: FrameioClient): StructureApi {
	return {
		accounts: () => client.accounts(),
		workspaces: accountId => client.workspaces(accountId),
		projects: (accountId, workspaceId) => client.projects(accountId, workspaceId),
		project: (accountId, projectId) => client.project(accountId, projectId),
		childrenPages: (accountId, folderId) => client.childrenPages(accountId, folderId, {includeTotalCount: true, pageSize: PAGE_SIZE}),
		subfolderPages: (accountId, folderId) =>
			client.pages<Folder>(`accounts/${id(accountId)}/folders/${id(folderId)}/folders`, {page_size: PAGE_SIZE}, 'folders.list', folderSchema),
		async fileCount(accountId, folderId) {
			// One request whatever the folder holds: a page of one with the total. Only when the API leaves total_count
			// out are the pages walked.
			const path = `accounts/${id(accountId)}/folders/${id(folderId)}/files`;
			const response = await client.request<PageEnvelope<FrameioFile>>('GET', path, {
				query: {page_size: 1, include_total_count: true},
				op: 'files.list',
				schema: pageSchema(fileSchema),
			});
			const total = response.body?.total_count;
			if (typeof total === 'number') return total;
			return (await client.files(accountId, folderId)).length;
		},
		async stackCount(accountId, folderId) {
			// As fileCount: one request (a separate 5-per-second budget from files.list, so it costs no time).
			const path = `accounts/${id(accountId)}/folders/${id(folderId)}/version_stacks`;
			const response = await client.request<PageEnvelope<VersionStack>>('GET', path, {
				query: {page_size: 1, include_total_count: true},
				op: 'version_stacks.list',
				schema: pageSchema(versionStackSchema),
			});
			const total = response.body?.total_count;
			if (typeof total === 'number') return total;
			return (await client.versionStacks(accountId, folderId)).length;
		},
		stackFiles: (accountId, stackId) => client.versionStackFiles(accountId, stackId),
		createFolder: (accountId, parentId, name) => client.createFolder(accountId, parentId, name),
	};
}
