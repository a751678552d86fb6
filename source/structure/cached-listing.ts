// Listings through the cache. A listing is cached whole (every page) under one key; a partial listing is never
// stored, because find-or-create reads "not in the listing" as "does not exist".
//
// cachedPages streams a listing page by page for the console and still goes through ApiCache.wrap, so that
// concurrent readers of one key share one walk and a listing invalidated while it was being walked (a folder created
// meanwhile) is not stored: wrap stamps the entry with the time the walk started.
import type {ApiCache} from '../cache/index.js';
import type {PageEnvelope} from '../frameio/types.js';

export type ListingPage<T> = {
	items: T[];
	/** Answered from the cache rather than the API. */
	fromCache: boolean;
	/** Items in the whole listing, when known (total_count, or the length of a cached listing). */
	totalCount: number | null;
	/** Set when the cache answered past the listing's TTL because the API is out of reach: how old it is. */
	staleAgeMs?: number;
};

/** How many listings an operation read, and how many of those the cache answered. */
export class ListingTally {
	listings = 0;
	fromCache = 0;
	/** Listings the cache answered past their TTL (the API out of reach, --stale-ok), and the oldest one's age. */
	stale = 0;
	staleMaxAgeMs = 0;

	count(fromCache: boolean, staleAgeMs?: number): void {
		this.listings++;
		if (fromCache) this.fromCache++;
		if (staleAgeMs !== undefined) {
			this.stale++;
			this.staleMaxAgeMs = Math.max(this.staleMaxAgeMs, staleAgeMs);
		}
	}

	toJSON(): {listings: number; fromCache: number; stale?: number; staleMaxAgeMs?: number} {
		return {listings: this.listings, fromCache: this.fromCache, ...(this.stale > 0 ? {stale: this.stale, staleMaxAgeMs: this.staleMaxAgeMs} : {})};
	}
}

/** Cached listings are replayed in pages of this size, so that a 10 000-child folder still arrives in steps. */
const REPLAY_PAGE = 500;

export class ListingAborted extends Error {
	constructor() {
		super('listing aborted');
		this.name = 'AbortError';
	}
}

/** The whole listing, from the cache or from every page of the API. */
export async function cachedList<T>(cache: ApiCache, key: string, fetchAll: () => Promise<T[]>, tally?: ListingTally): Promise<{items: T[]; fromCache: boolean; staleAgeMs?: number}> {
	const {value, fromCache, stale} = await cache.wrap(key, fetchAll);
	tally?.count(fromCache, stale?.ageMs);
	return {items: value, fromCache, ...(stale ? {staleAgeMs: stale.ageMs} : {})};
}

/** Every page of a listing: fetched pages as they arrive on a miss, the cached listing in slices on a hit. */
export async function* cachedPages<T>(
	cache: ApiCache,
	key: string,
	fetchPages: () => AsyncIterable<PageEnvelope<T>>,
	signal?: AbortSignal,
	tally?: ListingTally,
): AsyncGenerator<ListingPage<T>, void, undefined> {
	const stop = new AbortController();
	const onAbort = () => stop.abort();
	signal?.addEventListener('abort', onAbort, {once: true});

	const queue: Array<ListingPage<T>> = [];
	let walkedHere = false;
	let settled: {ok: true; items: T[]; fromCache: boolean; staleAgeMs?: number} | {ok: false; error: unknown} | undefined;
	let wake: (() => void) | undefined;
	const poke = () => {
		wake?.();
		wake = undefined;
	};

	cache
		.wrap(key, async () => {
			walkedHere = true;
			const all: T[] = [];
			for await (const page of fetchPages()) {
				if (stop.signal.aborted) throw new ListingAborted();
				all.push(...page.data);
				queue.push({items: page.data, fromCache: false, totalCount: page.total_count ?? null});
				poke();
			}
			return all;
		})
		.then(
			result => (settled = {ok: true, items: result.value, fromCache: result.fromCache, staleAgeMs: result.stale?.ageMs}),
			(error: unknown) => (settled = {ok: false, error}),
		)
		.finally(poke);

	try {
		for (;;) {
			if (signal?.aborted) throw new ListingAborted();
			const next = queue.shift();
			if (next) {
				yield next;
				continue;
			}
			if (settled) break;
			await new Promise<void>(resolve => (wake = resolve));
		}
		const outcome = settled as NonNullable<typeof settled>;
		if (!outcome.ok) throw outcome.error;
		tally?.count(outcome.fromCache, outcome.staleAgeMs);
		const stale = outcome.staleAgeMs === undefined ? {} : {staleAgeMs: outcome.staleAgeMs};
		// A hit, or a walk another caller ran for this key: replay the whole listing.
		if (!walkedHere) {
			const items = outcome.items;
			if (items.length === 0) yield {items: [], fromCache: outcome.fromCache, totalCount: 0, ...stale};
			for (let start = 0; start < items.length; start += REPLAY_PAGE) {
				if (signal?.aborted) throw new ListingAborted();
				yield {items: items.slice(start, start + REPLAY_PAGE), fromCache: outcome.fromCache, totalCount: items.length, ...stale};
			}
		}
	} finally {
		// The consumer stopped early (collapsed the node): stop walking at the next page.
		if (!settled) stop.abort();
		signal?.removeEventListener('abort', onAbort);
	}
}
