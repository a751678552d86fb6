// The cached reads the tree walks and the scene/shot layout are built from. StructureService provides them; the
// walks know only this, so that they do not depend on the service that calls them.
import type {Account, Folder, FolderChild, Project, Workspace} from '../frameio/types.js';
import type {ListingTally} from './cached-listing.js';

export type ListingReads = {
	accounts(tally?: ListingTally): Promise<Account[]>;
	workspaces(accountId: string, tally?: ListingTally): Promise<Workspace[]>;
	projects(accountId: string, workspaceId: string, tally?: ListingTally): Promise<Project[]>;
	project(accountId: string, projectId: string): Promise<Project>;
	children(accountId: string, folderId: string, tally?: ListingTally): Promise<{items: FolderChild[]; fromCache: boolean; staleAgeMs?: number}>;
	subfolders(accountId: string, folderId: string, tally?: ListingTally): Promise<Folder[]>;
};
