// Version stacking (uploads.version_stacking): once an upload has landed, a file whose name parses to a shot and a
// version joins that shot's version stack in its folder, so that a reviewer sees v003 on top of v002 and v001 rather
// than three loose files.
// - A stack of the shot exists: the file is moved into it (PATCH files/{id}/move), where it becomes the head.
// - No stack, but earlier (or later) versions of the shot lie loose in the folder: a stack is created from all of
//   them, oldest to newest (POST version_stacks takes 2-10 files in order; more are moved in on top, in order).
// - A version older than the head of an existing stack is refused, and the file stays loose beside the stack.
//   Frame.io has no call to put a file anywhere in a stack but on top; re-creating the stack in a new order would
//   replace the stack reviewers have (its id and view link) and cannot hold more than ten files, so we do not.
// Within one queue, placements in a folder run one at a time, and a file waits for the older versions of its shot
// still uploading in the same queue, so that `upload v001 v002 v003` stacks them in order whatever finishes first.
// Another process stacking the same shot at the same moment can make a create or a move fail (the files moved
// meanwhile): the placement is read and tried once more.
import {printable} from '../format/printable.js';
import type {Logger} from 'pino';
import type {FrameioFile, VersionStack} from '../frameio/types.js';
import {type ShotVersion} from '../nomenclature/index.js';
import {readFolderContents, type FolderContents, type FolderContentsApi} from '../structure/folder-contents.js';
import type {JobStack, UploadJob} from './job.js';
import {errorMessage, errorStatus} from './upload-api.js';

export type StackingApi = FolderContentsApi & {
	file(accountId: string, fileId: string): Promise<FrameioFile>;
	createVersionStack(accountId: string, folderId: string, fileIds: readonly string[]): Promise<VersionStack>;
	moveFile(accountId: string, fileId: string, parentId: string): Promise<FrameioFile>;
};

export type VersionStackingOptions = {
	api: StackingApi;
	/** The shot and version of a file name (the nomenclature's), undefined for names without one. */
	versionOf: (name: string) => ShotVersion | undefined;
	/** A stack was created or a file moved in this folder: its cached listings are stale. */
	onChanged?: (folderId: string) => void;
};

/** POST version_stacks takes at most this many files. */
const MAX_CREATE = 10;

/** `stacked on v001 (new version stack)`, `not stacked: …`: one phrase for the commands and the console. */
export function describeStack(stack: JobStack): string {
	if (stack.state !== 'stacked') return `not stacked: ${stack.reason ?? stack.state}`;
	const where = stack.on ? `stacked on ${stack.on}` : `stacked under ${stack.head ?? 'the head'} (the oldest version)`;
	return stack.created ? `${where} (new version stack)` : where;
}

class StackConflict extends Error {}

export class VersionStacker {
	private readonly folderLocks = new Map<string, Promise<unknown>>();
	private readonly waiters = new Set<() => void>();

	constructor(
		private readonly options: VersionStackingOptions,
		private readonly accountId: string,
		private readonly logger?: Logger,
	) {}

	/** Another job changed state: a placement waiting for an older version may go on. */
	wake(): void {
		for (const wake of [...this.waiters]) wake();
	}

	/**
	 * Places the job's landed file. Undefined when there is nothing to stack with (no version in its name, or no other
	 * version of the shot in the folder). Never throws but for an abort: a placement that fails leaves the file loose
	 * and says why.
	 */
	async place(job: UploadJob, signal: AbortSignal, unfinished: () => UploadJob[]): Promise<JobStack | undefined> {
		const mine = this.options.versionOf(job.name);
		const fileId = job.fileId;
		const folderId = job.targetFolderId;
		if (!mine || !fileId || !folderId) return undefined;
		await this.olderVersionsDone(job, mine, signal, unfinished);
		return this.inFolder(folderId, async () => {
			for (let attempt = 1; ; attempt++) {
				if (signal.aborted) throw signal.reason;
				try {
					const outcome = await this.placeOnce(fileId, folderId, mine);
					if (outcome) this.logger?.info({id: job.id, name: job.name, fileId, folderId, stack: outcome}, `${job.name}: ${describeStack(outcome)}`);
					return outcome;
				} catch (error) {
					if (signal.aborted) throw signal.reason;
					if ((error instanceof StackConflict || isConflict(error)) && attempt < 2) continue;
					const reason = `the version stack could not be updated: ${errorMessage(error)}`;
					this.logger?.warn({id: job.id, name: job.name, fileId, folderId, err: error}, `${job.name}: not stacked: ${reason}`);
					return {state: 'failed', reason};
				}
			}
		});
	}

	private async placeOnce(fileId: string, folderId: string, mine: ShotVersion): Promise<JobStack | undefined> {
		const {api, versionOf} = this.options;
		const contents = await readFolderContents(api, this.accountId, folderId, () => false);
		const sameShot = (name: string) => versionOf(name)?.shotKey === mine.shotKey;
		if (!contents.loose.some(file => file.id === fileId)) return this.alreadyPlaced(fileId, contents);

		const stack = newestStack(contents.stacks.filter(each => sameShot(each.head_version?.name ?? each.name)), versionOf);
		if (stack) {
			const head = versionOf(stack.head_version?.name ?? stack.name);
			const headLabel = head?.label ?? printable(stack.name);
			if (head && mine.version < head.version) {
				return {
					state: 'refused',
					stackId: stack.id,
					head: head.label,
					reason: `${mine.label} is older than ${head.label}, the head of its version stack (Frame.io only adds a version on top); left loose beside it`,
				};
			}
			await this.move(fileId, stack.id, folderId);
			return {state: 'stacked', stackId: stack.id, on: headLabel, head: mine.label, created: false};
		}

		const others = contents.loose.filter(file => file.id !== fileId && file.status !== 'created' && sameShot(file.name));
		if (others.length === 0) return undefined;
		const me = contents.loose.find(file => file.id === fileId)!;
		const ordered = [...others, me].sort((a, b) => compareVersions(a, b, versionOf));
		const created = await this.options.api.createVersionStack(this.accountId, folderId, ordered.slice(0, MAX_CREATE).map(file => file.id)).catch(rethrowConflict);
		this.options.onChanged?.(folderId);
		// Past ten, the rest go on top one by one, in order: each move makes its file the head.
		for (const file of ordered.slice(MAX_CREATE)) await this.move(file.id, created.id, folderId);
		const index = ordered.indexOf(me);
		return {
			state: 'stacked',
			stackId: created.id,
			on: index > 0 ? labelOf(ordered[index - 1], versionOf) : undefined,
			head: labelOf(ordered.at(-1)!, versionOf),
			created: true,
		};
	}

	/** The file is not loose any more: another placement (ours, or another process's) stacked it. Say where. */
	private async alreadyPlaced(fileId: string, contents: FolderContents): Promise<JobStack> {
		const file = await this.options.api.file(this.accountId, fileId);
		const stack = contents.stacks.find(each => each.id === file.parent_id);
		if (!stack) return {state: 'failed', reason: 'the file is no longer in its target folder (moved on Frame.io)'};
		const files = await this.options.api.versionStackFiles(this.accountId, stack.id);
		const index = files.findIndex(each => each.id === fileId);
		const versionOf = this.options.versionOf;
		return {state: 'stacked', stackId: stack.id, on: index > 0 ? labelOf(files[index - 1], versionOf) : undefined, head: labelOf(files.at(-1) ?? file, versionOf)};
	}

	private async move(fileId: string, stackId: string, folderId: string): Promise<void> {
		await this.options.api.moveFile(this.accountId, fileId, stackId).catch(rethrowConflict);
		this.options.onChanged?.(folderId);
	}

	/** Waits while an older version of the same shot, into the same folder, is still queued or uploading here. */
	private async olderVersionsDone(job: UploadJob, mine: ShotVersion, signal: AbortSignal, unfinished: () => UploadJob[]): Promise<void> {
		const blocking = () =>
			unfinished().some(other => {
				if (other.id === job.id || !sameFolder(other, job)) return false;
				const theirs = this.options.versionOf(other.name);
				return theirs !== undefined && theirs.shotKey === mine.shotKey && theirs.version < mine.version;
			});
		while (blocking()) {
			if (signal.aborted) throw signal.reason;
			await new Promise<void>(resolve => {
				const done = () => {
					this.waiters.delete(done);
					signal.removeEventListener('abort', done);
					resolve();
				};
				this.waiters.add(done);
				signal.addEventListener('abort', done, {once: true});
			});
		}
		if (signal.aborted) throw signal.reason;
	}

	private inFolder<T>(folderId: string, work: () => Promise<T>): Promise<T> {
		const previous = this.folderLocks.get(folderId) ?? Promise.resolve();
		const next = previous.then(work, work);
		const tail = next.catch(() => undefined);
		this.folderLocks.set(folderId, tail);
		void tail.then(() => {
			if (this.folderLocks.get(folderId) === tail) this.folderLocks.delete(folderId);
		});
		return next;
	}
}

function sameFolder(a: UploadJob, b: UploadJob): boolean {
	if (a.targetFolderId && b.targetFolderId) return a.targetFolderId === b.targetFolderId;
	const folder = (job: UploadJob) => (job.target ? `${job.target.root ?? ''}\u0000${job.target.folder ?? ''}` : undefined);
	return folder(a) !== undefined && folder(a) === folder(b);
}

function newestStack(stacks: VersionStack[], versionOf: VersionStackingOptions['versionOf']): VersionStack | undefined {
	const version = (stack: VersionStack) => versionOf(stack.head_version?.name ?? stack.name)?.version ?? -1;
	return stacks.reduce<VersionStack | undefined>((best, stack) => (!best || version(stack) > version(best) ? stack : best), undefined);
}

function compareVersions(a: FrameioFile, b: FrameioFile, versionOf: VersionStackingOptions['versionOf']): number {
	const byVersion = (versionOf(a.name)?.version ?? 0) - (versionOf(b.name)?.version ?? 0);
	if (byVersion !== 0) return byVersion;
	return a.created_at.localeCompare(b.created_at) || a.name.localeCompare(b.name);
}

function labelOf(file: FrameioFile, versionOf: VersionStackingOptions['versionOf']): string {
	return versionOf(file.name)?.label ?? printable(file.name);
}

/** A 409, or a 422 on a create or move: the folder changed under us (another process stacked these files). */
function isConflict(error: unknown): boolean {
	const status = errorStatus(error);
	return status === 409 || status === 422 || status === 404;
}

function rethrowConflict(error: unknown): never {
	if (isConflict(error)) throw new StackConflict(errorMessage(error));
	throw error;
}
