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
import {CacheIndex} from './cache-index.js';
import type {CacheOp} from './cache-ops.js';
import {newEntry, type Counter, type PurgeRule, type StoredEntry} from './entry-types.js';

export {newEntry, type Counter, type PurgeRule, type StoredEntry};
import {keyType} from './keys.js';

/** A whole state as decoded from a file (tests and the legacy format). */
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
	/** Counts, expiry and age bookkeeping and the insertion order, kept as entries come and go. */
	readonly index = new CacheIndex();
	readonly tombstones = new Map<string, number>();
	rules: PurgeRule[] = [];
	readonly counters = new Map<string, Counter>();
	cleanedAt = 0;

	get(key: string): StoredEntry | undefined {
		return this.store.get<StoredEntry>(key);
	}

	/** Keys in insertion order. */
	keys(): string[] {
		return this.index.list().map(entry => entry.key ?? '');
	}

	get size(): number {
		return this.index.count;
	}

	put(key: string, entry: StoredEntry): void {
		entry.key = key;
		const old = this.get(key);
		this.store.set(key, entry);
		if (old) this.index.replace(old, entry);
		else this.index.add(entry);
		// A newer entry supersedes an older deletion of the same key.
		const tomb = this.tombstones.get(key);
		if (tomb !== undefined && tomb < entry.t) this.tombstones.delete(key);
	}

	remove(key: string): boolean {
		const old = this.get(key);
		if (!old) return false;
		this.store.del(key);
		this.index.remove(old);
		return true;
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

	/** Returns false when the rule was known already. */
	addRule(rule: PurgeRule): boolean {
		if (this.rules.some(known => sameRule(known, rule))) return false;
		this.rules.push(rule);
		return true;
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
	 * Folds a whole other state into this one. Returns the keys whose entry changed here (added, replaced or
	 * removed), so that callers can tell whether anything visible happened.
	 */
	merge(incoming: SnapshotData, minT: number): string[] {
		const merge = new OpMerge(this, minT);
		for (const rule of incoming.rules) merge.apply({op: 'rule', rule});
		for (const [key, at] of incoming.tombstones) merge.apply({op: 'del', key, at});
		for (const [key, entry] of incoming.entries) merge.apply({op: 'set', key, ...entry});
		for (const [writer, counter] of incoming.counters) merge.apply({op: 'counter', writer, counter});
		merge.apply({op: 'cleaned', at: incoming.cleanedAt});
		return merge.finish();
	}

	/** Drops entries older than the maximum age. Returns the keys removed. */
	dropOlderThan(minT: number): string[] {
		const removed: string[] = [];
		for (let oldest = this.index.oldest(); oldest && oldest.t < minT; oldest = this.index.oldest()) {
			const key = oldest.key ?? '';
			if (!this.remove(key)) break;
			removed.push(key);
		}
		for (const [writer, counter] of this.counters) if (counter.at < minT) this.counters.delete(writer);
		return removed;
	}
}

/**
 * Applies operations read from the files, one at a time, with the merge rules of the header: the result does not
 * depend on the order they come in, and applying one twice changes nothing. Purges found on the way are applied
 * to the entries held before them in one pass at finish(), so that a file with many rules costs one walk.
 */
export class OpMerge {
	private readonly changed: string[] = [];
	private readonly newRules: PurgeRule[] = [];

	constructor(
		private readonly state: CacheState,
		private readonly minT: number,
	) {}

	apply(op: CacheOp): void {
		const {state, minT} = this;
		switch (op.op) {
			case 'set': {
				if (state.isDead(op.key, op.t, op.e, minT)) return;
				const local = state.get(op.key);
				if (local && local.t >= op.t) return;
				state.put(op.key, newEntry(op.key, op.json, op.t, op.e, keyType(op.key)));
				this.changed.push(op.key);
				return;
			}
			case 'del': {
				if (op.at < minT) return;
				state.addTombstone(op.key, op.at);
				const local = state.get(op.key);
				if (local && local.t <= op.at && state.remove(op.key)) this.changed.push(op.key);
				return;
			}
			case 'rule':
				if (op.rule.at >= minT && state.addRule(op.rule)) this.newRules.push(op.rule);
				return;
			case 'counter': {
				const mine = state.counters.get(op.writer);
				if (op.counter.at >= minT && (!mine || mine.at < op.counter.at)) state.counters.set(op.writer, op.counter);
				return;
			}
			case 'cleaned':
				state.cleanedAt = Math.max(state.cleanedAt, op.at);
				return;
		}
	}

	/** Applies the new purges to what was held before them, compacts, and returns the keys that changed. */
	finish(): string[] {
		const entries = this.newRules.length > 0 ? this.state.index.list() : [];
		for (const entry of entries) this.killByNewRules(entry);
		return this.done();
	}

	/**
	 * finish() for a large cache in a running process: the walk over every entry that a purge needs gives the
	 * event loop a turn whenever `pause` says so. Entries set meanwhile are newer than the purge or already
	 * refused by it (the rule is known from apply() on).
	 */
	async finishInSlices(pause: () => Promise<void>): Promise<string[]> {
		const entries = this.newRules.length > 0 ? this.state.index.list() : [];
		for (let i = 0; i < entries.length; i++) {
			this.killByNewRules(entries[i]);
			if ((i & 1023) === 1023) await pause();
		}
		return this.done();
	}

	private killByNewRules(entry: StoredEntry): void {
		const key = entry.key ?? '';
		if (entry.present && this.newRules.some(rule => ruleKills(rule, key, entry.t, entry.e)) && this.state.remove(key)) this.changed.push(key);
	}

	private done(): string[] {
		this.newRules.length = 0;
		this.state.compact(this.minT);
		return this.changed.splice(0);
	}
}
