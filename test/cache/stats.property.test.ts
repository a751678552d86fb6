// stats() and rows() come from bookkeeping kept up to date on every change (cache-index.ts); whatever the sequence
// of sets, deletions, purges and clock moves (backwards too), they equal a count made from scratch.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ApiCache} from '../../source/cache/index.js';
import {cacheConfig, fakeClock} from './helpers.js';

type Step = {kind: 'set' | 'del' | 'purge' | 'expired' | 'tick' | 'back' | 'read'; key: string; size: number; ms: number};

const keys = ['file_1', 'file_2', 'folder_a', 'folder_a_children', 'projects_w', 'structure_p', 'nomenclature_x'];

const stepArb = fc.record({
	kind: fc.constantFrom<Step['kind']>('set', 'set', 'set', 'del', 'purge', 'expired', 'tick', 'tick', 'back', 'read'),
	key: fc.constantFrom(...keys),
	size: fc.nat(30),
	ms: fc.integer({min: 1, max: 4000}),
});

function fromScratch(cache: ApiCache) {
	const rows = cache.entries();
	const byType: Record<string, {count: number; valid: number; expired: number; bytes: number}> = {};
	for (const row of rows) {
		const counts = (byType[row.type] ??= {count: 0, valid: 0, expired: 0, bytes: 0});
		counts.count++;
		counts.bytes += row.bytes;
		if (row.expired) counts.expired++;
		else counts.valid++;
	}
	return {
		total: rows.length,
		expired: rows.filter(row => row.expired).length,
		bytes: rows.reduce((sum, row) => sum + row.bytes, 0),
		oldestAgeMs: rows.length === 0 ? null : Math.max(0, ...rows.map(row => row.ageMs)),
		byType,
	};
}

describe('cache stats bookkeeping (property)', () => {
	it('equals a count from scratch after any sequence of changes and clock moves', () => {
		fc.assert(
			fc.property(fc.array(stepArb, {maxLength: 60}), steps => {
				const clock = fakeClock();
				// TTLs of 1-3 s so that entries expire while the clock moves.
				const cache = new ApiCache({config: cacheConfig({ttl: {files: 1, folders: 2, projects: 3, structure: 2, nomenclature: 1}}), now: clock.now});
				let rows = cache.rows();
				for (const step of steps) {
					if (step.kind === 'set') cache.set(step.key, 'x'.repeat(step.size));
					else if (step.kind === 'del') cache.del(step.key);
					else if (step.kind === 'purge') cache.purge({pattern: step.key.slice(0, 4)});
					else if (step.kind === 'expired') cache.purge({expired: true});
					else if (step.kind === 'tick') clock.advance(step.ms);
					else if (step.kind === 'back') clock.advance(-step.ms);
					else cache.stats();
					const before = rows;
					rows = cache.rows();
					// The same array while nothing changed, a new one after a change.
					if (step.kind === 'tick' || step.kind === 'back' || step.kind === 'read') expect(rows).toBe(before);
					const scratch = fromScratch(cache);
					const stats = cache.stats();
					expect({total: stats.total, expired: stats.expired, bytes: stats.bytes, oldestAgeMs: stats.oldestAgeMs}).toEqual({
						total: scratch.total,
						expired: scratch.expired,
						bytes: scratch.bytes,
						oldestAgeMs: scratch.oldestAgeMs,
					});
					expect(stats.valid).toBe(scratch.total - scratch.expired);
					for (const [type, counts] of Object.entries(stats.byType)) expect(counts).toEqual(scratch.byType[type] ?? {count: 0, valid: 0, expired: 0, bytes: 0});
					expect(rows.map(row => row.key)).toEqual(cache.entries().map(entry => entry.key));
				}
			}),
			{numRuns: 300},
		);
	});
});
