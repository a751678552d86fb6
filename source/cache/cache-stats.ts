// Read-only views of the cache's state: one row per key for the console's list, and the summary `cache stats` prints.
// Both are one pass over the keys, with no decoding of values, so that 100 000 keys stay cheap.
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
	const keys = state.keys();
	const rows: CacheEntryInfo[] = [];
	for (const key of keys) {
		const entry = state.get(key);
		if (!entry) continue;
		// Stamps carry sub-millisecond offsets that order events within one process; views show whole ms.
		rows.push({key, type: entry.type, ageMs: Math.round(now - entry.t), ttlLeftMs: Math.max(0, Math.round(entry.e - now)), bytes: entry.json.length, expired: entry.e <= now});
	}
	return rows;
}

export function ttlByType(ttl: OptimizationConfig['cache_ttl']): Record<string, number> {
	return Object.fromEntries(Object.entries(ttlGroupByType).map(([type, group]) => [type, ttl[group]]));
}

export function computeStats(state: CacheState, now: number, ttl: OptimizationConfig['cache_ttl'], own: {hits: number; misses: number}): CacheStats {
	const byType: Record<string, TypeStats> = {};
	for (const type of displayedTypes) byType[type] = {count: 0, valid: 0, expired: 0, bytes: 0};
	let valid = 0;
	let expired = 0;
	let bytes = 0;
	let oldestT = Infinity;
	for (const key of state.keys()) {
		const entry = state.get(key);
		if (!entry) continue;
		const row = (byType[entry.type] ??= {count: 0, valid: 0, expired: 0, bytes: 0});
		row.count++;
		row.bytes += entry.json.length;
		bytes += entry.json.length;
		if (entry.e <= now) {
			row.expired++;
			expired++;
		} else {
			row.valid++;
			valid++;
		}
		if (entry.t < oldestT) oldestT = entry.t;
	}
	let hits = 0;
	let misses = 0;
	for (const counter of state.counters.values()) {
		hits += counter.hits;
		misses += counter.misses;
	}
	return {
		total: valid + expired,
		valid,
		expired,
		byType,
		hits,
		misses,
		hitRate: hitRateOf(hits, misses),
		process: {hits: own.hits, misses: own.misses, hitRate: hitRateOf(own.hits, own.misses)},
		bytes,
		oldestAgeMs: oldestT === Infinity ? null : Math.max(0, Math.round(now - oldestT)),
		ttlByType: ttlByType(ttl),
	};
}
