// The cache's data and its merge rules, with no I/O: what every process holds and what the snapshot file holds
// are the same shape, and combining two of them is `merge`. The rules, in order:
//
// - Every entry carries `t`, the time it was set (for a wrap(), when its fetch started), and `e`, its expiry.
// - A deletion is a tombstone (key → time); a purge is a rule ({at, pattern?, expired?}; neither = all) that kills
//   every entry it matches whose `t <= at`, including entries held by a process that has not flushed them yet.
//   On equal times the deletion wins.
// - Between two live entries for one key, the newer `t` wins.
// - An entry older than max_cache_age_hours is dead whatever its TTL, so tombstones and rules older than that can
//   be forgotten: anything they could still kill is dead anyway. That keeps the file bounded.
import NodeCache from 'node-cache';
import {keyType} from './keys.js';

export type StoredEntry = {
	/** The value serialised once, at set: the snapshot writes it as is and `bytes` is its length. */
	json: string;
	t: number;
	e: number;
	type: string;
	/** Decoded lazily from `json` for entries read from a snapshot. */
	value?: unknown;
	decoded: boolean;
	/** This entry's line in the snapshot, made at its first write and reused by every later one (entries never change). */
	line?: string;
};

export type PurgeRule = {at: number; pattern?: string; expired?: true};

/** Lookups counted by one process (its writer id), summed over processes by stats(). */
export type Counter = {hits: number; misses: number; at: number};

/** The snapshot file's content, decoded. */
export type SnapshotData = {
	entries: Map<string, {json: string; t: number; e: number}>;
	tombstones: Map<string, number>;
	rules: PurgeRule[];
	counters: Map<string, Counter>;
	cleanedAt: number;
};

/** Rules kept at most; the oldest go first (a resurrection after that many purges in a day is acceptable). */
const MAX_RULES = 1000;

export function ruleKills(rule: PurgeRule, key: string, t: number, e: number): boolean {
	if (t > rule.at) return false;
	if (rule.pattern !== undefined && !key.includes(rule.pattern)) return false;
	if (rule.expired && e > rule.at) return false;
	return true;
}

function sameRule(a: PurgeRule, b: PurgeRule): boolean {
	return a.at === b.at && a.pattern === b.pattern && a.expired === b.expired;
}

export function isPurgeAll(rule: PurgeRule): boolean {
	return rule.pattern === undefined && !rule.expired;
}

export class CacheState {
	/** The hot layer: node-cache with its own TTL off (ours is per type, on an injectable clock) and no clones. */
	readonly store = new NodeCache({stdTTL: 0, checkperiod: 0, useClones: false, deleteOnExpire: false});
	readonly tombstones = new Map<string, number>();
	rules: PurgeRule[] = [];
	readonly counters = new Map<string, Counter>();
	cleanedAt = 0;

	get(key: string): StoredEntry | undefined {
		return this.store.get<StoredEntry>(key);
	}

	keys(): string[] {
		return this.store.keys();
	}

	get size(): number {
		return this.store.keys().length;
	}

	put(key: string, entry: StoredEntry): void {
		this.store.set(key, entry);
		// A newer entry supersedes an older deletion of the same key.
		const tomb = this.tombstones.get(key);
		if (tomb !== undefined && tomb < entry.t) this.tombstones.delete(key);
	}

	remove(key: string): boolean {
		return this.store.del(key) > 0;
	}

	/** True when a deletion or a purge this state knows of kills an entry set at `t`. */
	isDead(key: string, t: number, e: number, minT: number): boolean {
		if (t < minT) return true;
		const tomb = this.tombstones.get(key);
		if (tomb !== undefined && t <= tomb) return true;
		for (const rule of this.rules) if (ruleKills(rule, key, t, e)) return true;
		return false;
	}

	addTombstone(key: string, at: number): void {
		const old = this.tombstones.get(key);
		if (old === undefined || old < at) this.tombstones.set(key, at);
	}

	addRule(rule: PurgeRule): void {
		if (!this.rules.some(known => sameRule(known, rule))) this.rules.push(rule);
	}

	/** Forgets what can no longer matter (see the header) and keeps the rule list bounded. */
	compact(minT: number): void {
		// A purge of everything dominates every older deletion and purge.
		let latestAll = -Infinity;
		for (const rule of this.rules) if (isPurgeAll(rule) && rule.at > latestAll) latestAll = rule.at;
		this.rules = this.rules.filter(rule => rule.at >= minT && (rule.at > latestAll || (rule.at === latestAll && isPurgeAll(rule))));
		this.rules.sort((a, b) => a.at - b.at);
		if (this.rules.length > MAX_RULES) this.rules = this.rules.slice(-MAX_RULES);
		for (const [key, at] of this.tombstones) if (at < minT || at <= latestAll) this.tombstones.delete(key);
	}

	/**
	 * Folds another state (the snapshot file) into this one. Returns the keys whose entry changed here (added,
	 * replaced or removed), so that callers can tell whether anything visible happened.
	 */
	merge(incoming: SnapshotData, minT: number): string[] {
		const changed: string[] = [];
		const newRules = incoming.rules.filter(rule => rule.at >= minT && !this.rules.some(known => sameRule(known, rule)));
		for (const rule of newRules) this.rules.push(rule);
		const newTombs: string[] = [];
		for (const [key, at] of incoming.tombstones) {
			if (at < minT) continue;
			const old = this.tombstones.get(key);
			if (old === undefined || old < at) {
				this.tombstones.set(key, at);
				newTombs.push(key);
			}
		}
		for (const [key, entry] of incoming.entries) {
			if (this.isDead(key, entry.t, entry.e, minT)) continue;
			const local = this.get(key);
			if (local && local.t >= entry.t) continue;
			this.put(key, {json: entry.json, t: entry.t, e: entry.e, type: keyType(key), decoded: false});
			changed.push(key);
		}
		// What the other side deleted or purged also goes here, including entries we never flushed.
		for (const key of newTombs) {
			const local = this.get(key);
			if (local && local.t <= (this.tombstones.get(key) ?? -Infinity) && this.remove(key)) changed.push(key);
		}
		if (newRules.length > 0) {
			for (const key of this.keys()) {
				const local = this.get(key);
				if (local && newRules.some(rule => ruleKills(rule, key, local.t, local.e)) && this.remove(key)) changed.push(key);
			}
		}
		for (const [writer, counter] of incoming.counters) {
			const mine = this.counters.get(writer);
			if (counter.at >= minT && (!mine || mine.at < counter.at)) this.counters.set(writer, counter);
		}
		this.cleanedAt = Math.max(this.cleanedAt, incoming.cleanedAt);
		this.compact(minT);
		return changed;
	}

	/** Drops entries older than the maximum age. Returns the keys removed. */
	dropOlderThan(minT: number): string[] {
		const removed: string[] = [];
		for (const key of this.keys()) {
			const entry = this.get(key);
			if (entry && entry.t < minT && this.remove(key)) removed.push(key);
		}
		for (const [writer, counter] of this.counters) if (counter.at < minT) this.counters.delete(writer);
		return removed;
	}
}
