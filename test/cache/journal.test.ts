// The journal next to the snapshot: appends that cost the size of the change, polls that read only new bytes,
// compactions into new snapshot generations that readers follow without re-reading the snapshot, and what a
// crash or a damaged file at each step leaves behind.
import {appendFileSync, copyFileSync, existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ApiCache, cacheJournalPath, cacheKeys, cacheSnapshotPath, previousJournalPath, type ApiCacheOptions} from '../../source/cache/index.js';
import {encodeOp} from '../../source/cache/cache-ops.js';
import {parseJournalHead, parseSnapshotHead} from '../../source/cache/snapshot-codec.js';
import {testDir} from '../helpers/secret-scan.js';
import {cacheConfig, capturingLogger, persistedKeys} from './helpers.js';

const open: ApiCache[] = [];

async function openCache(snapshotFile: string, options: Partial<ApiCacheOptions> = {}): Promise<ApiCache> {
	const cache = new ApiCache({config: cacheConfig(), snapshotFile, flushDelayMs: 60_000, counterFlushMs: 60_000, pollIntervalMs: 0, ...options});
	open.push(cache);
	return cache.open();
}

afterEach(async () => {
	await Promise.all(open.splice(0).map(cache => cache.close()));
});

const keysOf = (cache: ApiCache) => cache.entries().map(entry => entry.key).sort();
const firstLine = (file: string) => readFileSync(file, 'utf8').split('\n')[0];
const snapshotGen = (file: string) => parseSnapshotHead(firstLine(file)).gen;
const journalGen = (file: string) => parseJournalHead(firstLine(file))?.gen;
const range = (n: number, prefix: string) => Array.from({length: n}, (_, i) => cacheKeys.file(`${prefix}${i}`));

/** A state dir whose snapshot (generation 1) holds `n` keys, with an empty journal. */
async function seeded(name: string, n = 20): Promise<{file: string; journal: string}> {
	const file = cacheSnapshotPath(testDir(name));
	const writer = await openCache(file);
	for (const key of range(n, 's')) writer.set(key, {key});
	await writer.close();
	return {file, journal: cacheJournalPath(file)};
}

describe('cache journal', () => {
	it('appends one change as one line, without touching the snapshot', async () => {
		const {file, journal} = await seeded('journal-append', 200);
		expect(snapshotGen(file)).toBe(1);
		expect(journalGen(journal)).toBe(1);
		const snapshotBefore = statSync(file);
		const journalBefore = statSync(journal).size;

		const cache = await openCache(file);
		cache.set(cacheKeys.file('new'), {small: true});
		await cache.flush();
		const appended = readFileSync(journal, 'utf8').slice(journalBefore);
		expect(appended).toBe(`{"t":${cache.rows().at(-1)?.setAt},"e":${cache.rows().at(-1)?.expiresAt},"k":"file_new","v":{"small":true}}\n`);
		const snapshotAfter = statSync(file);
		expect([snapshotAfter.ino, snapshotAfter.size, snapshotAfter.mtimeMs]).toEqual([snapshotBefore.ino, snapshotBefore.size, snapshotBefore.mtimeMs]);

		// Lookups are counted in a small counter line, not in the snapshot.
		cache.get(cacheKeys.file('new'));
		cache.get(cacheKeys.file('absent'));
		const beforeCounters = statSync(journal).size;
		await cache.flush();
		const counterLine = readFileSync(journal, 'utf8').slice(beforeCounters);
		expect(counterLine).toMatch(/^\{"counter":"[^"]+","hits":1,"misses":1,"at":\d+(\.\d+)?\}\n$/);
		expect(statSync(file).mtimeMs).toBe(snapshotBefore.mtimeMs);
		expect(persistedKeys(file)).toContain('file_new');
	});

	it('creates the snapshot, the journal and the previous journal 0600', async () => {
		const {file, journal} = await seeded('journal-mode');
		const compactor = await openCache(file, {compactMinBytes: 0, compactRatio: 0});
		compactor.set(cacheKeys.file('x'), 1);
		await compactor.flush();
		for (const each of [file, journal, previousJournalPath(file)]) expect(statSync(each).mode & 0o777).toBe(0o600);
	});

	it('poll reads only the bytes appended since its offset', async () => {
		const {file, journal} = await seeded('journal-offset');
		const reader = await openCache(file);
		const writer = await openCache(file);
		writer.set(cacheKeys.file('one'), 'first');
		await writer.flush();
		const changes: string[][] = [];
		reader.onChange(change => changes.push(change.keys));
		await reader.refresh();
		expect(reader.get(cacheKeys.file('one'))).toBe('first');
		expect(changes).toEqual([['file_one']]);

		// Damage the line the reader has already read, keeping its length: a reader that re-read it would drop it.
		const text = readFileSync(journal, 'utf8');
		const at = text.indexOf('"k":"file_one"');
		writeFileSync(journal, text.slice(0, at) + '"k":"file_ONE"' + text.slice(at + '"k":"file_one"'.length));
		writer.set(cacheKeys.file('two'), 'second');
		await writer.flush();
		await reader.refresh();
		expect(changes).toEqual([['file_one'], ['file_two']]);
		expect(reader.get(cacheKeys.file('one'))).toBe('first');
		expect(reader.get(cacheKeys.file('two'))).toBe('second');

		// Nothing new: no change, nothing read.
		await reader.refresh();
		expect(changes).toHaveLength(2);
	});

	it('a reader in the middle of a journal follows a compaction by another process without re-reading the snapshot', async () => {
		const {file, journal} = await seeded('journal-follow');
		const reader = await openCache(file);
		const writer = await openCache(file);
		writer.set(cacheKeys.file('read'), 1);
		await writer.flush();
		await reader.refresh(); // the reader's offset is now after file_read
		writer.set(cacheKeys.file('unread'), 2);
		writer.del(cacheKeys.file('s0'));
		await writer.flush(); // appended to generation 1, not yet read by the reader

		const compactor = await openCache(file, {compactMinBytes: 0, compactRatio: 0});
		compactor.set(cacheKeys.file('compactor'), 3);
		await compactor.flush();
		expect(snapshotGen(file)).toBe(2);
		expect(journalGen(journal)).toBe(2);
		expect(journalGen(previousJournalPath(file))).toBe(1);
		writer.set(cacheKeys.file('after'), 4);
		await writer.flush(); // appended to generation 2

		// The new snapshot is not needed by a reader that was in generation 1: prove it by hiding it.
		renameSync(file, `${file}.hidden`);
		await reader.refresh();
		renameSync(`${file}.hidden`, file);
		expect(readdirSync(path.dirname(file)).filter(name => name.includes('corrupt'))).toEqual([]);
		expect(keysOf(reader)).toEqual(persistedKeys(file));
		expect(keysOf(reader)).toEqual(expect.arrayContaining(['file_read', 'file_unread', 'file_compactor', 'file_after']));
		expect(keysOf(reader)).not.toContain('file_s0');
	});

	it('a reader two generations behind reads the snapshot again', async () => {
		const {file} = await seeded('journal-behind');
		const reader = await openCache(file);
		const compactor = await openCache(file, {compactMinBytes: 0, compactRatio: 0});
		compactor.set(cacheKeys.file('gen2'), 2);
		await compactor.flush();
		compactor.set(cacheKeys.file('gen3'), 3);
		compactor.del(cacheKeys.file('s1'));
		await compactor.flush();
		expect(snapshotGen(file)).toBe(3);
		// The journal of generation 1 is gone: only the snapshot has what it held.
		expect(journalGen(previousJournalPath(file))).toBe(2);
		await reader.refresh();
		expect(keysOf(reader)).toEqual(persistedKeys(file));
		expect(keysOf(reader)).toEqual(expect.arrayContaining(['file_gen2', 'file_gen3']));
		expect(keysOf(reader)).not.toContain('file_s1');
		// And it follows the next appends from there.
		compactor.set(cacheKeys.file('later'), 4);
		await compactor.close();
		await reader.refresh();
		expect(reader.get(cacheKeys.file('later'))).toBe(4);
	});

	it('compacts on its own once the journal outgrows its bound', async () => {
		const {file, journal} = await seeded('journal-bound');
		const cache = await openCache(file, {compactMinBytes: 4096, compactRatio: 0});
		let flushes = 0;
		while (snapshotGen(file) === 1 && flushes < 100) {
			cache.set(cacheKeys.file(`k${flushes}`), 'x'.repeat(200));
			await cache.flush();
			flushes++;
		}
		expect(snapshotGen(file)).toBe(2);
		// About 4 KiB of ~250-byte lines: the bound, not the first write, triggered it.
		expect(flushes).toBeGreaterThan(10);
		expect(statSync(journal).size).toBeLessThan(200);
		const fresh = await openCache(file);
		expect(fresh.size).toBe(20 + flushes);
	});

	it('ignores a line torn by a writer that died mid-append, and the next writer cuts it off', async () => {
		const {file, journal} = await seeded('journal-torn');
		const reader = await openCache(file);
		const writer = await openCache(file);
		writer.set(cacheKeys.file('before'), 1);
		await writer.flush();
		// kill -9 halfway through an append: half a line, no newline.
		const torn = encodeOp({op: 'set', key: cacheKeys.file('torn'), t: Date.now(), e: Date.now() + 60_000, json: '{"a":{"b":1}}'});
		appendFileSync(journal, torn.slice(0, torn.length - 3));
		await reader.refresh();
		expect(reader.get(cacheKeys.file('before'))).toBe(1);
		expect(reader.get(cacheKeys.file('torn'))).toBeUndefined();
		// Polling again re-reads only the torn tail and still takes nothing from it.
		await reader.refresh();
		expect(reader.size).toBe(21);

		writer.set(cacheKeys.file('after'), 2);
		await writer.flush();
		const lines = readFileSync(journal, 'utf8').split('\n');
		expect(lines.at(-1)).toBe('');
		expect(lines.some(line => line.includes('file_torn'))).toBe(false);
		await reader.refresh();
		expect(reader.get(cacheKeys.file('after'))).toBe(2);
		const {logger, lines: logLines} = capturingLogger();
		const fresh = await openCache(file, {logger});
		expect(fresh.lastLoad).toEqual({status: 'loaded', entries: 22, skipped: 0});
		expect(logLines.filter(line => line.level === 'warn')).toEqual([]);
	});

	it('sets a snapshot cut short aside and keeps the journal written on top of it', async () => {
		const {file, journal} = await seeded('journal-cut-snapshot');
		const writer = await openCache(file);
		writer.set(cacheKeys.file('in-journal'), 'j');
		await writer.close();
		const text = readFileSync(file, 'utf8');
		writeFileSync(file, text.slice(0, text.lastIndexOf('{"end"')));
		const {logger, lines} = capturingLogger();
		const cache = await openCache(file, {logger});
		expect(cache.lastLoad).toMatchObject({status: 'corrupt', reason: expect.stringContaining('cut short')});
		expect(readdirSync(path.dirname(file)).filter(name => name.startsWith('cache.json.corrupt-'))).toHaveLength(1);
		expect(lines.find(line => line.level === 'warn')?.msg).toMatch(/corrupt.*moved to/);
		expect(keysOf(cache)).toEqual(['file_in-journal']);
		expect(existsSync(journal)).toBe(true);
		// The next write makes a whole snapshot again, two generations on: readers of the journal read it.
		cache.set(cacheKeys.file('new'), 'n');
		await cache.flush();
		expect(snapshotGen(file)).toBe(3);
		expect(persistedKeys(file)).toEqual(['file_in-journal', 'file_new']);
	});

	it('a reader that only has the journal reads the whole state written back after a corrupt snapshot', async () => {
		const {file} = await seeded('journal-writeback');
		const holder = await openCache(file); // holds the 20 entries of the snapshot
		const text = readFileSync(file, 'utf8');
		writeFileSync(file, text.slice(0, text.lastIndexOf('{"end"')));
		const reader = await openCache(file); // sets the snapshot aside: it has only the (empty) journal
		expect(reader.size).toBe(0);
		holder.set(cacheKeys.file('new'), 1);
		await holder.flush(); // no snapshot: the holder writes all it holds, two generations on
		expect(snapshotGen(file)).toBe(3);
		await reader.refresh();
		// Through `.prev` it would have seen only file_new: the skipped generation sends it to the snapshot.
		expect(reader.size).toBe(21);
		expect(keysOf(reader)).toEqual(keysOf(holder));
	});

	it('sets aside a journal without its header and starts a good one', async () => {
		const {file, journal} = await seeded('journal-bad-head');
		writeFileSync(journal, 'garbage\n');
		const cache = await openCache(file);
		expect(cache.size).toBe(20);
		cache.set(cacheKeys.file('x'), 1);
		await cache.flush();
		expect(readdirSync(path.dirname(file)).filter(name => name.startsWith('cache.journal.corrupt-'))).toHaveLength(1);
		expect(journalGen(journal)).toBe(1);
		expect(persistedKeys(file)).toContain('file_x');
	});

	describe('a compaction that stopped halfway', () => {
		/** Files as they stand after each step of a compaction of generation 1 into 2. */
		async function halfway(name: string) {
			const {file, journal} = await seeded(name);
			const reader = await openCache(file);
			const writer = await openCache(file);
			writer.set(cacheKeys.file('g1'), 1);
			await writer.flush();
			await reader.refresh();
			writer.set(cacheKeys.file('g1-unread'), 1);
			await writer.flush();
			// Appends file_g2 to generation 1, then compacts into 2.
			const compactor = await openCache(file, {compactMinBytes: 0, compactRatio: 0});
			compactor.set(cacheKeys.file('g2'), 2);
			await compactor.close();
			return {file, journal, reader, writer};
		}

		it('after the snapshot was written: the old journal is still in place', async () => {
			const {file, journal, reader, writer} = await halfway('journal-crash-a');
			renameSync(previousJournalPath(file), journal);
			expect([snapshotGen(file), journalGen(journal)]).toEqual([2, 1]);
			const fresh = await openCache(file);
			expect(keysOf(fresh)).toEqual(expect.arrayContaining(['file_g1', 'file_g1-unread', 'file_g2']));
			// The next writer starts the journal of the snapshot's generation; the reader follows.
			writer.set(cacheKeys.file('next'), 3);
			await writer.flush();
			expect(journalGen(journal)).toBe(2);
			await reader.refresh();
			expect(keysOf(reader)).toEqual(keysOf(writer));
			expect(keysOf(reader)).toEqual(expect.arrayContaining(['file_g1-unread', 'file_next']));
			await fresh.refresh();
			expect(keysOf(fresh)).toEqual(keysOf(writer));
		});

		it('after the old journal was moved aside: no journal yet', async () => {
			const {file, journal, reader, writer} = await halfway('journal-crash-b');
			unlinkSync(journal);
			expect(journalGen(previousJournalPath(file))).toBe(1);
			await reader.refresh();
			const fresh = await openCache(file);
			expect(keysOf(fresh)).toEqual(expect.arrayContaining(['file_g1-unread', 'file_g2']));
			writer.set(cacheKeys.file('next'), 3);
			await writer.flush();
			expect(journalGen(journal)).toBe(2);
			await reader.refresh();
			expect(keysOf(reader)).toEqual(keysOf(writer));
			expect(keysOf(reader)).toEqual(expect.arrayContaining(['file_g1-unread', 'file_g2', 'file_next']));
		});

		it('while the snapshot was being written: a temp file is left, the old generation stands', async () => {
			const {file} = await seeded('journal-crash-temp');
			copyFileSync(file, `${file}.tmp-12345-abcdef`);
			appendFileSync(`${file}.tmp-12345-abcdef`, '{"t":1,"e":');
			const cache = await openCache(file, {compactMinBytes: 0, compactRatio: 0});
			expect(cache.lastLoad).toMatchObject({status: 'loaded', entries: 20});
			cache.set(cacheKeys.file('x'), 1);
			await cache.flush();
			expect(snapshotGen(file)).toBe(2);
			expect(persistedKeys(file)).toHaveLength(21);
			// The next compaction, under the lock, knows the temp file is a dead writer's and removes it.
			expect(existsSync(`${file}.tmp-12345-abcdef`)).toBe(false);
		});
	});

	it('reads a version 1 snapshot and writes version 2 on the next write', async () => {
		const file = cacheSnapshotPath(testDir('journal-legacy'));
		const now = Date.now();
		const legacy = {
			format: 'frameio-admin-cache',
			version: 1,
			writtenAt: now,
			writer: 'old',
			cleanedAt: now,
			rules: [],
			tombstones: {},
			counters: {old: {hits: 3, misses: 1, at: now}},
		};
		writeFileSync(file, `${JSON.stringify(legacy).slice(0, -1)},"entries":{\n"file_1":{"t":${now},"e":${now + 60_000},"v":"{\\"id\\":1}"}\n}}\n`);
		const cache = await openCache(file);
		expect(cache.lastLoad).toMatchObject({status: 'loaded', entries: 1});
		expect(cache.get(cacheKeys.file('1'))).toEqual({id: 1});
		expect(cache.stats()).toMatchObject({hits: 4, misses: 1});
		cache.set(cacheKeys.file('2'), 2);
		await cache.flush();
		expect(snapshotGen(file)).toBe(2);
		expect(persistedKeys(file)).toEqual(['file_1', 'file_2']);
	});

	it('sums the lookup counters of every process, from the journal', async () => {
		const {file} = await seeded('journal-counters');
		const a = await openCache(file);
		const b = await openCache(file);
		a.get(cacheKeys.file('s1'));
		a.get(cacheKeys.file('s2'));
		b.get(cacheKeys.file('s3'));
		b.get(cacheKeys.file('nope'));
		await a.flush();
		await b.flush();
		a.get(cacheKeys.file('s4'));
		await a.flush();
		const reader = await openCache(file, {readOnly: true});
		expect(reader.stats()).toMatchObject({hits: 4, misses: 1, process: {hits: 0, misses: 0}});
	});

	it('loads in the background when asked: open() returns first, the event loop runs while it loads', async () => {
		const {file} = await seeded('journal-background', 3000);
		let turns = 0;
		let loading = true;
		const ticker = () => {
			if (!loading) return;
			turns++;
			setImmediate(ticker);
		};
		setImmediate(ticker);
		const cache = await openCache(file, {loadInBackground: true, sliceMs: 0});
		const sizeAtOpen = cache.size;
		await cache.whenLoaded();
		loading = false;
		expect(sizeAtOpen).toBeLessThan(3000);
		expect(cache.size).toBe(3000);
		// Slices of 256 lines at most with sliceMs 0: the loop got a turn between them.
		expect(turns).toBeGreaterThan(5);
		expect(cache.get(cacheKeys.file('s2999'))).toEqual({key: 'file_s2999'});
	});
});
