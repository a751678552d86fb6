// Bookkeeping kept up to date on every put and remove, so that the console's reads cost nothing per key:
// counts and bytes by type, how many entries are past their TTL (a heap of expiry times, advanced lazily to the
// clock the reader asks with), the oldest entry (a heap of set times), and the list of entries in insertion
// order (slots; a removed entry leaves a hole, refilled by compaction) from which the row array is built once
// per change, not once per read.
import type {CacheRowInfo, StoredEntry} from './entry-types.js';

export type {CacheRowInfo};
import {MinHeap} from './min-heap.js';

export type TypeCounts = {count: number; bytes: number; expired: number};

/** Heaps grow by one item per put; past this slack over the live count they are rebuilt from the live entries. */
const HEAP_SLACK = 1024;

export class CacheIndex {
	count = 0;
	bytes = 0;
	expired = 0;
	readonly byType = new Map<string, TypeCounts>();
	/** Bumped on every change: the row array and anything derived from it are rebuilt when it moved. */
	version = 0;

	private slots: Array<StoredEntry | undefined> = [];
	/** Each slot's row, side by side with `slots`: with no holes, the row array is one copy of this. */
	private rowSlots: Array<CacheRowInfo | undefined> = [];
	private holes = 0;
	/** Entries not yet counted as expired, by expiry. */
	private readonly expiry = new MinHeap<StoredEntry>(entry => entry.e);
	/** Live entries (and dead ones not yet popped), by set time. */
	private readonly age = new MinHeap<StoredEntry>(entry => entry.t);
	/** The clock the expired counts are true for. */
	private clock = -Infinity;
	private rowsVersion = -1;
	private rowsMemo: readonly CacheRowInfo[] = [];

	/** A new key: its entry takes the next slot. */
	add(entry: StoredEntry): void {
		entry.slot = this.slots.length;
		this.slots.push(entry);
		this.track(entry);
		this.rowSlots.push(entry.row);
	}

	/** A key's entry replaced by a newer one, which keeps the key's place in the list. */
	replace(old: StoredEntry, next: StoredEntry): void {
		this.untrack(old);
		next.slot = old.slot;
		this.track(next);
		if (old.slot !== undefined) {
			this.slots[old.slot] = next;
			this.rowSlots[old.slot] = next.row;
		}
	}

	remove(entry: StoredEntry): void {
		this.untrack(entry);
		if (entry.slot !== undefined && this.slots[entry.slot] === entry) {
			this.slots[entry.slot] = undefined;
			this.rowSlots[entry.slot] = undefined;
			this.holes++;
			if (this.holes > HEAP_SLACK && this.holes * 4 > this.slots.length) this.compactSlots();
		}
	}

	/** Live entries in insertion order. A copy: the caller may change the cache while it walks it. */
	list(): StoredEntry[] {
		const out: StoredEntry[] = [];
		for (const entry of this.slots) if (entry) out.push(entry);
		return out;
	}

	forEach(fn: (entry: StoredEntry) => void): void {
		for (const entry of this.slots) if (entry) fn(entry);
	}

	/** The rows, gathered again only when something changed since the last call (the same array otherwise). */
	rows(): readonly CacheRowInfo[] {
		if (this.rowsVersion === this.version) return this.rowsMemo;
		if (this.holes > 0) this.compactSlots();
		this.rowsMemo = this.rowSlots.slice() as CacheRowInfo[];
		this.rowsVersion = this.version;
		return this.rowsMemo;
	}

	/** Makes the expired counts true for `now`: O(entries that expired since the last call). */
	advance(now: number): void {
		if (now < this.clock) {
			this.recount(now);
			return;
		}
		this.clock = now;
		for (let top = this.expiry.peek(); top && top.e <= now; top = this.expiry.peek()) {
			this.expiry.pop();
			if (!top.present || top.expired) continue;
			top.expired = true;
			this.expired++;
			const counts = this.byType.get(top.type);
			if (counts) counts.expired++;
		}
	}

	/** The live entry set earliest. */
	oldest(): StoredEntry | undefined {
		for (let top = this.age.peek(); top; top = this.age.peek()) {
			if (top.present) return top;
			this.age.pop();
		}
		return undefined;
	}

	private track(entry: StoredEntry): void {
		entry.present = true;
		entry.expired = false;
		// Made here, a few at a time, rather than 100 000 at once when the pane first asks.
		const key = entry.key ?? '';
		entry.row = {key, keyLower: key.toLowerCase(), type: entry.type, setAt: entry.t, expiresAt: entry.e, bytes: entry.json.length};
		this.count++;
		const bytes = entry.json.length;
		this.bytes += bytes;
		let counts = this.byType.get(entry.type);
		if (!counts) {
			counts = {count: 0, bytes: 0, expired: 0};
			this.byType.set(entry.type, counts);
		}
		counts.count++;
		counts.bytes += bytes;
		this.expiry.push(entry);
		this.age.push(entry);
		this.version++;
		if (this.expiry.length > 2 * this.count + HEAP_SLACK) this.rebuildExpiry();
		if (this.age.length > 2 * this.count + HEAP_SLACK) this.age.rebuild(this.list());
	}

	private untrack(entry: StoredEntry): void {
		if (!entry.present) return;
		entry.present = false;
		this.count--;
		const bytes = entry.json.length;
		this.bytes -= bytes;
		const counts = this.byType.get(entry.type);
		if (counts) {
			counts.count--;
			counts.bytes -= bytes;
			if (entry.expired) counts.expired--;
			if (counts.count === 0) this.byType.delete(entry.type);
		}
		if (entry.expired) this.expired--;
		this.version++;
	}

	private rebuildExpiry(): void {
		this.expiry.rebuild(this.list().filter(entry => !entry.expired));
	}

	/** The clock went back (an injected clock in tests): count again from scratch. */
	private recount(now: number): void {
		this.clock = now;
		this.expired = 0;
		for (const counts of this.byType.values()) counts.expired = 0;
		for (const entry of this.slots) {
			if (!entry) continue;
			entry.expired = entry.e <= now;
			if (entry.expired) {
				this.expired++;
				const counts = this.byType.get(entry.type);
				if (counts) counts.expired++;
			}
		}
		this.rebuildExpiry();
	}

	private compactSlots(): void {
		const slots = this.list();
		slots.forEach((entry, slot) => (entry.slot = slot));
		this.slots = slots;
		this.rowSlots = slots.map(entry => entry.row);
		this.holes = 0;
	}
}
