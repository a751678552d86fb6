// What this process changed since its last append to the journal, as the operations to append. Sets are kept by
// key (only the entry held at write time is written: ten overwrites of a key cost one line).
import type {CacheState, PurgeRule} from './cache-state.js';
import {encodeOp, setLine} from './cache-ops.js';

export class PendingOps {
	sets = new Set<string>();
	dels = new Map<string, number>();
	rules: PurgeRule[] = [];
	counters = false;
	cleaned = false;

	get empty(): boolean {
		return this.sets.size === 0 && this.dels.size === 0 && this.rules.length === 0 && !this.counters && !this.cleaned;
	}

	del(key: string, at: number): void {
		const old = this.dels.get(key);
		if (old === undefined || old < at) this.dels.set(key, at);
	}

	/** Hands over everything pending and starts empty. */
	take(): PendingOps {
		const taken = new PendingOps();
		[taken.sets, this.sets] = [this.sets, taken.sets];
		[taken.dels, this.dels] = [this.dels, taken.dels];
		[taken.rules, this.rules] = [this.rules, taken.rules];
		[taken.counters, this.counters] = [this.counters, false];
		[taken.cleaned, this.cleaned] = [this.cleaned, false];
		return taken;
	}

	/** Puts back what a failed write had taken. */
	restore(taken: PendingOps): void {
		for (const key of taken.sets) this.sets.add(key);
		for (const [key, at] of taken.dels) this.del(key, at);
		this.rules.unshift(...taken.rules);
		this.counters ||= taken.counters;
		this.cleaned ||= taken.cleaned;
	}

	/** The journal lines, newline-terminated; empty when nothing is left to say (a set since deleted). */
	encode(state: CacheState, writer: string): string {
		const lines: string[] = [];
		for (const rule of this.rules) lines.push(encodeOp({op: 'rule', rule}));
		for (const [key, at] of this.dels) lines.push(encodeOp({op: 'del', key, at}));
		for (const key of this.sets) {
			const entry = state.get(key);
			if (entry) lines.push(setLine(key, entry.t, entry.e, entry.json));
		}
		const counter = state.counters.get(writer);
		if (this.counters && counter) lines.push(encodeOp({op: 'counter', writer, counter: {...counter}}));
		if (this.cleaned) lines.push(encodeOp({op: 'cleaned', at: state.cleanedAt}));
		return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
	}
}
