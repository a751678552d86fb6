// What a folder holds, fresh from the API, with its version stacks opened: the loose files (files.list) and the stacks
// (version_stacks.list, each with its head), and for the stacks asked for, their files (version_stacks/{id}/children).
// A stacked file is not in its folder's file list at all, so "is this file already on Frame.io?" (uploads, verify)
// must look inside the stacks too. Two 5-per-second listings per folder, plus one call per stack opened (100 a
// minute): callers open only the stacks that can matter (the shot's own).
import type {FrameioFile, VersionStack} from '../frameio/types.js';

export type FolderContentsApi = {
	files(accountId: string, folderId: string): Promise<FrameioFile[]>;
	versionStacks(accountId: string, folderId: string): Promise<VersionStack[]>;
	versionStackFiles(accountId: string, stackId: string): Promise<FrameioFile[]>;
};

/**
 * Where a file sits: loose in the folder, or in a stack (position 1 is the oldest; the last is the head). A head
 * known only from the stack's head_version, without the stack opened, has no position or count.
 */
export type FilePlace = {kind: 'loose'} | {kind: 'stacked'; stackId: string; position: number | null; count: number | null; head: boolean};

export type PlacedFile = {file: FrameioFile; place: FilePlace};

export type FolderContents = {
	folderId: string;
	loose: FrameioFile[];
	stacks: VersionStack[];
	/** The files of each stack that was opened, oldest first. */
	stackFiles: Map<string, FrameioFile[]>;
};

/** Reads a folder's loose files and stacks, and opens the stacks `open` picks (default: every one). */
export async function readFolderContents(
	api: FolderContentsApi,
	accountId: string,
	folderId: string,
	open: (stack: VersionStack) => boolean = () => true,
): Promise<FolderContents> {
	const [loose, stacks] = await Promise.all([api.files(accountId, folderId), api.versionStacks(accountId, folderId)]);
	const opened = await Promise.all(stacks.filter(open).map(async stack => [stack.id, await api.versionStackFiles(accountId, stack.id)] as const));
	return {folderId, loose, stacks, stackFiles: new Map(opened)};
}

/** Every file read: the loose ones, then those of the opened stacks, each with its place. */
export function placedFiles(contents: FolderContents): PlacedFile[] {
	const placed: PlacedFile[] = contents.loose.map(file => ({file, place: {kind: 'loose'}}));
	for (const [stackId, files] of contents.stackFiles) {
		// The head is the stack's head_version; the listing's last file when the API leaves head_version out.
		const headId = contents.stacks.find(stack => stack.id === stackId)?.head_version?.id ?? files.at(-1)?.id;
		files.forEach((file, index) => placed.push({file, place: {kind: 'stacked', stackId, position: index + 1, count: files.length, head: file.id === headId}}));
	}
	return placed;
}

export function describePlace(place: FilePlace): string {
	if (place.kind === 'loose') return 'loose';
	if (place.count === null) return place.head ? 'stacked, head of its version stack' : 'stacked';
	return place.head ? `stacked, head of ${place.count}` : `stacked, version ${place.position} of ${place.count}`;
}
