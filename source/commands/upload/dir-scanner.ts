// What `watch` sees in its directory: regular files (not hidden ones) whose size and modification time have not
// changed for `stableMs`, each offered once until it changes again. A file already old when first seen (its mtime
// is more than stableMs ago) is stable at once; one still being written keeps moving its mtime and waits.
// Only the files currently in the directory are remembered, so memory follows the directory, not the run.
import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';

export type ScannedFile = {name: string; path: string; size: number; mtimeMs: number};

type Seen = {size: number; mtimeMs: number; since: number; handled: boolean};

export type ScanResult = {
	/** Stable and not handled yet. */
	stable: ScannedFile[];
	/** Not handled yet, still changing (or not stable for long enough): with the ms left until it may be. */
	changing: Array<ScannedFile & {waitMs: number}>;
};

export class DirScanner {
	private readonly seen = new Map<string, Seen>();

	constructor(
		readonly dir: string,
		private readonly stableMs: number,
		private readonly now: () => number = Date.now,
	) {}

	async scan(): Promise<ScanResult> {
		const entries = await readdir(this.dir, {withFileTypes: true});
		const present = new Set<string>();
		const result: ScanResult = {stable: [], changing: []};
		for (const entry of entries) {
			if (entry.name.startsWith('.') || !(entry.isFile() || entry.isSymbolicLink())) continue;
			const file = path.join(this.dir, entry.name);
			let info;
			try {
				info = await stat(file);
			} catch {
				continue; // gone between the listing and the stat
			}
			if (!info.isFile()) continue;
			present.add(entry.name);
			const now = this.now();
			let seen = this.seen.get(entry.name);
			if (!seen) {
				seen = {size: info.size, mtimeMs: info.mtimeMs, since: Math.min(now, info.mtimeMs), handled: false};
				this.seen.set(entry.name, seen);
			} else if (seen.size !== info.size || seen.mtimeMs !== info.mtimeMs) {
				// Changed (written to, or replaced by a new version): offered again once it settles.
				Object.assign(seen, {size: info.size, mtimeMs: info.mtimeMs, since: now, handled: false});
			}
			if (seen.handled) continue;
			const scanned = {name: entry.name, path: file, size: info.size, mtimeMs: info.mtimeMs};
			const waitMs = seen.since + this.stableMs - now;
			if (waitMs <= 0 && info.size > 0) result.stable.push(scanned);
			else result.changing.push({...scanned, waitMs: Math.max(Math.ceil(waitMs), 0)});
		}
		for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
		result.stable.sort((a, b) => a.name.localeCompare(b.name));
		return result;
	}

	/** Not offered again until the file changes. */
	markHandled(name: string): void {
		const seen = this.seen.get(name);
		if (seen) seen.handled = true;
	}

	/** How many files are remembered (the directory's, not the run's). */
	get size(): number {
		return this.seen.size;
	}
}
