// The check before an upload creates a scene or shot folder: a folder about to be created must fit the layout (the
// folders the nomenclature's mapping can produce), and must not differ only in case from a folder already there.
// `test-upload x.mov sc01_seq01 shot42` used to create sc01_seq01 beside SC01_SEQ01; now it is refused with the
// nearest existing name, and the caller's way to create it anyway (the CLI's --create-folders).
//
// Only folders that do not exist are judged: an existing path is used as it is, whatever its name. What exists is
// found by a dry run of find-or-create (a cached listing is trusted only when it shows the folder), so the listing
// of the first missing folder's parent is fresh when its siblings are compared.
import {printable} from '../format/printable.js';
import type {Folder} from '../frameio/types.js';
import {type FolderLevel, type Nomenclature} from '../nomenclature/index.js';
import type {FindOrCreateResult} from '../structure/index.js';

export type FolderGuardOptions = {
	nomenclature: Pick<Nomenclature, 'layoutFolder'>;
	/** A dry run of find-or-create: which folders of the path exist (and their ids); creates nothing. */
	findPath(accountId: string, rootFolderId: string, segments: readonly string[]): Promise<FindOrCreateResult>;
	/** The sub-folders of a folder (every page). */
	subfolders(accountId: string, folderId: string): Promise<Folder[]>;
};

export type FolderRefusal = {
	ok: false;
	level: FolderLevel;
	/** The folder that would have been created, as given. */
	name: string;
	/** The existing sibling offered instead: the same name in another case, else the closest by edit distance. */
	suggestion?: string;
	/** The whole refusal, ending with the caller's hint, e.g. "(--create-folders creates it as given)". */
	message: string;
};

export type FolderVerdict = {ok: true} | FolderRefusal;

export class FolderGuard {
	/** One verdict per path and root for this guard's life: many files of one shot cost one look. */
	private readonly verdicts = new Map<string, Promise<FolderVerdict>>();

	constructor(
		private readonly options: FolderGuardOptions,
		readonly accountId: string,
		readonly rootFolderId: string,
	) {}

	/** Whether the folders of `segments` (a layout path below the root) may be created; `hint` ends a refusal. */
	check(segments: readonly string[], hint: string, rootFolderId = this.rootFolderId): Promise<FolderVerdict> {
		const key = `${rootFolderId}\u0000${segments.join('/')}\u0000${hint}`;
		let pending = this.verdicts.get(key);
		if (!pending) {
			pending = this.judge(segments, hint, rootFolderId);
			pending.catch(() => this.verdicts.delete(key));
			this.verdicts.set(key, pending);
		}
		return pending;
	}

	private async judge(segments: readonly string[], hint: string, rootFolderId: string, look = 1): Promise<FolderVerdict> {
		const found = await this.options.findPath(this.accountId, rootFolderId, segments);
		const firstMissing = found.segments.findIndex(segment => segment.status !== 'found');
		if (firstMissing < 0) return {ok: true};
		const parentId = firstMissing === 0 ? rootFolderId : found.segments[firstMissing - 1]!.id;
		// Below the first missing folder there is nothing yet to compare with: only the layout is asked.
		for (let index = firstMissing; index < segments.length; index++) {
			const name = segments[index]!;
			const layout = this.options.nomenclature.layoutFolder(index, name);
			if (layout.level === null) continue;
			const siblings = index === firstMissing && parentId ? (await this.options.subfolders(this.accountId, parentId)).map(folder => folder.name) : [];
			// Created meanwhile (another process or farm node that wants the same shot): look at the path again.
			if (siblings.includes(name)) return look < 3 ? this.judge(segments, hint, rootFolderId, look + 1) : {ok: true};
			const twin = siblings.find(sibling => sibling.toLowerCase() === name.toLowerCase());
			const what = `no ${layout.level} folder ${printable(name)}`;
			if (twin !== undefined) return refusal(layout.level, name, twin, `${what}: did you mean ${printable(twin)}? (${hint})`);
			if (layout.fits) continue;
			const fitting = siblings.filter(sibling => this.options.nomenclature.layoutFolder(index, sibling).fits);
			const nearest = closest(name, fitting.length > 0 ? fitting : siblings);
			const example = layout.examples.length > 0 ? `, e.g. ${layout.examples.slice(0, 2).join(', ')}` : '';
			const why = `${what}, and ${printable(name)} does not fit the layout's ${layout.level} folders (${layout.format}${example})`;
			return refusal(layout.level, name, nearest, `${why}${nearest === undefined ? '' : `: did you mean ${printable(nearest)}?`} (${hint})`);
		}
		return {ok: true};
	}
}

function refusal(level: FolderLevel, name: string, suggestion: string | undefined, message: string): FolderRefusal {
	return suggestion === undefined ? {ok: false, level, name, message} : {ok: false, level, name, suggestion, message};
}

/** The candidate nearest to `name` by edit distance, case aside; ties go to the first in name order. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
	let best: {candidate: string; distance: number} | undefined;
	for (const candidate of [...candidates].sort()) {
		const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
		if (!best || distance < best.distance) best = {candidate, distance};
	}
	return best?.candidate;
}

/** Levenshtein distance, one row at a time. */
export function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = current;
	}
	return previous[b.length]!;
}
