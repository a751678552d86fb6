import {describe, expect, it, vi} from 'vitest';
import {EventBus, type CacheEvent} from '../../source/events/index.js';
import {ApiCache, cacheKeys} from '../../source/cache/index.js';
import {cacheConfig, capturingLogger, fakeClock} from './helpers.js';

describe('ApiCache in memory', () => {
	it('expires each type after its own TTL from config (folders 1 s, projects default)', () => {
		const clock = fakeClock();
		const cache = new ApiCache({config: cacheConfig({ttl: {folders: 1}}), now: clock.now});
		cache.set(cacheKeys.folderChildren('f1'), [{id: 'a'}]);
		cache.set(cacheKeys.folder('f1'), {id: 'f1'});
		cache.set(cacheKeys.projects('w1'), [{id: 'p1'}]);
		clock.advance(999);
		expect(cache.get(cacheKeys.folderChildren('f1'))).toEqual([{id: 'a'}]);
		clock.advance(2);
		expect(cache.get(cacheKeys.folderChildren('f1'))).toBeUndefined();
		expect(cache.get(cacheKeys.folder('f1'))).toBeUndefined();
		expect(cache.get(cacheKeys.projects('w1'))).toEqual([{id: 'p1'}]);
		clock.advance(1800 * 1000);
		expect(cache.get(cacheKeys.projects('w1'))).toBeUndefined();
	});

	it('uses every cache_ttl entry for its types', () => {
		const clock = fakeClock();
		const ttl = {projects: 10, folders: 20, structure: 30, nomenclature: 40, files: 50};
		const cache = new ApiCache({config: cacheConfig({ttl}), now: clock.now});
		const keys = {
			[cacheKeys.accounts()]: 10,
			[cacheKeys.workspaces('a')]: 10,
			[cacheKeys.projects('w')]: 10,
			[cacheKeys.folder('f')]: 20,
			[cacheKeys.folderChildren('f')]: 20,
			[cacheKeys.structure('p')]: 30,
			[cacheKeys.nomenclature('UNDLM_SEQ01_00042_v002.mp4')]: 40,
			[cacheKeys.file('x')]: 50,
		};
		for (const key of Object.keys(keys)) cache.set(key, key);
		const ttlLeft = Object.fromEntries(cache.entries().map(entry => [entry.key, entry.ttlLeftMs / 1000]));
		expect(ttlLeft).toEqual(keys);
		expect(cache.stats().ttlByType).toMatchObject({accounts: 10, projects: 10, folder: 20, structure: 30, nomenclature: 40, file: 50});
	});

	it('refuses keys of an unknown type and values that are not JSON', () => {
		const cache = new ApiCache({config: cacheConfig()});
		expect(() => cache.set('widgets_1', 1)).toThrow(/unknown cache key type "widgets"/);
		expect(() => cache.set(cacheKeys.file('1'), undefined)).toThrow(TypeError);
	});

	it('computes stats on known contents', () => {
		const clock = fakeClock();
		const cache = new ApiCache({config: cacheConfig({ttl: {folders: 10}}), now: clock.now});
		cache.set(cacheKeys.projects('w1'), {n: 1}); // 7 bytes of JSON
		cache.set(cacheKeys.folder('a'), 'abc'); // 5
		clock.advance(5000);
		cache.set(cacheKeys.folder('b'), [1, 2]); // 5
		clock.advance(6000); // folder_a is now expired (11 s > 10 s), folder_b is not (6 s)
		expect(cache.get(cacheKeys.projects('w1'))).toEqual({n: 1});
		expect(cache.get(cacheKeys.folder('a'))).toBeUndefined();
		expect(cache.get(cacheKeys.folder('b'))).toEqual([1, 2]);
		expect(cache.get(cacheKeys.file('none'))).toBeUndefined();
		const stats = cache.stats();
		expect(stats).toMatchObject({total: 3, valid: 2, expired: 1, hits: 2, misses: 2, hitRate: 0.5, bytes: 17, oldestAgeMs: 11_000});
		expect(stats.process).toEqual({hits: 2, misses: 2, hitRate: 0.5});
		expect(stats.byType.projects).toEqual({count: 1, valid: 1, expired: 0, bytes: 7});
		expect(stats.byType.folder).toEqual({count: 2, valid: 1, expired: 1, bytes: 10});
		expect(stats.byType.structure).toEqual({count: 0, valid: 0, expired: 0, bytes: 0});
		const rows = cache.entries().sort((a, b) => a.key.localeCompare(b.key));
		expect(rows.map(row => [row.key, row.type, row.ageMs, row.ttlLeftMs, row.bytes, row.expired])).toEqual([
			['folder_a', 'folder', 11_000, 0, 5, true],
			['folder_b', 'folder', 6000, 4000, 5, false],
			['projects_w1', 'projects', 11_000, 1_789_000, 7, false],
		]);
	});

	it('reports a null hit rate before any lookup', () => {
		const cache = new ApiCache({config: cacheConfig()});
		cache.set(cacheKeys.file('1'), 1);
		expect(cache.stats()).toMatchObject({hits: 0, misses: 0, hitRate: null});
	});

	it('purges by pattern (substring: folder_ takes records and listings), expired, all, and dry-runs', () => {
		const clock = fakeClock();
		const cache = new ApiCache({config: cacheConfig({ttl: {files: 1}}), now: clock.now});
		const keys = [cacheKeys.folder('f1'), cacheKeys.folderChildren('f1'), cacheKeys.folderChildren('f2', 'subfolders'), cacheKeys.projects('w'), cacheKeys.file('x'), cacheKeys.structure('p')];
		for (const key of keys) cache.set(key, key);
		clock.advance(1500); // file_x expired

		expect(cache.purge({pattern: 'folder_', dryRun: true}).removed.sort()).toEqual(['folder_f1', 'folder_f1_children', 'folder_f2_subfolders']);
		expect(cache.size).toBe(6);
		expect(cache.purge({pattern: 'folder_'}).removed).toHaveLength(3);
		expect(cache.entries().map(entry => entry.key).sort()).toEqual(['file_x', 'projects_w', 'structure_p']);

		expect(cache.purge({pattern: 'expired', dryRun: true}).removed).toEqual(['file_x']);
		expect(cache.purge({expired: true}).removed).toEqual(['file_x']);
		expect(cache.purge({pattern: 'projects_', expired: true}).removed).toEqual([]); // both must hold
		expect(cache.purge({all: true, dryRun: true}).removed.sort()).toEqual(['projects_w', 'structure_p']);
		expect(cache.size).toBe(2);
		expect(cache.purge({all: true}).removed.sort()).toEqual(['projects_w', 'structure_p']);
		expect(cache.size).toBe(0);
		expect(() => cache.purge({pattern: ''})).toThrow(RangeError);
		expect(() => cache.purge({})).toThrow(RangeError);
	});

	it('reaches a hit rate above 70 % on a repeated walk of the same keys through wrap()', async () => {
		const cache = new ApiCache({config: cacheConfig()});
		const keys = Array.from({length: 40}, (_, i) => cacheKeys.folderChildren(`f${i}`));
		let fetches = 0;
		const walk = async () => {
			for (const key of keys) await cache.wrap(key, async () => ({fetched: ++fetches, key}));
		};
		for (let round = 0; round < 4; round++) await walk();
		const stats = cache.stats();
		expect(fetches).toBe(40);
		expect(stats.hits).toBe(120);
		expect(stats.misses).toBe(40);
		expect(stats.hitRate).toBeGreaterThan(0.7);
	});

	it('runs one fetch for concurrent misses of one key (single flight)', async () => {
		const cache = new ApiCache({config: cacheConfig()});
		let fetches = 0;
		let release!: () => void;
		const gate = new Promise<void>(resolve => (release = resolve));
		const fetch = async () => {
			fetches++;
			await gate;
			return {id: 'p'};
		};
		const all = Promise.all(Array.from({length: 10}, () => cache.wrap(cacheKeys.projects('w'), fetch)));
		await new Promise(resolve => setTimeout(resolve, 10));
		release();
		const results = await all;
		expect(fetches).toBe(1);
		expect(new Set(results.map(result => result.value)).size).toBe(1);
		expect(results.every(result => !result.fromCache)).toBe(true);
		expect(await cache.wrap(cacheKeys.projects('w'), fetch)).toEqual({value: {id: 'p'}, fromCache: true});
		expect(fetches).toBe(1);
	});

	it('shares a failing fetch with every waiter, caches nothing, and fetches again next time', async () => {
		const cache = new ApiCache({config: cacheConfig()});
		let fetches = 0;
		const failing = async () => {
			fetches++;
			await new Promise(resolve => setTimeout(resolve, 5));
			throw new Error('503');
		};
		const results = await Promise.allSettled([cache.wrap(cacheKeys.file('1'), failing), cache.wrap(cacheKeys.file('1'), failing)]);
		expect(results.map(result => result.status)).toEqual(['rejected', 'rejected']);
		expect(fetches).toBe(1);
		expect(cache.size).toBe(0);
		expect((await cache.wrap(cacheKeys.file('1'), async () => 'ok')).value).toBe('ok');
	});

	it('drops the expired copy of a key whose refetch fails, when auto_invalidate_on_error is on', async () => {
		for (const auto of [true, false]) {
			const clock = fakeClock();
			const cache = new ApiCache({config: cacheConfig({ttl: {files: 1}, invalidation: {auto_invalidate_on_error: auto}}), now: clock.now});
			cache.set(cacheKeys.file('1'), 'stale');
			clock.advance(2000);
			await expect(cache.wrap(cacheKeys.file('1'), async () => Promise.reject(new Error('500')))).rejects.toThrow('500');
			expect(cache.entries().map(entry => entry.key)).toEqual(auto ? [] : ['file_1']);
		}
	});

	it('does not cache a fetch that an invalidation overtook', async () => {
		const cache = new ApiCache({config: cacheConfig()});
		let release!: () => void;
		const gate = new Promise<void>(resolve => (release = resolve));
		const key = cacheKeys.folderChildren('parent');
		const pending = cache.wrap(key, async () => {
			await gate;
			return ['stale listing'];
		});
		cache.invalidateFolder('parent');
		release();
		expect((await pending).value).toEqual(['stale listing']);
		expect(cache.peek(key)).toBeUndefined();
	});

	it('after an invalidation, a reader starts its own fetch rather than joining the one it overtook, and listeners hear of the key even though it was not held', async () => {
		const cache = new ApiCache({config: cacheConfig()});
		const changes: Array<{keys: string[]; invalidated?: string[]}> = [];
		cache.onChange(change => changes.push(change));
		let release!: () => void;
		const gate = new Promise<void>(resolve => (release = resolve));
		const key = cacheKeys.folderChildren('parent');
		const first = cache.wrap(key, async () => {
			await gate;
			return ['before the change'];
		});
		cache.invalidate([key]);
		expect(changes.at(-1)).toEqual({origin: 'local', keys: [], invalidated: [key]});
		const second = cache.wrap(key, async () => ['after the change']);
		expect((await second).value).toEqual(['after the change']);
		release();
		expect((await first).value).toEqual(['before the change']);
		// The overtaken fetch neither stored itself nor removed the newer one.
		expect(cache.peek(key)).toEqual(['after the change']);
		const third = await cache.wrap(key, async () => ['never called']);
		expect(third).toMatchObject({value: ['after the change'], fromCache: true});
	});

	it('invalidateFolder drops the parent listings and the project structure, nothing else', () => {
		const cache = new ApiCache({config: cacheConfig()});
		const keep = [cacheKeys.folder('parent'), cacheKeys.folderChildren('other'), cacheKeys.structure('p2')];
		const drop = [cacheKeys.folderChildren('parent'), cacheKeys.folderChildren('parent', 'subfolders'), cacheKeys.structure('p1')];
		for (const key of [...keep, ...drop]) cache.set(key, key);
		expect(cache.invalidateFolder('parent', 'p1')).toBe(3);
		expect(cache.entries().map(entry => entry.key).sort()).toEqual([...keep].sort());
	});

	it('invalidates on a failed request only when auto_invalidate_on_error is on', () => {
		for (const auto of [true, false]) {
			const cache = new ApiCache({config: cacheConfig({invalidation: {auto_invalidate_on_error: auto}})});
			cache.set(cacheKeys.file('1'), 1);
			cache.set(cacheKeys.file('2'), 2);
			expect(cache.onRequestFailed([cacheKeys.file('1')])).toBe(auto ? 1 : 0);
			expect(cache.peek(cacheKeys.file('1'))).toBe(auto ? undefined : 1);
			expect(cache.peek(cacheKeys.file('2'))).toBe(2);
		}
	});

	it('drops entries older than max_cache_age_hours on read and in the cleanup, whatever their TTL', () => {
		const clock = fakeClock();
		const cache = new ApiCache({config: cacheConfig({ttl: {nomenclature: 10 * 24 * 3600}, invalidation: {max_cache_age_hours: 2}}), now: clock.now});
		cache.set(cacheKeys.nomenclature('a'), 'a');
		cache.set(cacheKeys.nomenclature('b'), 'b');
		clock.advance(2 * 3_600_000 + 1);
		expect(cache.get(cacheKeys.nomenclature('a'))).toBeUndefined();
		expect(cache.size).toBe(1);
		expect(cache.cleanup().removed).toEqual(['nomenclature_b']);
		expect(cache.size).toBe(0);
	});

	it('sweeps expired entries every cleanup_interval_hours on its own (unref\'d timer)', async () => {
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
		try {
			const clock = fakeClock();
			const cache = new ApiCache({config: cacheConfig({ttl: {files: 60}, invalidation: {cleanup_interval_hours: 2}}), now: clock.now});
			await cache.open();
			cache.set(cacheKeys.file('1'), 1);
			clock.advance(3_600_000);
			vi.advanceTimersByTime(3_600_000);
			expect(cache.size).toBe(1); // expired, but the sweep is not due yet
			clock.advance(3_600_000);
			vi.advanceTimersByTime(3_600_000);
			expect(cache.size).toBe(0);
			await cache.close();
		} finally {
			vi.useRealTimers();
		}
	});

	it('cleanup removes expired entries and keeps valid ones', () => {
		const clock = fakeClock();
		const cache = new ApiCache({config: cacheConfig({ttl: {files: 1}}), now: clock.now});
		cache.set(cacheKeys.file('old'), 1);
		clock.advance(2000);
		cache.set(cacheKeys.file('new'), 2);
		expect(cache.cleanup().removed).toEqual(['file_old']);
		expect(cache.peek(cacheKeys.file('new'))).toBe(2);
	});

	it('emits cache events, logs hits and misses at debug, and tells onChange listeners', () => {
		const bus = new EventBus();
		const events: CacheEvent[] = [];
		bus.on(event => {
			if (event.type === 'cache') events.push(event);
		});
		const {logger, lines} = capturingLogger();
		const cache = new ApiCache({config: cacheConfig(), bus, logger});
		const changes: string[][] = [];
		const off = cache.onChange(change => changes.push(change.keys));
		cache.get('projects_123456');
		cache.set('projects_123456', []);
		cache.get('projects_123456');
		cache.del('projects_123456');
		cache.purge({pattern: 'projects_'});
		off();
		cache.set('projects_1', []);
		expect(events.map(event => `${event.op}:${event.key}`)).toEqual([
			'miss:projects_123456',
			'set:projects_123456',
			'hit:projects_123456',
			'delete:projects_123456',
			'purge:projects_',
			'set:projects_1',
		]);
		expect(events.find(event => event.op === 'purge')?.count).toBe(0);
		expect(lines.filter(line => line.level === 'debug').map(line => line.msg)).toEqual(['Cache miss: projects_123456', 'Cache hit: projects_123456']);
		expect(changes).toEqual([['projects_123456'], ['projects_123456']]);
	});

	it('lists 100 000 keys and their stats', () => {
		const cache = new ApiCache({config: cacheConfig()});
		for (let i = 0; i < 100_000; i++) cache.set(cacheKeys.file(String(i)), i);
		expect(cache.entries()).toHaveLength(100_000);
		expect(cache.stats().byType.file.count).toBe(100_000);
	});
});
