// The Cache pane's slice on a real ApiCache: it takes the cache's memoized rows as they are (no per-key work, no
// entries()), only re-reads them after a change, and the pane's filter narrows as a filter is typed.
import {describe, expect, it, vi} from 'vitest';
import {ApiCache, cacheKeys} from '../../source/cache/index.js';
import type {SliceHandle} from '../../source/store/slice-handle.js';
import {cacheSliceEqual, connectCache, createRowFilter, initialCache, type CacheRow, type CacheSlice} from '../../source/store/cache-slice.js';
import {cacheConfig} from './helpers.js';

function handle(): SliceHandle<CacheSlice> & {sets: number} {
	let value = initialCache;
	const slice = {
		sets: 0,
		get: () => value,
		set(next: CacheSlice) {
			slice.sets++;
			value = next;
			return true;
		},
		update: (updater: (current: CacheSlice) => CacheSlice) => slice.set(updater(value)),
	};
	return slice;
}

describe('cache slice over ApiCache', () => {
	it('an idle refresh republishes nothing: ages move in 10 s steps, as minutes are shown', () => {
		vi.useFakeTimers({toFake: ['Date']});
		try {
			vi.setSystemTime(1_800_000_001_000);
			const cache = new ApiCache({config: cacheConfig()});
			cache.set(cacheKeys.folder('f1'), {id: 'f1'});
			const slice = handle();
			const actions = connectCache(slice, cache);
			actions.setVisible(true);
			const first = slice.get();
			vi.setSystemTime(1_800_000_003_000); // the next 2 s tick
			actions.refresh();
			expect(cacheSliceEqual(first, slice.get())).toBe(true);
			vi.setSystemTime(1_800_000_011_000);
			actions.refresh();
			expect(cacheSliceEqual(first, slice.get())).toBe(false);
			expect(slice.get().stats?.oldestAgeMs).toBeGreaterThanOrEqual(10_000); // rounded up, never younger
			actions.dispose();
		} finally {
			vi.useRealTimers();
		}
	});

	it('hands over the cache rows array itself and re-reads it only after a change', () => {
		const cache = new ApiCache({config: cacheConfig()});
		for (let i = 0; i < 1000; i++) cache.set(cacheKeys.folder(`f${i}`), {i});
		let entriesCalls = 0;
		const entries = cache.entries.bind(cache);
		cache.entries = () => {
			entriesCalls++;
			return entries();
		};
		const slice = handle();
		const actions = connectCache(slice, cache);
		actions.setVisible(true);
		const first = slice.get().rows;
		expect(first).toBe(cache.rows());
		expect(first).toHaveLength(1000);
		expect(first[0]).toMatchObject({key: 'folder_f0', type: 'folder'});
		actions.refresh();
		expect(slice.get().rows).toBe(first);
		cache.set(cacheKeys.folder('new'), 1);
		actions.refresh();
		expect(slice.get().rows).not.toBe(first);
		expect(slice.get().rows.at(-1)?.key).toBe('folder_new');
		expect(entriesCalls).toBe(0);
		actions.dispose();
	});

	it('filters case-insensitively, narrowing the previous result as the text grows', () => {
		const rows: CacheRow[] = ['folder_ABC', 'folder_abd', 'file_x', 'nomenclature_UNDLM_abc'].map(key => ({key, type: key.split('_')[0], setAt: 0, expiresAt: 1, bytes: 1}));
		const filter = createRowFilter();
		expect(filter(rows, '')).toBe(rows);
		const ab = filter(rows, 'AB');
		expect(ab.map(row => row.key)).toEqual(['folder_ABC', 'folder_abd', 'nomenclature_UNDLM_abc']);
		// Narrowing: a row missing from the previous result is not looked at again.
		const spy = rows.map(row => ({...row}));
		const seen: string[] = [];
		const watched = spy.map(row =>
			Object.defineProperty({...row}, 'key', {
				get() {
					seen.push(row.key);
					return row.key;
				},
			}),
		);
		const narrowing = createRowFilter();
		narrowing(watched, 'ab');
		seen.length = 0;
		expect(narrowing(watched, 'abc').map(row => row.key)).toEqual(['folder_ABC', 'nomenclature_UNDLM_abc']);
		expect(seen).not.toContain('file_x');
		// The same text again: the same array back; every row kept: the input array back.
		expect(narrowing(watched, 'abc')).toBe(narrowing(watched, 'abc'));
		expect(filter(rows, '_')).toBe(rows);
	});
});
