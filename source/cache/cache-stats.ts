// Read-only views of the cache's state: one row per key (entries(), for commands and tests: one pass over the
// keys), and the summary `cache stats` and the console print, read from the bookkeeping of cache-index.ts
// without touching the keys.
import type {OptimizationConfig} from '../config/index.js';
import type {CacheState} from './cache-state.js';
import {displayedTypes, ttlGroupByType} from './keys.js';

export type CacheEntryInfo = {key: string; type: string; ageMs: number; ttlLeftMs: number; bytes: number; expired: boolean};

export type TypeStats = {count: number; valid: number; expired: number; bytes: number};

export type LookupCounts = {hits: number; misses: number; hitRate: number | null};

export type CacheStats = {
	total: number;
	valid: number;
	expired: number;
	/** Every displayed type (even with no entries) and any other type present. */
	byType: Record<string, TypeStats>;
	/** Lookups of every process that used this snapshot within max_cache_age_hours, this one included. */
	hits: number;
	misses: number;
	hitRate: number | null;
	/** Lookups of this process only. */
	process: LookupCounts;
	/** Approximate: the length of each value's JSON. */
	bytes: number;
	oldestAgeMs: number | null;
	/** TTL in seconds for each key type. */
	ttlByType: Record<string, number>;
};

export const hitRateOf = (hits: number, misses: number): number | null => (hits + misses === 0 ? null : hits / (hits + misses));

export function listEntries(state: CacheState, now: number): CacheEntryInfo[] {
	const rows = state.index.rows();
	const out = new Array<CacheEntryInfo>(rows.length);
	for (let i = 0; i < rows.length; i++) {
		const {key, type, setAt, expiresAt, bytes} = rows[i];
		// Stamps carry sub-millisecond offsets that order events within one process; views show whole ms.
		out[i] = {key, type, ageMs: Math.round(now - setAt), ttlLeftMs: Math.max(0, Math.round(expiresAt - now)), bytes, expired: expiresAt <= now};
	}
	return out;
}

export function ttlByType(ttl: OptimizationConfig['cache_ttl']): Record<string, number> {
	return Object.fromEntries(Object.entries(ttlGroupByType).map(([type, group]) => [type, ttl[group]]));
}

export function computeStats(state: CacheState, now: number, ttl: OptimizationConfig['cache_ttl'], own: {hits: number; misses: number}): CacheStats {
	const {index} = state;
	index.advance(now);
	const byType: Record<string, TypeStats> = {};
	for (const type of displayedTypes) byType[type] = {count: 0, valid: 0, expired: 0, bytes: 0};
	for (const [type, counts] of index.byType) byType[type] = {count: counts.count, valid: counts.count - counts.expired, expired: counts.expired, bytes: counts.bytes};
	let hits = 0;
	let misses = 0;
	for (const counter of state.counters.values()) {
		hits += counter.hits;
		misses += counter.misses;
	}
	const oldest = index.oldest();
	return {
		total: index.count,
		valid: index.count - index.expired,
		expired: index.expired,
		byType,
		hits,
		misses,
		hitRate: hitRateOf(hits, misses),
		process: {hits: own.hits, misses: own.misses, hitRate: hitRateOf(own.hits, own.misses)},
		bytes: index.bytes,
		oldestAgeMs: oldest === undefined ? null : Math.max(0, Math.round(now - oldest.t)),
		ttlByType: ttlByType(ttl),
	};
}
