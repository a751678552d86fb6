import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ApiCache, cacheKeys, cacheSnapshotPath, type ApiCacheOptions} from '../../source/cache/index.js';
import {testDir} from '../helpers/secret-scan.js';
import {cacheConfig, capturingLogger, persistedKeys, until} from './helpers.js';

const open: ApiCache[] = [];

async function openCache(snapshotFile: string, options: Partial<ApiCacheOptions> = {}): Promise<ApiCache> {
	const cache = new ApiCache({config: cacheConfig(), snapshotFile, flushDelayMs: 20, pollIntervalMs: 0, ...options});
	open.push(cache);
	return cache.open();
}

afterEach(async () => {
	await Promise.all(open.splice(0).map(cache => cache.close()));
});

const keysOf = (cache: ApiCache) => cache.entries().map(entry => entry.key).sort();
// What a fresh process would load: the snapshot and its journal.
const fileKeys = (file: string) => persistedKeys(file);

describe('cache snapshot', () => {
	it('puts the sandbox profile in its own subdirectory', () => {
		expect(cacheSnapshotPath('/s')).toBe(path.join('/s', 'cache.json'));
		expect(cacheSnapshotPath('/s', {sandbox: true})).toBe(path.join('/s', 'sandbox', 'cache.json'));
	});

	it('round-trips values, times and counters through the file', async () => {
		const file = cacheSnapshotPath(testDir('cache-roundtrip'));
		const first = await openCache(file);
		first.set(cacheKeys.projects('w1'), [{id: 'p1', name: 'UNDLM_DOCU'}]);
		first.set(cacheKeys.nomenclature('UNDLM_SEQ01_00042_v002.mp4'), {shot: '00042', text: 'quote " and \\ and \n'});
		first.set(cacheKeys.file('nothing'), null);
		first.get(cacheKeys.projects('w1'));
		first.get(cacheKeys.file('absent'));
		const before = first.entries();
		await first.close();

		const second = await openCache(file);
		expect(second.lastLoad).toMatchObject({status: 'loaded', entries: 3});
		expect(second.get(cacheKeys.projects('w1'))).toEqual([{id: 'p1', name: 'UNDLM_DOCU'}]);
		expect(second.get(cacheKeys.nomenclature('UNDLM_SEQ01_00042_v002.mp4'))).toEqual({shot: '00042', text: 'quote " and \\ and \n'});
		await expect(second.wrap(cacheKeys.file('nothing'), async () => 'fetched')).resolves.toEqual({value: null, fromCache: true});
		const after = second.entries();
		expect(after.map(entry => [entry.key, entry.bytes, entry.ttlLeftMs > 0])).toEqual(before.map(entry => [entry.key, entry.bytes, true]));
		// Counters persist per process: the first one's hit and miss, plus this one's lookups.
		const stats = second.stats();
		expect(stats.process).toEqual({hits: 3, misses: 0, hitRate: 1});
		expect(stats).toMatchObject({hits: 4, misses: 1});
	});

	it('writes changes on its own after the debounce delay', async () => {
		const file = cacheSnapshotPath(testDir('cache-debounce'));
		const cache = await openCache(file, {flushDelayMs: 50});
		for (let i = 0; i < 50; i++) cache.set(cacheKeys.file(String(i)), i);
		expect(existsSync(file)).toBe(false);
		await until(() => fileKeys(file).length === 50, 5000, 'the debounced write');
	});

	it('writes nothing in read-only mode', async () => {
		const file = cacheSnapshotPath(testDir('cache-readonly'));
		const cache = await openCache(file, {readOnly: true});
		cache.set(cacheKeys.file('1'), 1);
		await cache.close();
		expect(existsSync(file)).toBe(false);
	});

	it('loses nothing when two instances write 2 × 200 keys with interleaved flushes', async () => {
		const file = cacheSnapshotPath(testDir('cache-concurrent'));
		const a = await openCache(file, {flushDelayMs: 5});
		const b = await openCache(file, {flushDelayMs: 7});
		const flushes: Array<Promise<void>> = [];
		for (let i = 0; i < 200; i++) {
			a.set(cacheKeys.file(`a${i}`), {i, by: 'a'});
			b.set(cacheKeys.file(`b${i}`), {i, by: 'b'});
			if (i % 10 === 0) flushes.push(a.flush(), b.flush());
			if (i % 25 === 0) await new Promise(resolve => setTimeout(resolve, 3));
		}
		await Promise.all([...flushes, a.flush(), b.flush()]);
		await Promise.all([a.refresh(), b.refresh()]);
		const expected = [...Array.from({length: 200}, (_, i) => `file_a${i}`), ...Array.from({length: 200}, (_, i) => `file_b${i}`)].sort();
		expect(fileKeys(file)).toEqual(expected);
		expect(keysOf(a)).toEqual(expected);
		expect(keysOf(b)).toEqual(expected);
		const fresh = await openCache(file);
		expect(fresh.get(cacheKeys.file('b199'))).toEqual({i: 199, by: 'b'});
		expect(fresh.size).toBe(400);
	});

	it('lets the newer value of a key win across processes', async () => {
		const file = cacheSnapshotPath(testDir('cache-newer'));
		const a = await openCache(file);
		const b = await openCache(file);
		a.set(cacheKeys.file('k'), 'old');
		await new Promise(resolve => setTimeout(resolve, 5));
		b.set(cacheKeys.file('k'), 'new');
		await b.flush();
		await a.flush(); // a merges b's newer value instead of overwriting it
		expect(a.get(cacheKeys.file('k'))).toBe('new');
		const fresh = await openCache(file);
		expect(fresh.get(cacheKeys.file('k'))).toBe('new');
	});

	it("sees another instance's purge through its poller within 2 s", async () => {
		const file = cacheSnapshotPath(testDir('cache-poll'));
		const holder = await openCache(file, {pollIntervalMs: 500});
		for (let i = 0; i < 20; i++) holder.set(cacheKeys.folderChildren(`f${i}`), [i]);
		holder.set(cacheKeys.projects('w'), ['p']);
		await holder.flush();
		const changes: string[] = [];
		holder.onChange(change => changes.push(change.origin));

		const cli = await openCache(file);
		expect(cli.purge({pattern: 'folder_'}).removed).toHaveLength(20);
		await cli.close();
		const waited = await until(() => holder.size === 1, 2000, 'the purge to reach the holder');
		expect(waited).toBeLessThanOrEqual(2000);
		expect(keysOf(holder)).toEqual(['projects_w']);
		expect(changes).toContain('external');
	});

	it('stops a stale holder from resurrecting deleted keys (tombstones) or purged ones (rules)', async () => {
		const file = cacheSnapshotPath(testDir('cache-tombstones'));
		const stale = await openCache(file); // no poller: it never hears of the deletion until it writes
		stale.set(cacheKeys.file('deleted'), 'x');
		stale.set(cacheKeys.file('kept'), 'y');
		await stale.flush();
		// Set before the purge below but never flushed: the purge must still reach it.
		stale.set(cacheKeys.folder('unflushed'), 'z');

		const other = await openCache(file);
		expect(other.del(cacheKeys.file('deleted'))).toBe(true);
		other.purge({pattern: 'folder_'});
		await other.close();

		stale.set(cacheKeys.file('later'), 'w');
		await stale.flush();
		expect(fileKeys(file)).toEqual(['file_kept', 'file_later']);
		expect(keysOf(stale)).toEqual(['file_kept', 'file_later']);
		// A key set again after its deletion is a new entry and lives.
		stale.set(cacheKeys.file('deleted'), 'again');
		await stale.flush();
		expect(fileKeys(file)).toContain('file_deleted');
	});

	it('keeps a deletion not yet flushed over an older copy another process writes meanwhile', async () => {
		const file = cacheSnapshotPath(testDir('cache-late-delete'));
		const writer = await openCache(file);
		writer.set(cacheKeys.file('k'), 'v');
		await writer.flush();
		const deleter = await openCache(file);
		expect(deleter.del(cacheKeys.file('k'))).toBe(true);
		writer.set(cacheKeys.file('other'), 'o');
		await writer.flush(); // the file still has file_k, set before the deletion
		await deleter.flush();
		expect(fileKeys(file)).toEqual(['file_other']);
		expect(keysOf(deleter)).toEqual(['file_other']);
	});

	it('a clear-all by one process wins over every older entry of another', async () => {
		const file = cacheSnapshotPath(testDir('cache-clear-all'));
		const stale = await openCache(file);
		for (let i = 0; i < 10; i++) stale.set(cacheKeys.structure(`p${i}`), i);
		await stale.flush();
		const other = await openCache(file);
		expect(other.purge({all: true}).removed).toHaveLength(10);
		await other.close();
		await new Promise(resolve => setTimeout(resolve, 5));
		stale.set(cacheKeys.structure('new'), 'n');
		await stale.flush();
		expect(keysOf(stale)).toEqual(['structure_new']);
		expect(fileKeys(file)).toEqual(['structure_new']);
	});

	it('sets a corrupt snapshot aside with a warning, starts empty, and writes again', async () => {
		const dir = testDir('cache-corrupt');
		const file = cacheSnapshotPath(dir);
		writeFileSync(file, '{"format":"frameio-admin-cache","version":1,"entries":{"file_1":{"t":1,');
		const {logger, lines} = capturingLogger();
		const cache = await openCache(file, {logger});
		expect(cache.lastLoad.status).toBe('corrupt');
		expect(cache.size).toBe(0);
		const aside = readdirSync(dir).filter(name => name.startsWith('cache.json.corrupt-'));
		expect(aside).toHaveLength(1);
		expect(readFileSync(path.join(dir, aside[0]), 'utf8')).toContain('"file_1"');
		expect(existsSync(file)).toBe(false);
		const warning = lines.find(line => line.level === 'warn');
		expect(warning?.msg).toMatch(/corrupt.*moved to .*cache\.json\.corrupt-/);

		cache.set(cacheKeys.file('2'), 2);
		await cache.flush();
		expect(fileKeys(file)).toEqual(['file_2']);
		const fresh = await openCache(file);
		expect(fresh.lastLoad.status).toBe('loaded');
		expect(fresh.get(cacheKeys.file('2'))).toBe(2);
	});

	it('treats a JSON file that is not a snapshot as corrupt too', async () => {
		const dir = testDir('cache-foreign');
		const file = cacheSnapshotPath(dir);
		writeFileSync(file, '{"hello":"world"}');
		const cache = await openCache(file);
		expect(cache.lastLoad).toMatchObject({status: 'corrupt', reason: 'not a frameio-admin cache snapshot'});
		expect(readdirSync(dir).some(name => name.startsWith('cache.json.corrupt-'))).toBe(true);
	});

	it('checkStore reports a readable, writable snapshot, and a corrupt or unwritable one as failing', async () => {
		const dir = testDir('cache-check');
		const file = cacheSnapshotPath(dir);
		const cache = await openCache(file);
		expect(await cache.checkStore()).toMatchObject({ok: true, detail: expect.stringContaining('not written yet')});
		cache.set(cacheKeys.file('1'), 1);
		await cache.flush();
		expect(await cache.checkStore()).toMatchObject({ok: true, detail: expect.stringContaining('1 entries')});
		writeFileSync(file, 'garbage');
		expect(await cache.checkStore()).toMatchObject({ok: false, detail: expect.stringContaining('corrupt')});
		// A snapshot path whose directory cannot exist (its parent is a file).
		const blocked = await openCache(path.join(file, 'cache.json'), {lockRetries: 0});
		expect((await blocked.checkStore()).ok).toBe(false);
		expect(await new ApiCache({config: cacheConfig()}).checkStore()).toMatchObject({ok: true});
	});

	it('takes over a lock left by a dead process once it is stale', async () => {
		const dir = testDir('cache-stale-lock');
		const file = cacheSnapshotPath(dir);
		const {mkdirSync, utimesSync} = await import('node:fs');
		mkdirSync(`${file}.lock`);
		const old = new Date(Date.now() - 60_000);
		utimesSync(`${file}.lock`, old, old);
		const cache = await openCache(file, {lockStaleMs: 2000});
		cache.set(cacheKeys.file('1'), 1);
		await cache.flush();
		expect(fileKeys(file)).toEqual(['file_1']);
	});
});
