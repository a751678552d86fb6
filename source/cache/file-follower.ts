// The reading side of the cache files for one process: what it has read of them (`tracked`), the snapshot read
// in slices, the journal followed from an offset, across one compaction through `.prev`, and from the snapshot
// again when further behind. No locking here: reading never needs it (snapshot-sync.ts says why).
import {stat, type FileHandle} from 'node:fs/promises';
import type {Logger} from 'pino';
import type {CacheState} from './cache-state.js';
import {OpMerge} from './cache-state.js';
import {parseOp} from './cache-ops.js';
import {readFirstLine, readLastLine, readLines, Slicer} from './line-reader.js';
import {decodeLegacySnapshot, isLegacySnapshot, parseJournalHead, parseSnapshotEnd, parseSnapshotHead, SnapshotFormatError, type JournalHead} from './snapshot-codec.js';
import {openIfExists} from './snapshot-file.js';
import {cacheJournalPath, previousJournalPath} from './snapshot-path.js';

export type FollowerOptions = {
	file: string;
	state: CacheState;
	logger: Logger;
	/** Entries set before this time are past max_cache_age_hours. */
	minT: () => number;
	sliceMs: number;
	/** Entries changed in memory by what was read. */
	onChanged: (keys: string[]) => void;
	/** A snapshot read again on the way turned out corrupt: set it aside (under the lock). */
	onCorrupt: () => Promise<void>;
};

export type SnapshotRead = {status: 'missing'} | {status: 'read'; skipped: number} | {status: 'corrupt'; reason: string};

type FileStamp = {ino: number; size: number; mtimeMs: number};

export type Tracked = {
	/** The snapshot generation memory is built on; undefined: none (no snapshot, or it was set aside). */
	gen: number | undefined;
	/** The journal of that generation being followed (its header's id), and how many of its bytes are applied. */
	id: string | undefined;
	offset: number;
	/** The journal as last seen: unchanged means nothing to read (one stat per poll). */
	seen: FileStamp | undefined;
};

export const base = (gen: number | undefined): Tracked => ({gen, id: undefined, offset: 0, seen: undefined});
export const stampOf = (info: FileStamp): FileStamp => ({ino: info.ino, size: info.size, mtimeMs: info.mtimeMs});
export const sameStamp = (a: FileStamp, b: FileStamp | undefined) => b !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

export type SnapshotInfo = {kind: 'missing'} | {kind: 'legacy'; size: number} | {kind: 'ok'; gen: number; size: number; entries: number} | {kind: 'corrupt'; reason: string};

export type JournalInfo = {size: number; head: JournalHead | undefined};

export const exists = (file: string) =>
	stat(file).then(
		() => true,
		(error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return false;
			throw error;
		},
	);

/** Generations a reader falls behind by more than one are re-read from the snapshot; this bounds the retries. */
const MAX_RELOADS = 3;

export class FileFollower {
	/** What memory holds of the files; the writer moves it when it starts a journal. */
	tracked: Tracked = base(undefined);
	readonly journalFile: string;
	readonly prevFile: string;

	constructor(private readonly options: FollowerOptions) {
		this.journalFile = cacheJournalPath(options.file);
		this.prevFile = previousJournalPath(options.file);
	}

	/** True when the journal is not as last seen (one stat). */
	async journalChanged(): Promise<boolean> {
		const info = await stat(this.journalFile).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return undefined;
			throw error;
		});
		return info !== undefined && !sameStamp(info, this.tracked.seen);
	}

	/**
	 * Reads the snapshot into memory and points `tracked` at its generation with no journal byte read yet.
	 * A corrupt file is reported, not thrown, so that the caller can set it aside under the lock.
	 */
	async readSnapshot(): Promise<SnapshotRead> {
		const handle = await openIfExists(this.options.file);
		if (!handle) {
			this.tracked = base(undefined);
			return {status: 'missing'};
		}
		try {
			const {size} = await handle.stat();
			const first = await readFirstLine(handle);
			if (first && isLegacySnapshot(first.line)) {
				// Version 1 is one JSON document; read once, then the next write replaces it with version 2.
				const data = decodeLegacySnapshot(await handle.readFile('utf8'));
				this.notify(this.options.state.merge(data, this.options.minT()));
				this.tracked = base(0);
				return {status: 'read', skipped: data.skipped};
			}
			if (!first) throw new SnapshotFormatError(size === 0 ? 'empty file' : 'not a frameio-admin cache snapshot');
			const head = parseSnapshotHead(first.line);
			const endLine = await readLastLine(handle, size);
			if (endLine === undefined || parseSnapshotEnd(endLine) === undefined) throw new SnapshotFormatError('the snapshot is cut short (no end line)');
			const end = size - Buffer.byteLength(endLine) - 1;
			const skipped = await this.applyLines(handle, first.end, end);
			this.options.state.cleanedAt = Math.max(this.options.state.cleanedAt, head.cleanedAt);
			this.tracked = base(head.gen);
			return {status: 'read', skipped: skipped.skipped};
		} catch (error) {
			if (error instanceof SnapshotFormatError) return {status: 'corrupt', reason: error.message};
			throw error;
		} finally {
			await handle.close();
		}
	}

	/** Applies lines [from, to) of a file. Returns how far complete lines went and how many were not operations. */
	private async applyLines(handle: FileHandle, from: number, to: number): Promise<{end: number; skipped: number}> {
		const merge = new OpMerge(this.options.state, this.options.minT());
		let skipped = 0;
		const end = await readLines(
			handle,
			from,
			to,
			line => {
				const op = parseOp(line);
				if (op) merge.apply(op);
				else skipped++;
			},
			{sliceMs: this.options.sliceMs},
		);
		const slicer = new Slicer(this.options.sliceMs);
		this.notify(await merge.finishInSlices(() => slicer.maybeYield()));
		if (skipped > 0) this.options.logger.debug({skipped}, 'Cache file lines skipped (not operations)');
		return {end, skipped};
	}

	private notify(changed: string[]): void {
		if (changed.length > 0) this.options.onChanged(changed);
	}

	/**
	 * Brings memory up to the files: the journal past the offset, across at most one compaction; further behind,
	 * the snapshot again. Returns how many journal lines were skipped.
	 */
	async catchUp(): Promise<number> {
		let skipped = 0;
		for (let reloads = 0; ; reloads++) {
			const step = await this.followJournal();
			if (step !== 'reload') return skipped + step;
			if (reloads >= MAX_RELOADS) throw new Error('the cache files kept changing while being read');
			this.options.logger.debug('Cache journal more than one generation ahead: reading the snapshot again');
			const snapshot = await this.readSnapshot();
			if (snapshot.status === 'corrupt') await this.options.onCorrupt();
			skipped = 0;
		}
	}

	private async followJournal(): Promise<number | 'reload'> {
		const handle = await openIfExists(this.journalFile);
		if (!handle) return 0;
		try {
			const info = stampOf(await handle.stat());
			const first = await readFirstLine(handle, 4096);
			const head = first && parseJournalHead(first.line);
			// Not a journal: the next writer sets it aside and starts a good one.
			if (!first || !head) return 0;
			const tracked = this.tracked;
			if (head.id === tracked.id) {
				if (info.size > tracked.offset) {
					const read = await this.applyLines(handle, tracked.offset, info.size);
					tracked.offset = read.end;
					tracked.seen = info;
					return read.skipped;
				}
				tracked.seen = info;
				return 0;
			}
			// Nothing read yet and a snapshot has appeared since we looked: it comes first.
			if (tracked.gen === undefined && tracked.id === undefined && (await exists(this.options.file))) return 'reload';
			let skipped = 0;
			if (tracked.gen !== undefined && head.gen !== tracked.gen) {
				// Left by a compaction that stopped before starting its journal: all of it is in our snapshot.
				if (head.gen < tracked.gen) {
					tracked.seen = info;
					return 0;
				}
				if (head.gen > tracked.gen + 1) return 'reload';
				const previous = await this.finishPrevious(tracked);
				if (previous === 'reload') return 'reload';
				skipped += previous;
			}
			this.tracked = {gen: head.gen, id: head.id, offset: first.end, seen: info};
			const read = await this.applyLines(handle, first.end, info.size);
			this.tracked.offset = read.end;
			return skipped + read.skipped;
		} finally {
			await handle.close();
		}
	}

	/** The rest of the journal of our generation, now `.prev`. */
	private async finishPrevious(tracked: Tracked): Promise<number | 'reload'> {
		const handle = await openIfExists(this.prevFile);
		if (!handle) return 'reload';
		try {
			const {size} = await handle.stat();
			const first = await readFirstLine(handle, 4096);
			const head = first && parseJournalHead(first.line);
			if (!first || !head || head.gen !== tracked.gen) return 'reload';
			const from = head.id === tracked.id ? tracked.offset : first.end;
			return (await this.applyLines(handle, from, size)).skipped;
		} finally {
			await handle.close();
		}
	}

	/** The snapshot's first and last lines: its generation and whether it is whole. */
	async snapshotInfo(): Promise<SnapshotInfo> {
		const handle = await openIfExists(this.options.file);
		if (!handle) return {kind: 'missing'};
		try {
			const {size} = await handle.stat();
			const first = await readFirstLine(handle);
			if (first && isLegacySnapshot(first.line)) return {kind: 'legacy', size};
			if (!first) return {kind: 'corrupt', reason: size === 0 ? 'empty file' : 'not a frameio-admin cache snapshot'};
			const head = parseSnapshotHead(first.line);
			const entries = parseSnapshotEnd((await readLastLine(handle, size)) ?? '');
			if (entries === undefined) return {kind: 'corrupt', reason: 'the snapshot is cut short (no end line)'};
			return {kind: 'ok', gen: head.gen, size, entries};
		} catch (error) {
			if (error instanceof SnapshotFormatError) return {kind: 'corrupt', reason: error.message};
			throw error;
		} finally {
			await handle.close();
		}
	}

	async journalInfo(): Promise<JournalInfo | undefined> {
		const handle = await openIfExists(this.journalFile);
		if (!handle) return undefined;
		try {
			const {size} = await handle.stat();
			const first = await readFirstLine(handle, 4096);
			return {size, head: first ? parseJournalHead(first.line) : undefined};
		} finally {
			await handle.close();
		}
	}

	/**
	 * Before starting the journal of generation `gen` under the lock: memory must hold snapshot `gen`. From the
	 * generation before, finishing its journal is enough; otherwise the snapshot is read.
	 */
	async reachSnapshot(gen: number, current: JournalHead | undefined): Promise<void> {
		const {tracked} = this;
		if (tracked.gen === gen) return;
		if (tracked.gen === gen - 1) {
			// The journal of the generation before is still in place and was read to its end just now.
			if (current && current.id === tracked.id) return;
			if ((await this.finishPrevious(tracked)) !== 'reload') return;
		}
		const snapshot = await this.readSnapshot();
		if (snapshot.status !== 'read') throw new Error(`the cache snapshot could not be read again (${snapshot.status})`);
	}

}
