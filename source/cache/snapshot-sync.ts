// Keeps one process's CacheState and the shared snapshot file in step (the design is in api-cache.ts's header):
// debounced locked merge-and-write, a poller that merges other processes' writes, and corrupt-file recovery.
import {access, constants} from 'node:fs/promises';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import type {Logger} from 'pino';
import type {CacheState, SnapshotData} from './cache-state.js';
import {decodeSnapshot, encodeSnapshot, SnapshotFormatError} from './snapshot-codec.js';
import {
	readSnapshotFile,
	sameSignature,
	setAside,
	statSignature,
	withSnapshotLock,
	writeSnapshotFile,
	type FileSignature,
	type LockSettings,
} from './snapshot-file.js';

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
	/** This process's id in the file's counters. */
	writer: string;
	readOnly: boolean;
	pollIntervalMs: number;
	flushDelayMs: number;
	counterFlushMs: number;
	lockStaleMs: number;
	lockRetries: number;
	/** Entries changed in memory by the file (another process) or dropped for age while writing. */
	onChanged: (origin: 'local' | 'external', keys: string[]) => void;
};

export class SnapshotSync {
	lastLoad: SnapshotLoad = {status: 'missing'};

	private readonly lock: LockSettings;
	/** The version of the file our memory already includes. */
	private signature: FileSignature | undefined;
	private dirty = false;
	private countersDirty = false;
	private flushTimer: NodeJS.Timeout | undefined;
	private flushDueAt = Infinity;
	private lastWriteMs = 0;
	private pollTimer: NodeJS.Timeout | undefined;
	private pollQueued = false;
	/** File work runs one step at a time: load, poll and write never interleave within a process. */
	private io: Promise<void> = Promise.resolve();
	private opened = false;
	private closed = false;

	constructor(private readonly options: SnapshotSyncOptions) {
		this.lock = {
			staleMs: options.lockStaleMs,
			retries: options.lockRetries,
			onCompromised: error => options.logger.warn({err: error}, 'Cache snapshot lock was taken over while held'),
		};
	}

	async open(): Promise<void> {
		if (this.opened) return;
		this.opened = true;
		await this.enqueue(() => this.load(true));
		if (this.options.pollIntervalMs > 0) {
			this.pollTimer = setInterval(() => this.poll(), this.options.pollIntervalMs);
			this.pollTimer.unref();
		}
		// Changes made before open() have not been scheduled yet.
		if (this.dirty) this.markDirty();
	}

	markDirty(): void {
		this.dirty = true;
		// A big cache never spends more than about a third of its time writing.
		this.schedule(Math.max(this.options.flushDelayMs, 2 * this.lastWriteMs));
	}

	markCountersDirty(): void {
		this.countersDirty = true;
		this.schedule(this.options.counterFlushMs);
	}

	/** Writes what is pending (merged with the file); with nothing pending, reads the file if it changed. */
	async flush(): Promise<void> {
		this.clearTimer();
		await this.enqueue(() => this.write());
	}

	async refresh(): Promise<void> {
		await this.enqueue(() => this.pollOnce());
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		if (this.pollTimer) clearInterval(this.pollTimer);
		await this.flush();
	}

	/** Can this process read the snapshot and take its lock? Writes nothing, never throws. */
	async check(): Promise<{ok: boolean; detail: string}> {
		const {file} = this.options;
		try {
			const read = await readSnapshotFile(file);
			const entries = read ? decodeSnapshot(read.text).entries.size : 0;
			await withSnapshotLock(file, {...this.lock, retries: Math.min(this.lock.retries, 10)}, async () => {
				await access(path.dirname(file), constants.W_OK);
			});
			return {ok: true, detail: read ? `${file}: ${entries} entries, readable and writable` : `${file}: not written yet, directory writable`};
		} catch (error) {
			const reason = error instanceof SnapshotFormatError ? `corrupt (${error.message})` : (error as Error).message;
			return {ok: false, detail: `${file}: ${reason}`};
		}
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

	private async pollOnce(): Promise<void> {
		try {
			const signature = await statSignature(this.options.file);
			if (!signature || sameSignature(signature, this.signature)) return;
			await this.load(false);
		} catch (error) {
			this.options.logger.debug({err: error}, 'Cache snapshot poll failed');
		}
	}

	private mergeIn(data: SnapshotData): void {
		const changed = this.options.state.merge(data, this.options.minT());
		if (changed.length > 0) this.options.onChanged('external', changed);
	}

	/** Reads the file and merges it; a corrupt one is set aside under the lock, so a good replacement is never moved. */
	private async load(atOpen: boolean): Promise<void> {
		const {file, logger, state} = this.options;
		let read;
		try {
			read = await readSnapshotFile(file);
		} catch (error) {
			logger.warn({err: error}, `Cache snapshot unreadable: ${file}`);
			if (atOpen) this.lastLoad = {status: 'unreadable', reason: (error as Error).message};
			return;
		}
		if (!read) {
			this.signature = undefined;
			if (atOpen) this.lastLoad = {status: 'missing'};
			return;
		}
		try {
			const data = decodeSnapshot(read.text);
			this.mergeIn(data);
			this.signature = read.signature;
			if (atOpen) this.lastLoad = {status: 'loaded', entries: state.size, skipped: data.skipped};
		} catch (error) {
			if (!(error instanceof SnapshotFormatError)) throw error;
			await this.recoverCorrupt(atOpen);
		}
	}

	private async recoverCorrupt(atOpen: boolean): Promise<void> {
		const {file, logger, state} = this.options;
		try {
			await withSnapshotLock(file, this.lock, async () => {
				const again = await readSnapshotFile(file);
				if (!again) return;
				try {
					const data = decodeSnapshot(again.text);
					this.mergeIn(data);
					this.signature = again.signature;
					if (atOpen) this.lastLoad = {status: 'loaded', entries: state.size, skipped: data.skipped};
				} catch (error) {
					if (!(error instanceof SnapshotFormatError)) throw error;
					const setAsidePath = await setAside(file, new Date(this.options.now()));
					this.signature = undefined;
					logger.warn({reason: error.message, setAsidePath}, `Cache snapshot corrupt (${error.message}): moved to ${setAsidePath}, starting empty`);
					if (atOpen) this.lastLoad = {status: 'corrupt', reason: error.message, setAsidePath};
					// A running process keeps what it holds and writes it back.
					if (state.size > 0) this.markDirty();
				}
			});
		} catch (error) {
			logger.warn({err: error}, `Cache snapshot corrupt and could not be set aside: ${file}`);
			if (atOpen) this.lastLoad = {status: 'corrupt', reason: (error as Error).message};
		}
	}

	private async write(): Promise<void> {
		const {file, logger, state} = this.options;
		// Nothing to write: still take in what others wrote, so that after flush() memory and file agree.
		if (this.options.readOnly || (!this.dirty && !this.countersDirty)) return this.pollOnce();
		const started = performance.now();
		try {
			await withSnapshotLock(file, this.lock, async () => {
				const current = await statSignature(file);
				if (current && !sameSignature(current, this.signature)) {
					const read = await readSnapshotFile(file);
					if (read) {
						try {
							this.mergeIn(decodeSnapshot(read.text));
						} catch (error) {
							if (!(error instanceof SnapshotFormatError)) throw error;
							const setAsidePath = await setAside(file, new Date(this.options.now()));
							logger.warn({reason: error.message, setAsidePath}, `Cache snapshot corrupt (${error.message}): moved to ${setAsidePath}`);
						}
					}
				}
				const minT = this.options.minT();
				const old = state.dropOlderThan(minT);
				state.compact(minT);
				// From here to the write nothing awaits: what is encoded is exactly what is no longer dirty.
				this.dirty = false;
				this.countersDirty = false;
				const text = encodeSnapshot(state, {writer: this.options.writer, writtenAt: this.options.now()});
				this.signature = await writeSnapshotFile(file, text);
				if (old.length > 0) this.options.onChanged('local', old);
			});
		} catch (error) {
			this.dirty = true;
			logger.warn({err: error}, `Cache snapshot write failed: ${file}`);
			if (!this.closed) this.schedule(Math.max(1000, this.options.flushDelayMs));
		} finally {
			this.lastWriteMs = performance.now() - started;
		}
	}
}
