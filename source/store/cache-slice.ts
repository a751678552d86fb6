// The Cache pane's slice: stats, and one row per key with absolute times, so that ages can be shown against the
// clock without re-reading 100 000 keys on every tick. Rows are re-read only when the cache says it changed, at
// most every ROW_READ_MIN_MS, and the source's rows() hands over its own memoized array: no work per key here.
import {deepEqual} from './equality.js';
import {errorMessage} from './error-message.js';
import type {CachePurgeOptions, CacheRowInfo, CacheSource, CacheStats} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

export type CacheRow = CacheRowInfo;

export type CacheSlice = {
	stats: CacheStats | null;
	rows: readonly CacheRow[];
	/** When stats were read: the "now" ages and TTLs are shown against. */
	now: number;
	error: string | null;
};

export const initialCache: CacheSlice = {stats: null, rows: [], now: 0, error: null};

// Two reads of one entry compute its set time from `now - ageMs` a millisecond apart.
const SAME_TIME_MS = 50;

function sameRows(a: readonly CacheRow[], b: readonly CacheRow[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) {
		const x = a[i];
		const y = b[i];
		if (x.key !== y.key || x.bytes !== y.bytes || Math.abs(x.setAt - y.setAt) > SAME_TIME_MS || Math.abs(x.expiresAt - y.expiresAt) > SAME_TIME_MS) return false;
	}
	return true;
}

export function cacheSliceEqual(a: CacheSlice, b: CacheSlice): boolean {
	return a.now === b.now && a.error === b.error && sameRows(a.rows, b.rows) && deepEqual(a.stats, b.stats);
}

/**
 * What a pattern purge removes, by the cache's own rule: keys containing `pattern`, except the seed's
 * `--pattern expired`, which means the expired entries.
 */
export function countMatching(rows: readonly CacheRow[], pattern: string, now: number = Date.now()): number {
	if (pattern === '') return 0;
	if (pattern === EXPIRED_PATTERN) return countExpired(rows, now);
	let count = 0;
	for (const row of rows) if (row.key.includes(pattern)) count++;
	return count;
}

export const EXPIRED_PATTERN = 'expired';

export function countExpired(rows: readonly CacheRow[], now: number): number {
	let count = 0;
	for (const row of rows) if (row.expiresAt <= now) count++;
	return count;
}

export type CacheActions = {
	/** Re-reads stats (cheap, every tick while visible) and, when the cache changed since, the rows. */
	refresh(options?: {rows?: boolean}): void;
	del(key: string): Promise<boolean>;
	purge(options: CachePurgeOptions): Promise<number>;
	/** Whether the pane is on screen: rows are only re-read for a visible pane. */
	setVisible(visible: boolean): void;
	dispose(): void;
};

const ROW_READ_MIN_MS = 250;
const AGE_STEP_MS = 10_000;

export function connectCache(slice: SliceHandle<CacheSlice>, source: CacheSource): CacheActions {
	let dirty = true;
	let visible = false;
	let lastRowRead = -Infinity;
	let pendingRead: NodeJS.Timeout | null = null;

	const read = (withRows: boolean) => {
		try {
			const now = Date.now();
			// Ages and TTLs are shown in minutes: a `now` and an oldest age that move every tick would only republish
			// an identical screen (a render per refresh for nothing), so both move in AGE_STEP_MS steps (rounded up: an age
			// is never shown younger, nor a TTL longer, than it is).
			const shownNow = Math.ceil(now / AGE_STEP_MS) * AGE_STEP_MS;
			const current = source.stats();
			// The oldest entry's age as of shownNow, like every other age on the pane.
			const stats = current.oldestAgeMs === null ? current : {...current, oldestAgeMs: Math.round((current.oldestAgeMs + shownNow - now) / 1000) * 1000};
			let rows = slice.get().rows;
			if (withRows) {
				dirty = false;
				lastRowRead = now;
				rows = source.rows();
			}
			slice.set({stats, rows, now: shownNow, error: null});
		} catch (error) {
			slice.update(current => ({...current, error: errorMessage(error)}));
		}
	};

	// Changes (a purge by the CLI included) reach a visible pane within ROW_READ_MIN_MS, however many arrive.
	const scheduleRowRead = () => {
		if (!visible || pendingRead) return;
		const wait = Math.max(0, lastRowRead + ROW_READ_MIN_MS - Date.now());
		pendingRead = setTimeout(() => {
			pendingRead = null;
			if (visible && dirty) read(true);
		}, wait);
		pendingRead.unref();
	};

	const unsubscribe = source.onChange(() => {
		dirty = true;
		scheduleRowRead();
	});

	return {
		refresh(options = {}) {
			read(options.rows === true || dirty);
		},
		async del(key) {
			const removed = await source.del(key);
			dirty = true;
			read(true);
			return removed;
		},
		async purge(options) {
			const {removed} = await source.purge(options);
			dirty = true;
			read(true);
			return typeof removed === 'number' ? removed : removed.length;
		},
		setVisible(next) {
			visible = next;
			if (visible) read(dirty);
		},
		dispose() {
			unsubscribe();
			if (pendingRead) clearTimeout(pendingRead);
		},
	};
}

/**
 * A filter for the pane's key list (case-insensitive substring) that remembers its last answer: typing one more
 * character narrows the previous result instead of scanning every key again, and the same rows and text give the
 * same array back.
 */
export function createRowFilter(): (rows: readonly CacheRow[], filter: string) => readonly CacheRow[] {
	let last: {rows: readonly CacheRow[]; needle: string; result: readonly CacheRow[]} | undefined;
	return (rows, filter) => {
		if (filter === '') return rows;
		const needle = filter.toLowerCase();
		if (last && last.rows === rows && last.needle === needle) return last.result;
		const from = last && last.rows === rows && needle.includes(last.needle) ? last.result : rows;
		const kept = from.filter(row => (row.keyLower ?? row.key.toLowerCase()).includes(needle));
		// Every row still in: the same array, so that what is derived from it is not redone.
		const result = kept.length === from.length ? from : kept;
		last = {rows, needle, result};
		return result;
	};
}
