// The cache's second layer: what sits behind this process's memory (node-cache) and its box's files. Alone (today,
// and without farm mode) there is none: the snapshot files are how processes on one box share. In farm mode
// (farm/farm-cache-layer.ts) it is Redis, in the identity's namespace: one cache for every node, filled once for all
// (a node that misses while another fetches the same key waits for that fetch), and every invalidation and purge is
// published to every process of the farm.

/** An entry as some process stored it: its JSON, when it was set and when it expires (ms, on its writer's clock). */
export type SharedEntry = {json: string; t: number; e: number};

export type SharedRead =
	| {entry: SharedEntry}
	/**
	 * Not there: fetch it and hand the outcome to fill() (null when the fetch failed or was not stored). Meanwhile
	 * other processes that want the key wait for this fetch instead of sending their own.
	 */
	| {entry: null; fill(entry: SharedEntry | null): void};

/** A change another process made: keys it dropped, a purge, or "messages may have been missed" (gap). */
export type RemoteChange = {keys: string[]} | {all: true; gap?: boolean} | {pattern: string};

export interface CacheSecondLayer {
	read(key: string): Promise<SharedRead>;
	/** Stores an entry set here (in the background). */
	write(key: string, entry: SharedEntry): void;
	/** Keys dropped here: drop them there, and tell every other process. */
	invalidated(keys: string[]): void;
	/** A purge here (every key, or those containing `pattern`): the same there, and tell every other process. */
	purged(rule: {all: true} | {pattern: string}): void;
	/** Other processes' changes; `origin` names who made it, for the log. */
	listen(listener: (change: RemoteChange, origin: string) => void): void;
	/** Resolves when the writes and messages sent so far are out (a CLI purge must be published before it exits). */
	settle(): Promise<void>;
	close(): Promise<void>;
}

/** No second layer: memory and the box's files are the whole cache. */
export const noSecondLayer: CacheSecondLayer = {
	read: async () => ({entry: null, fill: () => undefined}),
	write: () => undefined,
	invalidated: () => undefined,
	purged: () => undefined,
	listen: () => undefined,
	settle: async () => undefined,
	close: async () => undefined,
};
