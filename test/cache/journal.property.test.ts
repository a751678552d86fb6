// Three processes (ApiCache instances, each with its own writer id) share one snapshot + journal on disk and
// interleave sets, deletions, purges, flushes (appends, and compactions at bounds small enough to happen often)
// and polls in any order. Whatever the interleaving, once everyone has flushed and read, every process and a
// fresh one hold exactly the time-ordered replay of the operations.
import fc from 'fast-check';
import {afterEach, describe, expect, it} from 'vitest';
import {ApiCache, cacheSnapshotPath} from '../../source/cache/index.js';
import {testDir} from '../helpers/secret-scan.js';
import {cacheConfig, fakeClock} from './helpers.js';

type Step =
	| {process: number; kind: 'set'; key: string; value: number}
	| {process: number; kind: 'del'; key: string}
	| {process: number; kind: 'purge'; pattern: string}
	| {process: number; kind: 'flush' | 'refresh'};

const keys = ['file_1', 'file_2', 'folder_a', 'folder_a_children', 'folder_b_children', 'projects_w'];
const patterns = ['folder_', 'file_', '_children', 'folder_a'];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{weight: 4, arbitrary: fc.record({process: fc.nat(2), kind: fc.constant('set' as const), key: fc.constantFrom(...keys), value: fc.integer()})},
	{weight: 1, arbitrary: fc.record({process: fc.nat(2), kind: fc.constant('del' as const), key: fc.constantFrom(...keys)})},
	{weight: 1, arbitrary: fc.record({process: fc.nat(2), kind: fc.constant('purge' as const), pattern: fc.constantFrom(...patterns)})},
	{weight: 3, arbitrary: fc.record({process: fc.nat(2), kind: fc.constantFrom('flush' as const, 'refresh' as const)})},
);

function replay(steps: Step[]): Map<string, number> {
	const truth = new Map<string, number>();
	for (const step of steps) {
		if (step.kind === 'set') truth.set(step.key, step.value);
		else if (step.kind === 'del') truth.delete(step.key);
		else if (step.kind === 'purge') for (const key of [...truth.keys()]) if (key.includes(step.pattern)) truth.delete(key);
	}
	return truth;
}

const held = (cache: ApiCache) => new Map(cache.rows().map(row => [row.key, cache.peek<number>(row.key)]));

const opened: ApiCache[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(cache => cache.close()));
});

let run = 0;

describe('snapshot + journal shared by processes (property)', () => {
	it('converges to the time-ordered replay for any interleaving of writes, flushes, compactions and polls', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(stepArb, {maxLength: 30}), fc.tuple(fc.constantFrom(0, 200, 600, 1e9), fc.constantFrom(0, 200, 600, 1e9), fc.constantFrom(0, 200, 600, 1e9)), async (steps, bounds) => {
				const file = cacheSnapshotPath(testDir(`cache-prop-${run++}`));
				const clock = fakeClock();
				// Every operation gets its own time, so that the replay order is the time order.
				const now = () => clock.now();
				const processes = bounds.map(bound => {
					const cache = new ApiCache({config: cacheConfig(), snapshotFile: file, now, pollIntervalMs: 0, flushDelayMs: 600_000, counterFlushMs: 600_000, compactMinBytes: bound, compactRatio: 0});
					opened.push(cache);
					return cache;
				});
				for (const cache of processes) await cache.open();
				for (const step of steps) {
					clock.advance(1);
					const cache = processes[step.process];
					if (step.kind === 'set') cache.set(step.key, step.value);
					else if (step.kind === 'del') cache.del(step.key);
					else if (step.kind === 'purge') cache.purge({pattern: step.pattern});
					else if (step.kind === 'flush') await cache.flush();
					else await cache.refresh();
				}
				for (const cache of processes) await cache.flush();
				for (const cache of processes) await cache.refresh();
				const expected = replay(steps);
				for (const cache of processes) expect(held(cache)).toEqual(expected);
				const fresh = new ApiCache({config: cacheConfig(), snapshotFile: file, now, pollIntervalMs: 0, readOnly: true});
				opened.push(fresh);
				await fresh.open();
				expect(held(fresh)).toEqual(expected);
				await Promise.all(opened.splice(0).map(cache => cache.close()));
			}),
			{numRuns: 40},
		);
	}, 60_000);
});
