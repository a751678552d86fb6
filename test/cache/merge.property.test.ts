// Whatever order processes write their snapshots in, the merged cache equals replaying every process's operations
// in time order on one map: newest set wins, deletions and purges win over older sets.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {CacheState} from '../../source/cache/cache-state.js';
import {keyType} from '../../source/cache/keys.js';
import {decodeSnapshot, encodeSnapshot} from '../../source/cache/snapshot-codec.js';

type Op = {process: number; kind: 'set' | 'del' | 'purge'; key: string; value: number};

const keys = ['file_1', 'file_2', 'folder_a', 'folder_a_children', 'folder_b_children', 'projects_w'];
const patterns = ['folder_', 'file_', '_children', 'folder_a'];

const opArb = fc.record({
	process: fc.integer({min: 0, max: 2}),
	kind: fc.constantFrom<Op['kind']>('set', 'set', 'set', 'del', 'purge'),
	key: fc.constantFrom(...keys, ...patterns),
	value: fc.integer(),
});

function apply(state: CacheState, op: Op, t: number): void {
	if (op.kind === 'set') {
		if (!keys.includes(op.key) || state.isDead(op.key, t, t + 1e9, -Infinity)) return;
		state.put(op.key, {json: JSON.stringify(op.value), t, e: t + 1e9, type: keyType(op.key), value: op.value, decoded: true});
	} else if (op.kind === 'del') {
		state.addTombstone(op.key, t);
		state.remove(op.key);
	} else {
		for (const key of state.keys()) if (key.includes(op.key)) state.remove(key);
		state.addRule({at: t, pattern: op.key});
	}
}

function replay(ops: Op[]): Map<string, string> {
	const truth = new Map<string, string>();
	for (const op of ops) {
		if (op.kind === 'set' && keys.includes(op.key)) truth.set(op.key, JSON.stringify(op.value));
		else if (op.kind === 'del') truth.delete(op.key);
		else if (op.kind === 'purge') for (const key of [...truth.keys()]) if (key.includes(op.key)) truth.delete(key);
	}
	return truth;
}

const live = (state: CacheState) => new Map(state.keys().map(key => [key, state.get(key)!.json]));

describe('snapshot merge (property)', () => {
	it('equals the time-ordered replay, in any merge order, and merging twice changes nothing', () => {
		fc.assert(
			fc.property(fc.array(opArb, {maxLength: 40}), fc.array(fc.integer({min: 0, max: 2}), {minLength: 3, maxLength: 6}), (ops, order) => {
				const processes = [new CacheState(), new CacheState(), new CacheState()];
				ops.forEach((op, t) => apply(processes[op.process], op, t + 1));
				const files = processes.map(state => decodeSnapshot(encodeSnapshot(state, {writer: 'w', writtenAt: 0})));
				const merged = new CacheState();
				// Every process at least once, in a random order with repeats.
				for (const index of [...order, 0, 1, 2]) merged.merge(files[index], -Infinity);
				const expected = replay(ops);
				expect(live(merged)).toEqual(expected);
				const again = merged.merge(decodeSnapshot(encodeSnapshot(merged, {writer: 'w', writtenAt: 0})), -Infinity);
				expect(again).toEqual([]);
				// Each process, after merging the result back, agrees with it.
				for (const state of processes) {
					state.merge(decodeSnapshot(encodeSnapshot(merged, {writer: 'w', writtenAt: 0})), -Infinity);
					expect(live(state)).toEqual(expected);
				}
			}),
			{numRuns: 300},
		);
	});
});
