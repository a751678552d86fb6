// `frameio-admin cache …` as a user runs it: the built CLI in a real process, on a snapshot this test fills.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {ApiCache, cacheKeys, SNAPSHOT_FILE} from '../../source/cache/index.js';
import {IdentityBook, profileDir, SANDBOX_ORIGIN} from '../../source/config/profiles.js';
import cacheCommand from '../../source/commands/cache.js';
import {UsageError, type Io} from '../../source/commands/kit/command.js';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';
import {cacheConfig, persistedKeys, until} from './helpers.js';

const held: ApiCache[] = [];
afterEach(async () => {
	await Promise.all(held.splice(0).map(cache => cache.close()));
});

/** The live API's user the seeded caches belong to, as the state dir remembers it (no API is asked). */
const LIVE = {origin: 'https://api.frame.io', userId: 'user-1', userName: 'Test User'};
const LIVE_LABEL = 'api.frame.io as Test User';

/** The snapshot of the live user's cache (remembered as the last user seen there), or of the sandbox's. */
function snapshotOf(stateDir: string, options: {sandbox?: boolean} = {}): string {
	if (options.sandbox) return path.join(profileDir(stateDir, {origin: SANDBOX_ORIGIN, userId: 'sandbox'}), SNAPSHOT_FILE);
	new IdentityBook(stateDir).remember(LIVE);
	return path.join(profileDir(stateDir, LIVE), SNAPSHOT_FILE);
}

/** A state dir whose snapshot holds 3 folder entries (one expired), 2 projects, 1 structure, and 3 hits + 1 miss. */
async function seededStateDir(options: {sandbox?: boolean} = {}) {
	const stateDir = testDir('cache-cmd-state');
	const logsDir = testDir('cache-cmd-logs');
	const file = snapshotOf(stateDir, options);
	let now = Date.now() - 3_600_000; // an hour ago: the folder TTL (900 s) has run out since
	const writer = new ApiCache({config: cacheConfig(), snapshotFile: file, now: () => now});
	await writer.open();
	writer.set(cacheKeys.folderChildren('old'), [{id: 'x'}]);
	now = Date.now();
	writer.set(cacheKeys.folder('f1'), {id: 'f1'});
	writer.set(cacheKeys.folderChildren('f1'), [{id: 'a'}, {id: 'b'}]);
	writer.set(cacheKeys.projects('w1'), [{id: 'p1'}]);
	writer.set(cacheKeys.projects('w2'), []);
	writer.set(cacheKeys.structure('p1'), {tree: []});
	writer.get(cacheKeys.folder('f1'));
	writer.get(cacheKeys.projects('w1'));
	writer.get(cacheKeys.projects('w2'));
	writer.get(cacheKeys.file('missing'));
	await writer.close();
	return {stateDir, logsDir, file, dirs: ['--state-dir', stateDir, '--logs-dir', logsDir]};
}

// What a fresh process would load: the snapshot and its journal.
const snapshotKeys = (file: string) => persistedKeys(file);

describe('frameio-admin cache (real process)', () => {
	it('cache stats prints the table and the hit rate, and --json the numbers', async () => {
		const {dirs} = await seededStateDir();
		const [text, json] = await Promise.all([runCli(['cache', 'stats', ...dirs]), runCli(['cache', 'stats', '--json', ...dirs])]);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/^folder\s+3\s+2\s+1\s/m);
		expect(text.stdout).toMatch(/^projects\s+2\s+2\s+0\s.*1800 s \(30m\)/m);
		expect(text.stdout).toMatch(/^total\s+6\s+5\s+1\s/m);
		expect(text.stdout).toContain('Hits 3, misses 1, hit rate 75.0 %');
		expect(text.stdout).toMatch(/oldest entry 1h0\dm old/);
		expect(json.code).toBe(0);
		const stats = JSON.parse(json.stdout);
		expect(stats).toMatchObject({total: 6, valid: 5, expired: 1, hits: 3, misses: 1, hitRate: 0.75});
		expect(stats.byType.folder).toMatchObject({count: 3, valid: 2, expired: 1});
		expect(stats.byType.structure).toMatchObject({count: 1, valid: 1, expired: 0});
		expect(stats.ttlByType).toMatchObject({folder: 900, projects: 1800, structure: 3600});
	});

	it('cache stats shows the TTLs of the config it is given', async () => {
		const {dirs} = await seededStateDir();
		const configDir = testDir('cache-cmd-config');
		writeFileSync(path.join(configDir, 'optimization.json'), '{\n  // short folders\n  "cache_ttl": {"folders": 1}\n}\n');
		const result = await runCli(['cache', 'stats', '--json', '--config', configDir, ...dirs]);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout).ttlByType).toMatchObject({folder: 1, projects: 1800});
	});

	it('cache clear --pattern folder_ --dry-run lists what would go and changes nothing', async () => {
		const {dirs, file} = await seededStateDir();
		const before = readFileSync(file, 'utf8');
		const result = await runCli(['cache', 'clear', '--pattern', 'folder_', '--dry-run', ...dirs]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`Would remove 3 keys (containing "folder_") from the cache of ${LIVE_LABEL}:`);
		for (const key of ['folder_f1', 'folder_f1_children', 'folder_old_children']) expect(result.stdout).toContain(`  ${key}\n`);
		expect(readFileSync(file, 'utf8')).toBe(before);
	});

	it('cache clear --pattern folder_ removes every folder entry and says how many', async () => {
		const {dirs, file} = await seededStateDir();
		const result = await runCli(['cache', 'clear', '--pattern', 'folder_', ...dirs]);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(`Removed 3 keys (containing "folder_") from the cache of ${LIVE_LABEL}.\n`);
		expect(snapshotKeys(file)).toEqual(['projects_w1', 'projects_w2', 'structure_p1']);
	});

	it('cache clear --expired and the seed spelling --pattern expired remove only expired entries (--json)', async () => {
		const first = await seededStateDir();
		const second = await seededStateDir();
		const [expired, seedSpelling] = await Promise.all([
			runCli(['cache', 'clear', '--expired', '--json', ...first.dirs]),
			runCli(['cache', 'clear', '--pattern', 'expired', '--json', ...second.dirs]),
		]);
		for (const result of [expired, seedSpelling]) {
			expect(result.code).toBe(0);
			expect(JSON.parse(result.stdout)).toMatchObject({dryRun: false, all: false, expired: true, count: 1, removed: ['folder_old_children']});
		}
		expect(snapshotKeys(first.file)).toHaveLength(5);
		expect(snapshotKeys(first.file)).not.toContain('folder_old_children');
	});

	it('cache clear of everything without a terminal refuses without --yes: a clear message, exit 2, nothing removed', async () => {
		const {dirs, file} = await seededStateDir();
		// `echo n | frameio-admin cache clear`: a pipe is no terminal to confirm on, whatever it says.
		const [piped, json] = await Promise.all([runCli(['cache', 'clear', ...dirs], {input: 'n\n'}), runCli(['cache', 'clear', '--json', ...dirs], {input: 'y\n'})]);
		for (const result of [piped, json]) {
			expect(result.code).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr).toContain(`cache clear removes all 6 entries of ${LIVE_LABEL}: without a terminal to confirm on, add --yes`);
			expect(result.stderr).not.toContain('[y/N]');
		}
		expect(snapshotKeys(file)).toHaveLength(6);
	});

	it('cache clear --yes without a terminal clears everything without asking, and --dry-run only lists', async () => {
		const {dirs, file} = await seededStateDir();
		const dry = await runCli(['cache', 'clear', '--dry-run', ...dirs]);
		expect(dry.code).toBe(0);
		expect(dry.stdout).toContain(`Would remove 6 keys (all) from the cache of ${LIVE_LABEL}:`);
		expect(snapshotKeys(file)).toHaveLength(6);
		const result = await runCli(['cache', 'clear', '--yes', '--json', ...dirs]);
		expect(result.code).toBe(0);
		expect(result.stderr).not.toContain('[y/N]');
		expect(JSON.parse(result.stdout)).toMatchObject({all: true, count: 6});
		expect(snapshotKeys(file)).toEqual([]);
	});

	it('--sandbox works on the sandbox profile snapshot only', async () => {
		const {dirs, stateDir} = await seededStateDir({sandbox: true});
		const [sandbox, live] = await Promise.all([runCli(['cache', 'stats', '--json', '--sandbox', ...dirs]), runCli(['cache', 'stats', '--json', ...dirs])]);
		expect(JSON.parse(sandbox.stdout)).toMatchObject({total: 6, cache: 'the built-in sandbox', snapshot: path.join(stateDir, 'sandbox', 'cache.json')});
		// The live API's cache is empty, and it says where the entries are and how to reach them.
		expect(JSON.parse(live.stdout)).toMatchObject({total: 0, others: [{cache: 'the built-in sandbox', entries: 6, reach: 'add --sandbox'}]});
		expect(existsSync(path.join(stateDir, 'cache.json'))).toBe(false);
	});

	it('exits 2 with usage on a bad subcommand or an empty pattern', async () => {
		const dirs = ['--state-dir', testDir('cache-cmd-usage'), '--logs-dir', testDir('cache-cmd-usage-logs')];
		const [unknown, empty] = await Promise.all([runCli(['cache', 'purge', ...dirs]), runCli(['cache', 'clear', '--pattern', '', ...dirs])]);
		expect([unknown.code, empty.code]).toEqual([2, 2]);
		expect(unknown.stderr).toContain('unknown cache command "purge"');
		expect(unknown.stderr).toContain('frameio-admin cache clear --pattern P');
		expect(empty.stderr).toContain('--pattern needs a non-empty value');
	});

	it('refuses a missing subcommand and clear-only flags on stats as usage errors (exit 2)', async () => {
		const io = {stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough()} as unknown as Io;
		const flags = {json: false, sandbox: false, expired: false, dryRun: false, yes: false};
		for (const [input, extra, message] of [
			[[], {}, 'missing cache command'],
			[['stats'], {expired: true}, 'belong to "cache clear"'],
			[['stats', 'now'], {}, 'unexpected argument "now"'],
		] as const) {
			const failure = cacheCommand.run({input, flags: {...flags, ...extra}} as never, io);
			await expect(failure).rejects.toBeInstanceOf(UsageError);
			await expect(failure).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining(message)});
		}
	});

	it('sets a corrupt snapshot aside and says so', async () => {
		const stateDir = testDir('cache-cmd-corrupt');
		const file = snapshotOf(stateDir);
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, 'not json at all');
		const result = await runCli(['cache', 'stats', '--json', '--state-dir', stateDir, '--logs-dir', testDir('cache-cmd-corrupt-logs')]);
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/warning: the cache snapshot was corrupt .*moved to .*cache\.json\.corrupt-/);
		expect(JSON.parse(result.stdout)).toMatchObject({total: 0});
	});

	it('a console-like process holding the cache sees a CLI purge within 2 s', async () => {
		const {dirs, file} = await seededStateDir();
		// A long flush delay keeps its last set truly unflushed while the CLI runs.
		const holder = new ApiCache({config: cacheConfig(), snapshotFile: file, pollIntervalMs: 500, flushDelayMs: 60_000});
		held.push(holder);
		await holder.open();
		expect(holder.size).toBe(6);
		// Entries it made itself and has flushed, plus one it has not flushed yet: the purge covers both.
		holder.set(cacheKeys.folderChildren('mine'), ['m']);
		await holder.flush();
		holder.set(cacheKeys.folder('unflushed'), {id: 'u'});
		const folderKeys = () => holder.entries().filter(entry => entry.key.startsWith('folder_')).length;
		expect(folderKeys()).toBe(5);

		const result = await runCli(['cache', 'clear', '--pattern', 'folder_', ...dirs]);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(`Removed 4 keys (containing "folder_") from the cache of ${LIVE_LABEL}.\n`);
		const waited = await until(() => folderKeys() === 0, 2000, 'the holder to see the CLI purge');
		expect(waited).toBeLessThanOrEqual(2000);
		expect(holder.size).toBe(3);
		await holder.flush();
		expect(snapshotKeys(file)).toEqual(['projects_w1', 'projects_w2', 'structure_p1']);
	});
});

describe('cache clear on a terminal', () => {
	function ttyIo(answer: string) {
		const stdin = Object.assign(new PassThrough(), {isTTY: true});
		const stdout = new PassThrough();
		const stderr = new PassThrough();
		let out = '';
		let err = '';
		stdout.on('data', chunk => (out += chunk));
		stderr.on('data', chunk => (err += chunk));
		stdin.end(answer);
		return {io: {stdin, stdout, stderr} as unknown as Io, output: () => ({out, err})};
	}

	const run = (dirs: {stateDir: string; logsDir: string}, io: Io, flags: Record<string, unknown> = {}) =>
		cacheCommand.run(
			{
				input: ['clear'],
				flags: {json: false, sandbox: false, expired: false, dryRun: false, yes: false, stateDir: dirs.stateDir, logsDir: dirs.logsDir, ...flags},
			} as never,
			io,
		);

	it('asks "Clear all N entries? [y/N]" and keeps everything on no', async () => {
		const seeded = await seededStateDir();
		const {io, output} = ttyIo('n\n');
		expect(await run(seeded, io)).toBe(1);
		expect(output().err).toContain(`Clear all 6 entries of ${LIVE_LABEL}? [y/N]`);
		expect(output().out).toContain('Cancelled; nothing removed.');
		expect(snapshotKeys(seeded.file)).toHaveLength(6);
	});

	it('clears on yes, and does not ask with --yes', async () => {
		const seeded = await seededStateDir();
		const yes = ttyIo('y\n');
		expect(await run(seeded, yes.io)).toBe(0);
		expect(yes.output().out).toBe(`Removed 6 keys (all) from the cache of ${LIVE_LABEL}.\n`);
		expect(snapshotKeys(seeded.file)).toEqual([]);

		const again = await seededStateDir();
		const silent = ttyIo('');
		expect(await run(again, silent.io, {yes: true})).toBe(0);
		expect(silent.output().err).not.toContain('[y/N]');
		expect(snapshotKeys(again.file)).toEqual([]);
	});
});
