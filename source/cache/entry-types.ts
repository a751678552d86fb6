// What the cache holds, entry by entry: shared by the state, its index and the journal's operations.

/** One row of the console's Cache list: absolute times, so that ages can be shown against any clock. */
export type CacheRowInfo = {
	readonly key: string;
	/** The key in lower case, made once per entry for the pane's case-insensitive filter (not once per keystroke). */
	readonly keyLower?: string;
	readonly type: string;
	readonly setAt: number;
	readonly expiresAt: number;
	readonly bytes: number;
};

export type StoredEntry = {
	/** The value serialised once, at set: the files carry it as is and `bytes` is its length. */
	json: string;
	t: number;
	e: number;
	type: string;
	/** Decoded lazily from `json` for entries read from a file. */
	value?: unknown;
	decoded: boolean;
	// Bookkeeping of CacheIndex, set by CacheState.put.
	key?: string;
	slot?: number;
	present?: boolean;
	expired?: boolean;
	row?: CacheRowInfo;
};

/** An entry with every field present from the start, so that all entries share one object shape. */
export function newEntry(key: string, json: string, t: number, e: number, type: string, value?: unknown): StoredEntry {
	return {json, t, e, type, value, decoded: value !== undefined, key, slot: undefined, present: false, expired: false, row: undefined};
}

export type PurgeRule = {at: number; pattern?: string; expired?: true};

/** Lookups counted by one process (its writer id), summed over processes by stats(). */
export type Counter = {hits: number; misses: number; at: number};
