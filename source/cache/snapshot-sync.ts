// Keeps one process's CacheState and the shared files in step (the design is in api-cache.ts's header):
// appends this process's changes to the journal under the lock, compacts the journal into a new snapshot
// generation when it has grown past its bound, and recovers from corrupt files and from writers that died
// halfway. Reading is file-follower.ts's.
//
// What a process knows of the files is `tracked`: the generation of its snapshot, the journal of that generation
// (by the random id in its header: inode numbers are reused) and how many of its bytes it has applied. Reading
// never needs the lock:
// - same journal, grown: apply the bytes past the offset (only complete lines; a line being written, or torn by
//   a writer that died, is left: the next writer cuts a torn one off before appending);
// - a journal of the next generation: someone compacted. Its snapshot is the previous one plus the previous
//   journal, which is kept as `.prev`: finish that from the offset, then read the new one. No snapshot re-read.
// - anything else (two or more generations behind, `.prev` gone): read the snapshot again, then its journal.
// Writing, under the lock: first read what others appended (so the offset is the end), then append; a torn tail
// past the offset is cut off first.
// Compaction, under the lock, with everything appended first, in this order: write the snapshot of generation
// G+1 (temp file, fsync, rename), move the journal to `.prev`, create the journal of G+1. A crash between steps
// leaves a snapshot newer than the journal (harmless: the journal's operations are all in it; the next writer
// moves it to `.prev` and starts the journal of the snapshot's generation) or no journal (the next writer
// creates it). When there is no usable snapshot (missing, corrupt, version 1), the whole state is written as
// generation G+2: it is not "G plus the journal of G", so readers must not take the `.prev` path to it.
import {randomBytes} from 'node:crypto';
import {access, constants, rename, stat} from 'node:fs/promises';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import type {Logger} from 'pino';
import {ensurePrivateDirAsync} from '../log/private-dir.js';
import type {CacheState, PurgeRule} from './cache-state.js';
import {base, exists, FileFollower, stampOf} from './file-follower.js';
import {PendingOps} from './pending-ops.js';
import {journalHead, snapshotChunks, viewOf} from './snapshot-codec.js';
import {removeStaleTemps, replaceFile, setAside, withSnapshotLock, writeAt, type LockSettings} from './snapshot-file.js';

export type SnapshotLoad =
	| {status: 'memory'}
	| {status: 'missing'}
	| {status: 'loaded'; entries: number; skipped: number}
	| {status: 'corrupt'; reason: string; setAsidePath?: string}
	| {status: 'unreadable'; reason: string};

export type SnapshotSyncOptions = {
	file: string;
	state: CacheState;
	logger: Logger;
	now: () => number;
	/** Entries set before this time are past max_cache_age_hours. */
	minT: () => number;
	/** This process's id in the files' counters and temp file names. */
	writer: string;
	readOnly: boolean;
	pollIntervalMs: number;
	flushDelayMs: number;
	counterFlushMs: number;
	lockStaleMs: number;
	lockRetries: number;
	/** The journal is compacted once it is larger than both this and compactRatio × the snapshot. */
	compactMinBytes: number;
	compactRatio: number;
	/** Longest stretch of decoding between two turns of the event loop. */
	sliceMs: number;
	/** Entries changed in memory by the files (another process) or dropped for age while writing. */
	onChanged: (origin: 'local' | 'external', keys: string[]) => void;
};

export class SnapshotSync {
	lastLoad: SnapshotLoad = {status: 'missing'};

	private readonly files: FileFollower;
	private readonly lock: LockSettings;
	/** Memory holds everything the files hold (the load at open went through): only then may it compact. */
	private complete = false;
	private readonly pending = new PendingOps();
	/** The whole state must be written (a corrupt snapshot was set aside while this process held entries). */
	private fullWrite = false;
	private flushTimer: NodeJS.Timeout | undefined;
	private flushDueAt = Infinity;
	private lastWriteMs = 0;
	private pollTimer: NodeJS.Timeout | undefined;
	private pollQueued = false;
	/** File work runs one step at a time: load, poll and write never interleave within a process. */
	private io: Promise<void> = Promise.resolve();
	private loading: Promise<void> = Promise.resolve();
	private opened = false;
	private closed = false;
	/** Inside a locked step: recovery during it must not try to take the lock again. */
	private holdingLock = false;
	/** Why the last write failed, while its changes are still pending. */
	private writeError: Error | undefined;

	constructor(private readonly options: SnapshotSyncOptions) {
		this.files = new FileFollower({
			file: options.file,
			state: options.state,
			logger: options.logger,
			minT: options.minT,
			sliceMs: options.sliceMs,
			onChanged: keys => options.onChanged('external', keys),
			onCorrupt: () => this.recoverCorrupt(false),
		});
		this.lock = {
			staleMs: options.lockStaleMs,
			retries: options.lockRetries,
			onCompromised: error => options.logger.warn({err: error}, 'Cache snapshot lock was taken over while held'),
		};
	}

	/** Starts the load; with `wait: false` it goes on in the background (lookups miss until it is done). */
	async open(wait = true): Promise<void> {
		if (this.opened) return;
		this.opened = true;
		this.loading = this.enqueue(async () => {
			if (!this.options.readOnly) await this.prepareDir();
			await this.load();
		});
		if (this.options.pollIntervalMs > 0) {
			this.pollTimer = setInterval(() => this.poll(), this.options.pollIntervalMs);
			this.pollTimer.unref();
		}
		// Changes made before open() have not been scheduled yet.
		if (!this.pending.empty) this.markDirty();
		if (wait) await this.loading;
	}

	/** Resolves when the load started by open() is done. */
	whenLoaded(): Promise<void> {
		return this.loading;
	}

	markSet(key: string): void {
		this.pending.sets.add(key);
		this.markDirty();
	}

	markDel(key: string, at: number): void {
		this.pending.del(key, at);
		this.markDirty();
	}

	markRule(rule: PurgeRule): void {
		this.pending.rules.push(rule);
		this.markDirty();
	}

	markCleaned(): void {
		this.pending.cleaned = true;
		this.markDirty();
	}

	markCountersDirty(): void {
		this.pending.counters = true;
		this.schedule(this.options.counterFlushMs);
	}

	markDirty(): void {
		// A slow write (a compaction) is not followed by another right away.
		this.schedule(Math.max(this.options.flushDelayMs, 2 * this.lastWriteMs));
	}

	/** Writes what is pending; with nothing pending, reads what others wrote. After it, memory and files agree. */
	async flush(): Promise<void> {
		this.clearTimer();
		await this.enqueue(() => this.write());
	}

	async refresh(): Promise<void> {
		await this.enqueue(() => this.pollOnce());
	}

	/** Why this process's changes are not in the files (the last write failed and they are still pending), or undefined. */
	unwritten(): Error | undefined {
		return this.pending.empty && !this.fullWrite ? undefined : this.writeError;
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		if (this.pollTimer) clearInterval(this.pollTimer);
		await this.flush();
	}

	/** Can this process read the files and take the lock? Writes nothing, never throws. */
	async check(): Promise<{ok: boolean; detail: string}> {
		const {file} = this.options;
		try {
			const snapshot = await this.files.snapshotInfo();
			if (snapshot.kind === 'corrupt') return {ok: false, detail: `${file}: corrupt (${snapshot.reason})`};
			const journal = await this.files.journalInfo();
			await withSnapshotLock(file, {...this.lock, retries: Math.min(this.lock.retries, 10)}, async () => {
				await access(path.dirname(file), constants.W_OK);
			});
			if (snapshot.kind === 'missing' && !journal) return {ok: true, detail: `${file}: not written yet, directory writable`};
			const entries = snapshot.kind === 'ok' ? `${snapshot.entries} entries` : snapshot.kind === 'legacy' ? 'version 1 snapshot' : 'no snapshot';
			return {ok: true, detail: `${file}: ${entries}, journal ${journal ? `${journal.size} B` : 'none'}, readable and writable`};
		} catch (error) {
			return {ok: false, detail: `${file}: ${(error as Error).message}`};
		}
	}

	private async locked(fn: () => Promise<void>): Promise<void> {
		if (this.holdingLock) return fn();
		await withSnapshotLock(this.options.file, this.lock, async () => {
			this.holdingLock = true;
			try {
				await fn();
			} finally {
				this.holdingLock = false;
			}
		});
	}

	private enqueue(step: () => Promise<void>): Promise<void> {
		const run = this.io.then(step);
		this.io = run.catch(() => {});
		return run;
	}

	private schedule(delayMs: number): void {
		if (this.options.readOnly || this.closed || !this.opened) return;
		const due = performance.now() + delayMs;
		if (this.flushTimer && due >= this.flushDueAt) return;
		this.clearTimer();
		this.flushDueAt = due;
		this.flushTimer = setTimeout(() => {
			this.flushTimer = undefined;
			this.flushDueAt = Infinity;
			void this.enqueue(() => this.write());
		}, delayMs);
		this.flushTimer.unref();
	}

	private clearTimer(): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.flushTimer = undefined;
		this.flushDueAt = Infinity;
	}

	private poll(): void {
		if (this.pollQueued || this.closed) return;
		this.pollQueued = true;
		void this.enqueue(async () => {
			this.pollQueued = false;
			await this.pollOnce();
		});
	}

	/** One stat when nothing changed; otherwise the new lines. */
	private async pollOnce(): Promise<void> {
		try {
			if (await this.files.journalChanged()) await this.files.catchUp();
		} catch (error) {
			this.options.logger.debug({err: error}, 'Cache journal poll failed');
		}
	}

	/**
	 * A writer creates its directory at open, 0700 (ensurePrivateDir), before anything else in the process (the upload
	 * queue) creates it with a wider mode. A directory that cannot be created is reported by the first write.
	 */
	private async prepareDir(): Promise<void> {
		try {
			await ensurePrivateDirAsync(path.dirname(this.options.file));
		} catch (error) {
			this.options.logger.debug({err: error}, `Cache directory not created: ${path.dirname(this.options.file)}`);
		}
	}

	/** The load at open: the snapshot, then its journal. */
	private async load(): Promise<void> {
		const {file, logger, state} = this.options;
		try {
			const snapshot = await this.files.readSnapshot();
			const skipped = snapshot.status === 'read' ? snapshot.skipped : 0;
			if (snapshot.status === 'corrupt') await this.recoverCorrupt(true);
			const journal = await this.files.catchUp();
			this.complete = true;
			if (this.lastLoad.status !== 'corrupt') {
				this.lastLoad = snapshot.status === 'missing' && !journal ? {status: 'missing'} : {status: 'loaded', entries: state.size, skipped: skipped + journal};
			}
		} catch (error) {
			logger.warn({err: error}, `Cache snapshot unreadable: ${file}`);
			this.lastLoad = {status: 'unreadable', reason: (error as Error).message};
		}
	}

	/** Under the lock, so that a good replacement written meanwhile is never moved. */
	private async recoverCorrupt(atOpen: boolean): Promise<void> {
		const {file, logger, state} = this.options;
		try {
			await this.locked(async () => {
				const again = await this.files.snapshotInfo();
				if (again.kind !== 'corrupt') {
					// Replaced by a good one meanwhile.
					const snapshot = await this.files.readSnapshot();
					if (snapshot.status !== 'corrupt') return;
				}
				const reason = again.kind === 'corrupt' ? again.reason : 'corrupt';
				const setAsidePath = await setAside(file, new Date(this.options.now()));
				this.files.tracked = base(undefined);
				logger.warn({reason, setAsidePath}, `Cache snapshot corrupt (${reason}): moved to ${setAsidePath}, going on from the journal alone`);
				if (atOpen) this.lastLoad = {status: 'corrupt', reason, setAsidePath};
				// A running process keeps what it holds and writes it back.
				if (state.size > 0) {
					this.fullWrite = true;
					this.markDirty();
				}
			});
		} catch (error) {
			logger.warn({err: error}, `Cache snapshot corrupt and could not be set aside: ${file}`);
			if (atOpen) this.lastLoad = {status: 'corrupt', reason: (error as Error).message};
		}
	}

	// ---- writing

	private async write(): Promise<void> {
		const {file, logger} = this.options;
		// Nothing to write: still take in what others wrote, so that after flush() memory and files agree.
		if (this.options.readOnly || (this.pending.empty && !this.fullWrite)) return this.pollOnce();
		const started = performance.now();
		let taken: PendingOps | undefined;
		try {
			await this.locked(async () => {
				const {files} = this;
				await files.catchUp();
				let snapshot = await files.snapshotInfo();
				if (snapshot.kind === 'corrupt') {
					const setAsidePath = await setAside(file, new Date(this.options.now()));
					logger.warn({reason: snapshot.reason, setAsidePath}, `Cache snapshot corrupt (${snapshot.reason}): moved to ${setAsidePath}`);
					snapshot = {kind: 'missing'};
					this.fullWrite = true;
				}
				let journal = await files.journalInfo();
				const journalGen = journal?.head?.gen ?? -1;
				if (this.complete && (this.fullWrite || snapshot.kind !== 'ok' || journalGen > snapshot.gen)) {
					// No usable snapshot under the journal: write the whole state. Readers follow a compaction through
					// `.prev` only when the new snapshot is the old one plus the old journal, which is not the case
					// here: skipping a generation makes them read the new snapshot instead.
					taken = this.pending.take();
					const latest = Math.max(snapshot.kind === 'ok' ? snapshot.gen : 0, journalGen, files.tracked.gen ?? 0);
					await this.compact(snapshot.kind === 'missing' && !journal ? latest + 1 : latest + 2);
					return;
				}
				const baseGen = snapshot.kind === 'ok' ? snapshot.gen : Math.max(journalGen, 0);
				if (journal && !journal.head) {
					const setAsidePath = await setAside(files.journalFile, new Date(this.options.now()));
					logger.warn({setAsidePath}, `Cache journal corrupt (no header): moved to ${setAsidePath}`);
					journal = undefined;
				}
				if (!journal?.head || journal.head.gen < baseGen) {
					// No journal (a first write, or a compaction that stopped before starting it), or one left behind by
					// a compaction that stopped halfway (its operations are all in the snapshot): start the snapshot's.
					await files.reachSnapshot(baseGen, journal?.head);
					await this.startJournal(baseGen, journal !== undefined);
				}
				// Caught up under the lock, this is the journal being followed; if not, try again later rather than guess.
				else if (journal.head.id !== files.tracked.id) throw new Error('the cache journal changed under the lock');
				taken = this.pending.take();
				const text = taken.encode(this.options.state, this.options.writer);
				// Bytes past our offset can only be a line torn by a writer that died: writeAt cuts them off.
				if (text !== '') {
					files.tracked.offset = await writeAt(files.journalFile, files.tracked.offset, text);
					files.tracked.seen = stampOf(await stat(files.journalFile));
				}
				const bound = Math.max(this.options.compactMinBytes, this.options.compactRatio * (snapshot.kind === 'ok' ? snapshot.size : 0));
				if (this.complete && files.tracked.offset > bound) await this.compact(baseGen + 1);
			});
			this.fullWrite = false;
			this.writeError = undefined;
		} catch (error) {
			if (taken) this.pending.restore(taken);
			this.writeError = error as Error;
			logger.warn({err: error}, `Cache write failed: ${file}`);
			if (!this.closed) this.schedule(Math.max(1000, this.options.flushDelayMs));
		} finally {
			this.lastWriteMs = performance.now() - started;
		}
	}

	/** Moves the journal to `.prev` (when there is one) and starts an empty one of generation `gen`. Under the lock. */
	private async startJournal(gen: number, keepPrevious: boolean): Promise<void> {
		const {journalFile, prevFile} = this.files;
		if (keepPrevious) await rename(journalFile, prevFile);
		const id = randomBytes(6).toString('hex');
		const size = await replaceFile(journalFile, `${journalFile}.tmp-${this.options.writer}`, [journalHead(gen, id)]);
		this.files.tracked = {gen, id, offset: size, seen: stampOf(await stat(journalFile))};
	}

	/**
	 * Writes the whole state as snapshot generation `gen`, then starts its journal. Under the lock, with memory
	 * caught up: what is written is everything the files held plus this process's changes.
	 */
	private async compact(gen: number): Promise<void> {
		const {file, state} = this.options;
		const started = performance.now();
		const minT = this.options.minT();
		const old = state.dropOlderThan(minT);
		state.compact(minT);
		// Everything pending is in memory and so in the snapshot; what changes while it is written goes to the new journal.
		this.pending.take();
		const stale = await removeStaleTemps([file, this.files.journalFile]);
		if (stale.length > 0) this.options.logger.info({removed: stale}, `Cache temp files of a writer that died removed: ${stale.join(', ')}`);
		const view = viewOf(state);
		const chunks = snapshotChunks(view, {gen, writer: this.options.writer, writtenAt: this.options.now()});
		const bytes = await replaceFile(file, `${file}.tmp-${this.options.writer}`, chunks);
		await this.startJournal(gen, await exists(this.files.journalFile));
		this.fullWrite = false;
		this.options.logger.debug({gen, entries: view.entries.length, bytes, ms: Math.round(performance.now() - started)}, 'Cache journal compacted into a new snapshot');
		if (old.length > 0) this.options.onChanged('local', old);
	}
}
