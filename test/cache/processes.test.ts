// Real processes on one cache: concurrent writers compacting often, a writer killed with SIGKILL in the middle of
// its appends and compactions, and `cache stats` in a fresh CLI process reading counters from the journal.
import {spawn, type ChildProcess} from 'node:child_process';
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {IdentityBook, profileDir} from '../../source/config/profiles.js';
import {SNAPSHOT_FILE} from '../../source/cache/index.js';
import {ApiCache, cacheKeys, cacheSnapshotPath} from '../../source/cache/index.js';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';
import {cacheConfig, persistedKeys} from './helpers.js';

const WRITER = path.resolve('test/cache/fixtures/cache-writer.mjs');

const children: ChildProcess[] = [];
const caches: ApiCache[] = [];
afterEach(async () => {
	for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
	await Promise.all(caches.splice(0).map(cache => cache.close()));
});

function writer(file: string, prefix: string, count: number, bound: number) {
	const child = spawn(process.execPath, [WRITER, file, prefix, String(count), String(bound)], {stdio: ['ignore', 'pipe', 'pipe']});
	children.push(child);
	let out = '';
	let err = '';
	const flushed = new Set<number>();
	const waiters: Array<{n: number; resolve: () => void}> = [];
	child.stdout.on('data', chunk => {
		out += chunk;
		for (const match of String(chunk).matchAll(/flushed (\d+)/g)) flushed.add(Number(match[1]));
		for (const waiter of waiters.splice(0)) {
			if (flushed.has(waiter.n)) waiter.resolve();
			else waiters.push(waiter);
		}
	});
	child.stderr.on('data', chunk => (err += chunk));
	const done = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => child.on('exit', (code, signal) => resolve({code, signal})));
	return {
		child,
		done,
		flushed,
		output: () => ({out, err}),
		flushedAt: (n: number) => new Promise<void>(resolve => (flushed.has(n) ? resolve() : waiters.push({n, resolve}))),
	};
}

/** The keys a writer of `count` keys leaves: every 7th deletes the one set 3 before. */
function expectedKeys(prefix: string, count: number): string[] {
	const keys = new Set<string>();
	for (let i = 0; i < count; i++) {
		keys.add(cacheKeys.file(`${prefix}${i}`));
		if (i % 7 === 6) keys.delete(cacheKeys.file(`${prefix}${i - 3}`));
	}
	return [...keys];
}

describe('cache shared by real processes', () => {
	it('two processes writing and compacting at once lose nothing', async () => {
		const file = cacheSnapshotPath(testDir('cache-procs'));
		const a = writer(file, 'a', 60, 1500);
		const b = writer(file, 'b', 60, 2500);
		const [doneA, doneB] = await Promise.all([a.done, b.done]);
		expect([doneA.code, doneB.code], `${a.output().err}\n${b.output().err}`).toEqual([0, 0]);
		const expected = [...expectedKeys('a', 60), ...expectedKeys('b', 60)].sort();
		expect(persistedKeys(file)).toEqual(expected);
		const fresh = new ApiCache({config: cacheConfig(), snapshotFile: file, pollIntervalMs: 0, readOnly: true});
		caches.push(fresh);
		await fresh.open();
		expect(fresh.lastLoad).toMatchObject({status: 'loaded', skipped: 0});
		expect(fresh.rows().map(row => row.key).sort()).toEqual(expected);
		// Each saw everything by its last read: the one that finished last at least the other's keys.
		const views = [a, b].map(each => (JSON.parse(each.output().out.trim().split('\n').at(-1) ?? '{}') as {keys: string[]}).keys.length);
		expect(Math.max(...views)).toBe(expected.length);
	}, 60_000);

	it('a writer killed mid-append or mid-compaction leaves files the others load and go on writing', async () => {
		const file = cacheSnapshotPath(testDir('cache-kill'));
		const victim = writer(file, 'v', 100_000, 3000);
		await victim.flushedAt(40);
		victim.child.kill('SIGKILL');
		const exit = await victim.done;
		expect(exit.signal).toBe('SIGKILL');
		const acknowledged = Math.max(...victim.flushed);

		// A survivor takes over the lock once stale, and writes and compacts.
		const survivor = writer(file, 's', 30, 1000);
		expect((await survivor.done).code, survivor.output().err).toBe(0);
		const fresh = new ApiCache({config: cacheConfig(), snapshotFile: file, pollIntervalMs: 0, readOnly: true});
		caches.push(fresh);
		await fresh.open();
		expect(fresh.lastLoad).toMatchObject({status: 'loaded', skipped: 0});
		const keys = new Set(fresh.rows().map(row => row.key));
		for (const key of expectedKeys('s', 30)) expect(keys.has(key)).toBe(true);
		// Everything the victim reported flushed is there.
		for (const key of expectedKeys('v', acknowledged + 1)) expect(keys.has(key), key).toBe(true);
		expect(readdirSync(path.dirname(file)).filter(name => name.includes('corrupt'))).toEqual([]);
	}, 60_000);

	it('cache stats in a fresh CLI process shows the lookups another process counted (journal counters)', async () => {
		const stateDir = testDir('cache-procs-stats');
		// The cache of the last user seen on the live API, as `cache stats` picks it without asking the API.
		const live = {origin: 'https://api.frame.io', userId: 'user-1'};
		new IdentityBook(stateDir).remember(live);
		const file = path.join(profileDir(stateDir, live), SNAPSHOT_FILE);
		const holder = new ApiCache({config: cacheConfig(), snapshotFile: file, pollIntervalMs: 0});
		caches.push(holder);
		await holder.open();
		holder.set(cacheKeys.projects('w'), ['p']);
		await holder.flush(); // the snapshot exists from here on; the counters below only go to the journal
		for (let i = 0; i < 6; i++) holder.get(cacheKeys.projects('w'));
		holder.get(cacheKeys.projects('absent'));
		holder.get(cacheKeys.projects('absent2'));
		await holder.flush();
		const result = await runCli(['cache', 'stats', '--json', '--state-dir', stateDir, '--logs-dir', testDir('cache-procs-stats-logs')]);
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({total: 1, hits: 6, misses: 2, hitRate: 0.75});
	}, 30_000);
});
