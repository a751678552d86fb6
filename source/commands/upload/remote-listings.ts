// "Is this file already there?": the target folder's files, fresh from the API and read once per folder per scan,
// loose ones and those inside the folder's version stacks (a stacked file is not in the folder's file list at all).
// Only the stacks of the file's own shot are looked at, and opened (one call each, 100 a minute) only when the file
// may be below the head: a stack headed by the file's name, or by an older version, is answered from its head_version.
// A name with no shot and version opens every stack of the folder.
// A placeholder still in status "created" is not a whole file (an upload in progress, or a broken one): it does not count.
//   present          same name, same size: already uploaded (skipped unless --force)
//   size_differs     same name, another size: it would be a new version under an old name (refused unless --force)
//   older_than_head  with version stacking on: the shot's stack already has a newer head, and Frame.io only adds a
//                    version on top (refused unless --force, which uploads it loose beside the stack)
import type {FrameioFile, VersionStack} from '../../frameio/types.js';
import type {ShotVersion} from '../../nomenclature/index.js';
import {describePlace, placedFiles, readFolderContents, type FilePlace, type FolderContents, type FolderContentsApi, type PlacedFile} from '../../structure/folder-contents.js';
import {formatBytes} from '../../format/bytes.js';
import {shotVersionOf} from '../../nomenclature/index.js';
import type {UploadGraph} from '../../app/upload-graph.js';
import type {Refusal, Skip} from './report-types.js';

export type RemoteCheck =
	| {verdict: 'missing'}
	| {verdict: 'present'; file: FrameioFile; place: FilePlace}
	| {verdict: 'size_differs'; file: FrameioFile; place: FilePlace}
	| {verdict: 'older_than_head'; head: string; mine: string; stackId: string};

export type RemoteListingsOptions = {
	/** The shot and version of a name (the nomenclature's). */
	versionOf?: (name: string) => ShotVersion | undefined;
	/** uploads.version_stacking: also refuse a version older than its stack's head. */
	stacking?: boolean;
};

export class RemoteListings {
	private readonly listings = new Map<string, Promise<FolderContents>>();
	private readonly stackFiles = new Map<string, Promise<FrameioFile[]>>();

	constructor(
		private readonly api: FolderContentsApi,
		private readonly accountId: string,
		private readonly options: RemoteListingsOptions = {},
	) {}

	async check(folderId: string, name: string, size: number): Promise<RemoteCheck> {
		const contents = await this.contents(folderId);
		const versionOf = this.options.versionOf ?? (() => undefined);
		const mine = versionOf(name);
		const headOf = (stack: VersionStack) => stack.head_version ?? undefined;
		const ofShot = contents.stacks.filter(stack => !mine || versionOf(headOf(stack)?.name ?? stack.name)?.shotKey === mine.shotKey);
		// A stack is opened (one call, 100 a minute) only when the file may be inside it below the head: its head is
		// the file's name (answered from head_version) or an older version (a new render) cannot hold it.
		const mustOpen = (stack: VersionStack) => {
			const head = headOf(stack);
			if (!head || !mine) return true;
			if (head.name === name) return false;
			const headVersion = versionOf(head.name);
			return !headVersion || headVersion.version >= mine.version;
		};
		const opened = new Map(await Promise.all(ofShot.filter(mustOpen).map(async stack => [stack.id, await this.filesOf(stack.id)] as const)));
		const heads: PlacedFile[] = ofShot
			.filter(stack => !opened.has(stack.id) && headOf(stack)?.name === name)
			.map(stack => ({file: headOf(stack)!, place: {kind: 'stacked', stackId: stack.id, position: null, count: null, head: true}}));
		const placed = [...placedFiles({...contents, stackFiles: opened}), ...heads].filter(({file}) => file.name === name && file.status !== 'created');
		const same = placed.find(({file}) => file.file_size === size);
		if (same) return {verdict: 'present', ...same};
		if (placed.length > 0) return {verdict: 'size_differs', ...placed[0]};
		if (this.options.stacking && mine) {
			for (const stack of ofShot) {
				const head = versionOf(headOf(stack)?.name ?? stack.name);
				if (head && head.version > mine.version) return {verdict: 'older_than_head', head: head.label, mine: mine.label, stackId: stack.id};
			}
		}
		return {verdict: 'missing'};
	}

	private contents(folderId: string): Promise<FolderContents> {
		let listing = this.listings.get(folderId);
		if (!listing) {
			listing = readFolderContents(this.api, this.accountId, folderId, () => false);
			listing.catch(() => this.listings.delete(folderId));
			this.listings.set(folderId, listing);
		}
		return listing;
	}

	private filesOf(stackId: string): Promise<FrameioFile[]> {
		let files = this.stackFiles.get(stackId);
		if (!files) {
			files = this.api.versionStackFiles(this.accountId, stackId);
			files.catch(() => this.stackFiles.delete(stackId));
			this.stackFiles.set(stackId, files);
		}
		return files;
	}
}

/** The listings of this run's target, with the nomenclature's versions and uploads.version_stacking. */
export function remoteListingsFor(graph: UploadGraph): RemoteListings {
	const {app} = graph;
	return new RemoteListings(app.client, graph.accountId, {
		versionOf: name => shotVersionOf(app.nomenclature.parse(name)),
		stacking: app.config.optimization.uploads.version_stacking,
	});
}

export type CheckedFile = {name: string; path?: string; size: number; folder: string};

/** What a check means for a file: queue it, skip it (already there) or refuse it (with the reason). */
export function checkOutcome(check: RemoteCheck, file: CheckedFile): {action: 'add'} | {action: 'skip'; skip: Skip} | {action: 'refuse'; refusal: Refusal} {
	const {name, path, size, folder} = file;
	switch (check.verdict) {
		case 'missing':
			return {action: 'add'};
		case 'present':
			return {action: 'skip', skip: {name, path, reason: presentReason(check.place), fileId: check.file.id, folderPath: folder}};
		case 'size_differs':
			return {action: 'refuse', refusal: {name, path, reason: sizeDiffersReason(check, size, folder)}};
		case 'older_than_head':
			return {action: 'refuse', refusal: {name, path, reason: olderThanHeadReason(check, folder)}};
	}
}

/** The skip reason of a file already there: `already uploaded (same name and size; stacked, head of 3)`. */
export function presentReason(place: FilePlace): string {
	return `already uploaded (same name and size; ${describePlace(place)})`;
}

/** Why a same-name file of another size is refused. */
export function sizeDiffersReason(check: Extract<RemoteCheck, {verdict: 'size_differs'}>, localSize: number, folder: string): string {
	return (
		`${folder} already has a file of this name with another size (${formatBytes(check.file.file_size)} on Frame.io, ${formatBytes(localSize)} here; ${describePlace(check.place)}): ` +
		'it would be a new version under an old name; rename it, or --force to upload it anyway'
	);
}

/** Why a version older than its stack's head is refused. */
export function olderThanHeadReason(check: Extract<RemoteCheck, {verdict: 'older_than_head'}>, folder: string): string {
	return `${check.mine} is older than ${check.head}, the head of the shot's version stack in ${folder}: Frame.io only adds a version on top; --force uploads it loose beside the stack`;
}
