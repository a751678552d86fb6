// ApiCache: the API-response cache every service reads through, shared by every process on the box.
//
// How processes share it (the CLI purging while the console runs, two uploaders at once):
// - Each process holds the whole cache in node-cache (the hot layer) and, optionally, two files next to each
//   other (`cacheSnapshotPath(stateDir)`): the snapshot `cache.json` (the whole state at one moment, generation G)
//   and the journal `cache.journal` (every change made since, one operation per line). Together they are the
//   union of what every process knows.
// - Writing: changes are debounced (flushDelayMs) and flushed on close(). A flush takes `cache.json.lock`
//   (proper-lockfile: mkdir-atomic, refreshed while held, taken over when stale), reads what others appended
//   since it last looked, appends this process's operations, and releases the lock: a change costs its own size,
//   whatever the size of the cache. When the journal has grown past its bound (compactMinBytes, and compactRatio
//   × the snapshot), the flush compacts: it writes the whole state as snapshot G+1 (temp file + rename, in pieces
//   that let the event loop run) and starts the journal of G+1, keeping the old one as `cache.journal.prev` for
//   readers still in it. snapshot-sync.ts has the protocol and what a crash at each step leaves.
// - Merging (cache-state.ts): newest entry wins; deletions (tombstones) and purges (rules) win over anything set
//   before them, so a purge by the CLI also kills the copies a console holds in memory, even ones it has not
//   flushed yet; the console cannot write them back. Operations can be applied in any order, and twice.
// - Reading: a poller (pollIntervalMs, 500 ms; fs.watch is not reliable on every filesystem) stats the journal
//   and, when it grew, reads only the new bytes. A CLI purge is seen within about one poll interval.
// - Loading at open decodes the files line by line in slices that give the event loop a turn every few ms; with
//   loadInBackground the console opens at once and lookups miss until the load is done.
// - A snapshot that does not decode is renamed to `cache.json.corrupt-<UTC time>` with a warning, and the cache
//   starts from the journal alone (or, for a running process, goes on with what it holds and writes it back).
// - Hit and miss counters are kept per process (stats().process) and appended to the journal as small counter
//   operations, so `cache stats` from the CLI shows the hit rate of every process that used the cache within
//   max_cache_age_hours.
// - stats() and rows() read bookkeeping kept up to date on every change (cache-index.ts), not the 100 000 keys.
// - Behind memory and the files sits the second layer (second-layer.ts): none on one box; in farm mode Redis, read on
//   a miss before the API and written after a fetch, with every invalidation and purge sent to every node and every
//   node's applied here.
import {randomBytes} from 'node:crypto';
import type {Logger} from 'pino';
import type {CacheEvent, EventBus} from '../events/index.js';
import type {OptimizationConfig} from '../config/index.js';
import {silentLogging} from '../log/logger.js';
import {CacheState, newEntry} from './cache-state.js';
import type {CacheRowInfo} from './cache-index.js';
import {computeStats, listEntries, type CacheEntryInfo, type CacheStats} from './cache-stats.js';
import {cacheKeys, keyType, ttlSecondsForType} from './keys.js';
import {SnapshotSync, type SnapshotLoad} from './snapshot-sync.js';
import {noSecondLayer, type CacheSecondLayer, type RemoteChange, type SharedEntry, type SharedRead} from './second-layer.js';

export type {SnapshotLoad} from './snapshot-sync.js';

export type ApiCacheOptions = {
	config: Pick<OptimizationConfig, 'cache_ttl' | 'cache_invalidation'>;
	/** The shared snapshot; without it the cache lives in this process only. */
	snapshotFile?: string;
	bus?: EventBus;
	/** The 'frameio.cache' logger. */
	logger?: Logger;
	now?: () => number;
	/** Never write the snapshot (`cache stats`, dry runs). A corrupt file is still set aside. */
	readOnly?: boolean;
	/** Run the periodic sweep at open() when it is overdue. Default true; `cache clear` turns it off so that it
	 * reports exactly what it removed. */
	sweepOnOpen?: boolean;
	/** How often to look for other processes' changes; 0 turns the poller off. Default 500. */
	pollIntervalMs?: number;
	/** Delay between a change and its write. Default 250. */
	flushDelayMs?: number;
	/** Delay before persisting lookup counters when nothing else changed. Default 10 000. */
	counterFlushMs?: number;
	/** A lock not refreshed for this long belongs to a dead process. Default 10 000. */
	lockStaleMs?: number;
	lockRetries?: number;
	/** Compact the journal once it is larger than this (default 1 MiB) and than compactRatio × the snapshot. */
	compactMinBytes?: number;
	/** Default 0.5: a journal half the snapshot's size is folded into a new snapshot. */
	compactRatio?: number;
	/** open() resolves before the files are read; lookups miss until then (the console). Default false. */
	loadInBackground?: boolean;
	/**
	 * The API cannot be reached and the user asked for cached data (--stale-ok): an entry past its TTL still answers
	 * (within max_cache_age_hours), said stale with its age, and nothing is swept or dropped meanwhile.
	 */
	serveStale?: boolean;
	/** Longest stretch of file decoding between two turns of the event loop. Default 8. */
	sliceMs?: number;
	/** What sits behind memory and the files; default noSecondLayer (none). */
	secondLayer?: CacheSecondLayer;
};

export type PurgeOptions = {
	/** Everything. */
	all?: boolean;
	/** Keys that contain this substring. `'expired'` means `expired: true`, as the seed wrote it. */
	pattern?: string;
	/** Entries past their TTL. With `pattern`, both must hold. */
	expired?: boolean;
	/** Say what would go, change nothing. */
	dryRun?: boolean;
};

export type CacheChange = {
	origin: 'local' | 'external';
	/** Entries that changed in memory: set, removed, or changed by another process. */
	keys: string[];
	/**
	 * Keys an invalidation named, held here or not: a listing dropped while its new copy was still being fetched is
	 * dropped again, and whoever shows it must read it again.
	 */
	invalidated?: string[];
};

/** The cache's changes could not be written to its files. */
export class CacheWriteError extends Error {
	constructor(
		readonly file: string,
		override readonly cause: Error,
	) {
		super(`cannot write ${file} (${cause.message})`);
		this.name = 'CacheWriteError';
	}
}

/** `staleMs`: how far past its TTL the entry is, when it answered only because of serveStale. */
type Lookup<T> = {found: true; value: T; staleMs?: number} | {found: false};

/** How a miss was filled: from the second layer (fromCache) or by the fetch. */
type Filled<T> = {value: T; fromCache: boolean};

const NO_FILL: SharedRead = {entry: null, fill: () => undefined};
/** Not asked of the second layer, and stored there afterwards. */
const FRESH = Symbol('fresh');

const MAX_TIMER_MS = 2 ** 31 - 1;

export class ApiCache {
	readonly snapshotFile: string | undefined;

	private readonly state = new CacheState();
	private readonly config: ApiCacheOptions['config'];
	private readonly bus: EventBus | undefined;
	private readonly logger: Logger;
	private readonly now: () => number;
	private readonly readOnly: boolean;
	private readonly sweepOnOpen: boolean;
	private readonly serveStale: boolean;
	private readonly sync: SnapshotSync | undefined;
	private readonly loadInBackground: boolean;
	private readonly writer = `${process.pid}-${randomBytes(3).toString('hex')}`;
	private readonly layer: CacheSecondLayer;

	private hits = 0;
	private misses = 0;
	private lastStamp = -Infinity;
	private readonly inflight = new Map<string, Promise<Filled<unknown>>>();
	private readonly listeners = new Set<(change: CacheChange) => void>();
	private cleanupTimer: NodeJS.Timeout | undefined;
	private opened = false;
	private closed = false;

	constructor(options: ApiCacheOptions) {
		this.config = options.config;
		this.snapshotFile = options.snapshotFile;
		this.bus = options.bus;
		this.logger = options.logger ?? silentLogging().get('frameio.cache');
		this.now = options.now ?? Date.now;
		this.readOnly = options.readOnly ?? false;
		this.sweepOnOpen = (options.sweepOnOpen ?? true) && !options.serveStale;
		this.loadInBackground = options.loadInBackground ?? false;
		this.serveStale = options.serveStale ?? false;
		this.layer = options.secondLayer ?? noSecondLayer;
		if (options.snapshotFile) {
			this.sync = new SnapshotSync({
				file: options.snapshotFile,
				state: this.state,
				logger: this.logger,
				now: this.now,
				minT: () => this.minT(),
				writer: this.writer,
				readOnly: this.readOnly,
				pollIntervalMs: options.pollIntervalMs ?? 500,
				flushDelayMs: options.flushDelayMs ?? 250,
				counterFlushMs: options.counterFlushMs ?? 10_000,
				lockStaleMs: options.lockStaleMs ?? 10_000,
				lockRetries: options.lockRetries ?? 60,
				compactMinBytes: options.compactMinBytes ?? 1024 * 1024,
				compactRatio: options.compactRatio ?? 0.5,
				sliceMs: options.sliceMs ?? 8,
				onChanged: (origin, keys) => this.notify({origin, keys}),
			});
		}
	}

	/** What happened to the snapshot at open(). */
	get lastLoad(): SnapshotLoad {
		return this.sync ? this.sync.lastLoad : {status: 'memory'};
	}

	/** Loads the files (or starts loading them, with loadInBackground) and starts the poller and the periodic cleanup. Idempotent. */
	async open(): Promise<this> {
		if (this.opened) return this;
		this.opened = true;
		this.layer.listen((change, origin) => this.applyRemote(change, origin));
		await this.sync?.open(!this.loadInBackground);
		if (!this.readOnly) {
			const everyMs = Math.min(MAX_TIMER_MS, this.config.cache_invalidation.cleanup_interval_hours * 3_600_000);
			// Serving stale entries (the API is out of reach) must not sweep them away meanwhile.
			if (!this.serveStale) this.cleanupTimer = setInterval(() => this.cleanup(), everyMs);
			this.cleanupTimer?.unref();
			// Short-lived processes never reach the timer: catch up on a sweep that is due (once the files say when the last was).
			const sweepIfDue = () => {
				if (!this.closed && this.sweepOnOpen && this.now() - this.state.cleanedAt >= everyMs) this.cleanup();
			};
			if (this.loadInBackground) void this.whenLoaded().then(sweepIfDue);
			else sweepIfDue();
		}
		return this;
	}

	/** Resolves when the load started by open() is done (at once without a file, or when open() waited for it). */
	whenLoaded(): Promise<void> {
		return this.sync ? this.sync.whenLoaded() : Promise.resolve();
	}

	get<T>(key: string): T | undefined {
		const found = this.lookup<T>(key);
		return found.found ? found.value : undefined;
	}

	/** Whether a live entry is held for `key`, without decoding it. */
	has(key: string): boolean {
		const entry = this.state.get(key);
		return entry !== undefined && entry.e > this.now() && entry.t >= this.minT();
	}

	/** The value if cached and fresh, without counting a hit or a miss. */
	peek<T>(key: string): T | undefined {
		const entry = this.state.get(key);
		if (!entry || entry.e <= this.now() || entry.t < this.minT()) return undefined;
		return this.decode<T>(key, entry);
	}

	set(key: string, value: unknown): void {
		if (value === undefined) throw new TypeError(`cannot cache undefined (${key})`);
		const stored = this.store(key, value, this.stamp());
		if (stored) this.layer.write(key, stored);
	}

	/**
	 * The cached value, or the second layer's, or fetch() once: concurrent callers for one key share a single fetch
	 * (each counts a miss, or a hit when the second layer answered). A failing fetch drops the key's expired copy
	 * (auto_invalidate_on_error) and rejects every waiter. `fresh`: skip what is cached and fetch (joining a fetch
	 * already on its way), replacing the entry here and in the second layer without invalidating it anywhere.
	 */
	async wrap<T>(key: string, fetch: () => Promise<T>, options: {fresh?: boolean} = {}): Promise<{value: T; fromCache: boolean; stale?: {ageMs: number}}> {
		const cached: Lookup<T> = options.fresh ? {found: false} : this.lookup<T>(key, false);
		if (cached.found) {
			this.countLookup(key, true);
			return {value: cached.value, fromCache: true, ...(cached.staleMs === undefined ? {} : {stale: {ageMs: this.ageOf(key)}})};
		}
		let pending = this.inflight.get(key) as Promise<Filled<T>> | undefined;
		if (!pending) {
			// The entry is stamped with the time its fetch started, so a deletion made while it was in flight wins.
			const startedAt = this.stamp();
			const entry: Promise<Filled<T>> = this.fill(key, fetch, startedAt, options.fresh ?? false).finally(() => {
				if (this.inflight.get(key) === entry) this.inflight.delete(key);
			});
			pending = entry;
			this.inflight.set(key, entry);
		}
		let filled: Filled<T>;
		try {
			filled = await pending;
		} catch (error) {
			this.countLookup(key, false);
			throw error;
		}
		this.countLookup(key, filled.fromCache);
		return {value: filled.value, fromCache: filled.fromCache};
	}

	/** A miss: the second layer's entry, or the fetch's value (stored here and there). `fresh`: the fetch's, always. */
	private async fill<T>(key: string, fetch: () => Promise<T>, startedAt: number, fresh: boolean): Promise<Filled<T>> {
		const read = fresh ? FRESH : await this.layer.read(key).catch(() => NO_FILL);
		if (read !== FRESH && read.entry) {
			const value = this.adoptShared<T>(key, read.entry);
			if (value !== undefined) return {value, fromCache: true};
		}
		const fill = read === FRESH ? (entry: SharedEntry | null) => entry && this.layer.write(key, entry) : read.entry === null ? read.fill : () => undefined;
		let value: T;
		try {
			value = await fetch();
		} catch (error) {
			fill(null);
			// Only a stale copy held here is worth dropping; a tombstone for an absent key would only cost a write.
			if (this.state.get(key)) this.onRequestFailed([key]);
			throw error;
		}
		let stored: SharedEntry | null = null;
		if (value !== undefined) {
			try {
				stored = this.store(key, value, startedAt);
			} catch (error) {
				this.logger.warn({err: error, key}, `Cache set failed: ${key}`);
			}
		}
		fill(stored);
		return {value, fromCache: false};
	}

	/** An entry another process stored in the second layer, taken in here unless something here kills it. */
	private adoptShared<T>(key: string, shared: SharedEntry): T | undefined {
		if (shared.e <= this.now() || this.state.isDead(key, shared.t, shared.e, this.minT())) return undefined;
		let value: T;
		try {
			value = JSON.parse(shared.json) as T;
		} catch {
			return undefined;
		}
		const current = this.state.get(key);
		if (!current || current.t < shared.t) {
			this.state.put(key, newEntry(key, shared.json, shared.t, shared.e, keyType(key), value));
			this.sync?.markSet(key);
			this.emit('set', key);
			this.notify({origin: 'external', keys: [key]});
		}
		return value;
	}

	del(key: string): boolean {
		return this.invalidate([key]) > 0;
	}

	/** How long ago the entry was set (ms), or 0 when it is not here. */
	private ageOf(key: string): number {
		const entry = this.state.get(key);
		return entry ? Math.max(0, this.now() - entry.t) : 0;
	}

	/**
	 * Drops the keys here and, through tombstones, in every process of the box; the second layer drops them and tells
	 * the farm. Returns how many were present here.
	 */
	invalidate(keys: string[]): number {
		if (keys.length === 0) return 0;
		this.layer.invalidated(keys);
		return this.drop(keys);
	}

	private drop(keys: string[]): number {
		const at = this.stamp();
		const removed: string[] = [];
		for (const key of keys) {
			this.state.addTombstone(key, at);
			this.sync?.markDel(key, at);
			// A fetch on its way began before this: a reader from now on starts its own instead of joining it.
			this.inflight.delete(key);
			if (this.state.remove(key)) {
				removed.push(key);
				this.emit('delete', key);
			}
		}
		this.notify({origin: 'local', keys: removed, invalidated: keys});
		return removed.length;
	}

	/** After a folder is created or deleted under parentId: its parent's listings and the project's structure go. */
	invalidateFolder(parentId: string, projectId?: string): number {
		const keys = [cacheKeys.folderChildren(parentId, 'children'), cacheKeys.folderChildren(parentId, 'subfolders')];
		if (projectId) keys.push(cacheKeys.structure(projectId));
		return this.invalidate(keys);
	}

	/** A request that read these keys failed: drop them when cache_invalidation.auto_invalidate_on_error says so. */
	onRequestFailed(keys: string[]): number {
		if (!this.config.cache_invalidation.auto_invalidate_on_error || keys.length === 0) return 0;
		const removed = this.invalidate(keys);
		if (removed > 0) this.logger.info({keys}, `Cache invalidated after a failed request: ${keys.join(', ')}`);
		return removed;
	}

	purge(options: PurgeOptions): {removed: string[]} {
		return this.purgeFor(options, 'user');
	}

	private purgeFor(options: PurgeOptions, reason: 'user' | 'cleanup' | {from: string}): {removed: string[]} {
		let pattern = options.pattern;
		let expired = options.expired ?? false;
		if (pattern === 'expired') {
			pattern = undefined;
			expired = true;
		}
		if (pattern === '') throw new RangeError('purge pattern is empty');
		const all = (options.all ?? false) && pattern === undefined && !expired;
		if (!all && pattern === undefined && !expired) throw new RangeError('purge needs all, pattern or expired');
		const at = this.stamp();
		const matching: string[] = [];
		this.state.index.forEach(entry => {
			const key = entry.key ?? '';
			if (pattern !== undefined && !key.includes(pattern)) return;
			if (!expired || entry.e <= at) matching.push(key);
		});
		if (options.dryRun) return {removed: matching};
		for (const key of matching) this.state.remove(key);
		// Recorded even when nothing matched here: another process may hold matching keys it has not flushed.
		const rule = {at, ...(pattern !== undefined ? {pattern} : {}), ...(expired ? {expired: true as const} : {})};
		this.state.addRule(rule);
		this.sync?.markRule(rule);
		this.state.compact(this.minT());
		// A user's purge of every key or of a pattern goes to the whole farm; expiry is the same rule everywhere.
		if (reason === 'user' && !expired) this.layer.purged(all ? {all: true} : {pattern: pattern!});
		const what = all ? 'all' : [pattern !== undefined ? `pattern "${pattern}"` : '', expired ? 'expired' : ''].filter(Boolean).join(', ');
		const remote = typeof reason === 'object' ? reason.from : null;
		const line = remote
			? `Cache purge from ${remote} (${what}): removed ${matching.length} keys here`
			: `Cache ${reason === 'cleanup' ? 'cleanup' : 'purge'} (${what}): removed ${matching.length} keys`;
		if (reason !== 'cleanup' || matching.length > 0) this.logger.info({pattern, expired, all, removed: matching.length, ...(remote ? {from: remote} : {})}, line);
		else this.logger.debug(line);
		this.bus?.emit({type: 'cache', at: this.now(), op: 'purge', key: pattern ?? (expired ? 'expired' : '*'), count: matching.length});
		if (matching.length > 0) this.notify({origin: 'local', keys: matching});
		return {removed: matching};
	}

	/**
	 * Another process of the farm invalidated or purged (or messages were missed while Redis was away, and nothing in
	 * memory can be vouched for): the same here, without sending it on.
	 */
	private applyRemote(change: RemoteChange, origin: string): void {
		if ('keys' in change) {
			const removed = this.drop(change.keys);
			this.logger.debug({from: origin, keys: change.keys.length, removed}, `Cache invalidation from ${origin}: ${change.keys.length} keys (${removed} here)`);
			return;
		}
		if ('pattern' in change) {
			this.purgeFor({pattern: change.pattern}, {from: origin});
			return;
		}
		if (change.gap) {
			const {removed} = this.purgeFor({all: true}, 'cleanup');
			this.logger.info({removed: removed.length}, `Cache: farm messages may have been missed while Redis was away; dropped the ${removed.length} keys held here`);
			return;
		}
		this.purgeFor({all: true}, {from: origin});
	}

	/** The periodic sweep: expired entries (a purge every process honours) and entries past the maximum age. */
	cleanup(): {removed: string[]} {
		// Entries past the maximum age are dead in every process by the same rule: dropping them needs no operation.
		const old = this.state.dropOlderThan(this.minT());
		const {removed} = this.purgeFor({expired: true}, 'cleanup');
		this.state.cleanedAt = this.now();
		this.sync?.markCleaned();
		if (old.length > 0) this.notify({origin: 'local', keys: old});
		return {removed: [...old, ...removed]};
	}

	/** One row per key with its age and TTL left now. O(keys): the console reads rows() instead. */
	entries(): CacheEntryInfo[] {
		return listEntries(this.state, this.now());
	}

	/**
	 * One row per key with absolute times, in insertion order. The same frozen array until the cache changes, so
	 * a reader that polls it costs nothing per key between changes.
	 */
	rows(): readonly CacheRowInfo[] {
		return this.state.index.rows();
	}

	/** From counters kept up to date on every change: O(types), plus the entries that expired since the last call. */
	stats(): CacheStats {
		return computeStats(this.state, this.now(), this.config.cache_ttl, {hits: this.hits, misses: this.misses});
	}

	get size(): number {
		return this.state.size;
	}

	/** Called after any change, local or picked up from another process. Returns an unsubscribe function. */
	onChange(listener: (change: CacheChange) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Writes pending changes now, merged with the file under the lock; after it, memory and file agree. */
	async flush(): Promise<void> {
		await this.sync?.flush();
	}

	/**
	 * flush(), then throws a CacheWriteError when the changes could not be written (a read-only or full disk, no
	 * permission): for callers that report a change as done, like `cache clear`, rather than retry it later.
	 */
	async persist(): Promise<void> {
		await this.sync?.flush();
		await this.layer.settle();
		const error = this.sync?.unwritten();
		if (error) throw new CacheWriteError(this.snapshotFile ?? '', error);
	}

	/** Reads the file now if another process changed it (the poller does this on its own). */
	async refresh(): Promise<void> {
		await this.sync?.refresh();
	}

	/** For health checks: can this process read the snapshot and take its lock? Writes nothing, never throws. */
	async checkStore(): Promise<{ok: boolean; detail: string}> {
		return this.sync ? this.sync.check() : {ok: true, detail: 'in memory only (no snapshot file)'};
	}

	/** Stops the timers and writes what is pending. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		if (this.cleanupTimer) clearInterval(this.cleanupTimer);
		await this.layer.settle();
		await this.sync?.close();
		this.state.store.close();
	}

	// ---- lookups and writes in memory

	/** With `count` false the caller counts the lookup itself (wrap, once it knows how the miss was filled). */
	private lookup<T>(key: string, count = true): Lookup<T> {
		const now = this.now();
		let entry = this.state.get(key);
		if (entry && entry.t < this.minT()) {
			// Past the maximum age it is dead in every process: nothing to tell the files.
			this.state.remove(key);
			this.notify({origin: 'local', keys: [key]});
			entry = undefined;
		}
		const value = entry && (entry.e > now || this.serveStale) ? this.decode<T>(key, entry) : undefined;
		// JSON.parse never gives undefined: undefined here means absent, expired or undecodable.
		const hit = value !== undefined;
		if (count) this.countLookup(key, hit);
		if (hit) {
			const staleMs = entry!.e <= now ? now - entry!.e : undefined;
			return {found: true, value: value as T, ...(staleMs === undefined ? {} : {staleMs})};
		}
		return {found: false};
	}

	private countLookup(key: string, hit: boolean): void {
		this.count(hit, this.now());
		this.logger.debug(`Cache ${hit ? 'hit' : 'miss'}: ${key}`);
		this.emit(hit ? 'hit' : 'miss', key);
	}

	private decode<T>(key: string, entry: NonNullable<ReturnType<CacheState['get']>>): T | undefined {
		if (!entry.decoded) {
			try {
				entry.value = JSON.parse(entry.json);
				entry.decoded = true;
			} catch {
				this.state.remove(key);
				return undefined;
			}
		}
		return entry.value as T;
	}

	/** Stores the value here (memory and the box's files); the entry, or null when something newer or a deletion wins. */
	private store(key: string, value: unknown, t: number): SharedEntry | null {
		const type = keyType(key);
		const ttl = ttlSecondsForType(type, this.config.cache_ttl);
		if (ttl === undefined) throw new TypeError(`unknown cache key type "${type}" in "${key}"; build keys with cacheKeys`);
		const json = JSON.stringify(value);
		if (json === undefined) throw new TypeError(`value for ${key} is not JSON`);
		const e = t + ttl * 1000;
		if (this.state.isDead(key, t, e, this.minT())) return null;
		const current = this.state.get(key);
		if (current && current.t > t) return null;
		this.state.put(key, newEntry(key, json, t, e, type, value));
		this.sync?.markSet(key);
		this.emit('set', key);
		this.notify({origin: 'local', keys: [key]});
		return {json, t, e};
	}

	private count(hit: boolean, now: number): void {
		if (hit) this.hits++;
		else this.misses++;
		let mine = this.state.counters.get(this.writer);
		if (!mine) {
			mine = {hits: 0, misses: 0, at: now};
			this.state.counters.set(this.writer, mine);
		}
		mine.hits = this.hits;
		mine.misses = this.misses;
		mine.at = now;
		this.sync?.markCountersDirty();
	}

	/** Strictly increasing times within this process, so a set right after a delete is newer than it. */
	private stamp(): number {
		let t = this.now();
		if (t <= this.lastStamp) t = this.lastStamp + 0.001;
		this.lastStamp = t;
		return t;
	}

	private minT(): number {
		return this.now() - this.config.cache_invalidation.max_cache_age_hours * 3_600_000;
	}

	private emit(op: CacheEvent['op'], key: string): void {
		this.bus?.emit({type: 'cache', at: this.now(), op, key});
	}

	private notify(change: CacheChange): void {
		for (const listener of this.listeners) {
			try {
				listener(change);
			} catch (error) {
				this.logger.warn({err: error}, 'Cache change listener failed');
			}
		}
	}
}

/** new ApiCache(options), opened. */
export async function openApiCache(options: ApiCacheOptions): Promise<ApiCache> {
	return new ApiCache(options).open();
}
