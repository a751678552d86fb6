// Farm mode with real processes: several `upload` nodes (dist/cli.js, distinct FRAMEIO_NODE_NAME, their own state
// dirs) against one sandbox that enforces Frame.io's published limits, sharing one real redis-server. And the same
// work without Redis: independent processes still finish every file, waiting 429s out.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {KiB, MiB, startTestSandbox} from '../upload-commands/helpers.js';
import {farmConfigDir, logLines, nodeDirs, nodeEnv, sandboxStats, sha256, shotFile, spawnCli, testDir, waitFor} from './farm-cli.js';

let redis: RedisServer;
beforeAll(async () => {
	redis = await startRedisServer();
});
afterAll(async () => {
	await redis?.close();
});

type Planned = {file: string; name: string; folder: string[]};

/**
 * `nodes` lists of `perNode` small files whose shots overlap: node i's file j goes to shot (i + j) % 4 of SEQ01, so
 * every shot folder is wanted by several nodes at once.
 */
function plan(nodes: number, perNode: number, size = 20 * KiB): Planned[][] {
	const dir = testDir('farm-files');
	return Array.from({length: nodes}, (_, node) =>
		Array.from({length: perNode}, (_, j) => shotFile(dir, 1, ((node + j) % 4) + 1, `v${String(node * perNode + j + 1).padStart(3, '0')}`, size)),
	);
}

/** Every planned file is in its folder exactly once, byte-exact. */
function expectLanded(sandbox: Sandbox, files: Planned[]): void {
	for (const {file, name, folder} of files) {
		let parent = sandbox.ids.rootFolderId;
		for (const segment of folder) {
			const matches = sandbox.store.children(parent).filter(child => child.type === 'folder' && child.name === segment);
			expect(matches.length, `${segment} under ${parent}`).toBeGreaterThanOrEqual(1);
			parent = matches.sort((a, b) => (a.created_at < b.created_at ? -1 : 1))[0].id;
		}
		const copies = sandbox.store.children(parent).filter(child => child.type === 'file' && child.name === name);
		expect(copies, name).toHaveLength(1);
		expect(sandbox.store.fileSha256(copies[0].id), name).toBe(sha256(file));
	}
}

async function runNodes(sandbox: Sandbox, files: Planned[][], redisUrl: string | null, config: string) {
	const runs = files.map((list, index) => {
		const dirs = nodeDirs(config);
		return {dirs, run: spawnCli(['upload', ...list.map(item => item.file), '--no-progress'], dirs, nodeEnv(sandbox, `render-${index + 1}`, redisUrl))};
	});
	const codes = await Promise.all(runs.map(({run}) => run.exited));
	return {runs, codes};
}

describe('farm mode: several upload processes share one budget and one folder lock', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startTestSandbox({enforceRateLimits: true, rateLimitScale: 1});
	});
	afterAll(() => sandbox?.close());

	it('4 nodes × 5 files into overlapping shot folders: no answer of 429, no duplicate folder, every file once and byte-exact', async () => {
		const files = plan(4, 5);
		const {runs, codes} = await runNodes(sandbox, files, redis.url, farmConfigDir());
		expect(codes, runs.map(({run}) => run.output()).join('\n---\n')).toEqual([0, 0, 0, 0]);
		const stats = await sandboxStats(sandbox);
		expect(stats.rate_limited).toBe(0);
		expect(stats.by_status['429']).toBeUndefined();
		expect(stats.duplicate_folders).toEqual([]);
		expectLanded(sandbox, files.flat());
		// Every node was in the farm, under its own name.
		for (const [index, {dirs}] of runs.entries()) {
			expect(logLines(dirs).some(line => line.msg === `farm: joined the farm at redis://127.0.0.1:${redis.port} as render-${index + 1}`)).toBe(true);
		}
	}, 120_000);

	it('6 nodes racing for the same new scene and shot create each folder once', async () => {
		const dir = testDir('farm-race');
		// One file each, all into SC09_SEQ09/UNDLM_00901, which does not exist yet.
		const files = Array.from({length: 6}, (_, index) => [shotFile(dir, 9, 901, `v${String(index + 1).padStart(3, '0')}`, 4 * KiB)]);
		const {runs, codes} = await runNodes(sandbox, files, redis.url, farmConfigDir());
		expect(codes, runs.map(({run}) => run.output()).join('\n---\n')).toEqual([0, 0, 0, 0, 0, 0]);
		expect((await sandboxStats(sandbox)).duplicate_folders).toEqual([]);
		expect(sandbox.store.folderCountByName(sandbox.store.children(sandbox.ids.rootFolderId).find(child => child.name === 'WIP_BYSHOT')!.id, 'SC09_SEQ09')).toBe(1);
		expectLanded(sandbox, files.flat());
	}, 120_000);
});

describe('without Redis: independent processes', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startTestSandbox({enforceRateLimits: true, rateLimitScale: 1});
	});
	afterAll(() => sandbox?.close());

	it('6 upload processes × 5 files into overlapping shot folders finish every file: 429s are waited out, never a refusal', async () => {
		const files = plan(6, 5);
		const {runs, codes} = await runNodes(sandbox, files, null, farmConfigDir());
		const outputs = runs.map(({run}) => run.output());
		expect(codes, outputs.join('\n---\n')).toEqual([0, 0, 0, 0, 0, 0]);
		for (const output of outputs) {
			expect(output).not.toMatch(/^refused/m);
			expect(output).not.toMatch(/^failed/m);
		}
		const stats = await sandboxStats(sandbox);
		// The control of the farm test above: the same shape of work, without a shared budget, does collect 429s.
		expect(stats.rate_limited).toBeGreaterThan(0);
		expectLanded(sandbox, files.flat());
		// And each wait was said in the logs as a 429 waited out, not a retry spent.
		expect(runs.some(({dirs}) => logLines(dirs).some(line => line.msg.startsWith('Rate limited: ')))).toBe(true);
	}, 180_000);
});

describe('farm mode: Redis lost mid-upload, then back', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		// Slow parts: the uploads are still sending when Redis dies.
		sandbox = await startTestSandbox({enforceRateLimits: true, rateLimitScale: 1, partSize: 128 * KiB, partBytesPerSecond: 128 * KiB});
	});
	afterAll(() => sandbox?.close());

	it('keeps uploading alone, says so, rejoins by itself, and every file lands exactly once, byte-exact', async () => {
		const dir = testDir('farm-lost');
		const files = [0, 1].map(node => [0, 1, 2].map(j => shotFile(dir, 3, 300 + j, `v${String(node * 3 + j + 1).padStart(3, '0')}`, MiB + 1000)));
		const config = farmConfigDir();
		const runs = files.map((list, index) => {
			const dirs = nodeDirs(config);
			return {dirs, run: spawnCli(['upload', ...list.map(item => item.file), '--no-progress', '--parallel', '1'], dirs, nodeEnv(sandbox, `lost-${index + 1}`, redis.url))};
		});
		const partsLanded = () => sandbox.requests.filter(request => request.method === 'PUT' && request.path.startsWith('/s3/parts/') && request.status === 200).length;
		await waitFor(() => partsLanded() >= 2, 30_000, 'a part landing', () => runs.map(({run}) => run.output()).join('\n'));
		await redis.stop();
		const lostAt = Date.now();
		await waitFor(
			() => runs.every(({dirs}) => logLines(dirs).some(line => line.level === 'warn' && String(line.msg).startsWith('farm: lost Redis'))),
			10_000,
			'the warning that Redis is lost',
		);
		// Still uploading while Redis is away.
		const partsWhenLost = partsLanded();
		await waitFor(() => partsLanded() > partsWhenLost, 20_000, 'a part landing while Redis is away');
		await new Promise(resolve => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - lostAt))));
		await redis.start();
		await waitFor(
			() => runs.every(({dirs}) => logLines(dirs).some(line => String(line.msg).startsWith('farm: Redis is back; rejoined the farm'))),
			15_000,
			'both nodes rejoining',
			() => runs.map(({run}) => run.output()).join('\n'),
		);
		const codes = await Promise.all(runs.map(({run}) => run.exited));
		expect(codes, runs.map(({run}) => run.output()).join('\n---\n')).toEqual([0, 0]);
		expectLanded(sandbox, files.flat());
		expect((await sandboxStats(sandbox)).duplicate_folders).toEqual([]);
	}, 180_000);
});
