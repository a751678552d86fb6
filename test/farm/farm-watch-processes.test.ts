// Farm mode with long-running processes: `watch` nodes (dist/cli.js) beating into one real redis-server, a CLI purge
// reaching a running node, one Discord message for a condition that holds on every node.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {listLiveNodes} from '../../source/farm/heartbeat.js';
import {FarmConnection, farmKeyPrefix, parseRedisUrl} from '../../source/farm/redis-settings.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {cli, KiB, startTestSandbox} from '../upload-commands/helpers.js';
import {farmConfigDir, logLines, nodeDirs, nodeEnv, shotFile, spawnCli, testDir, waitFor} from './farm-cli.js';

let redis: RedisServer;
let sandbox: Sandbox;
let observer: FarmConnection;

beforeAll(async () => {
	redis = await startRedisServer();
	sandbox = await startTestSandbox({enforceRateLimits: true, rateLimitScale: 1});
	rememberSecret(sandbox.discordWebhookUrl);
	rememberSecret(sandbox.discordWebhookUrl.split('/').at(-1)!);
	// The farm as an admin's tool would see it: the identity's namespace on the same Redis.
	observer = new FarmConnection(parseRedisUrl(redis.url), {identity: identity(), nodeName: 'observer'});
	await observer.ready(5000);
});
afterAll(async () => {
	await observer?.close();
	await sandbox?.close();
	await redis?.close();
});

function identity() {
	return {apiOrigin: new URL(sandbox.url).origin, accountUserId: sandbox.ids.userId};
}

function stopAll(runs: Array<{run: ReturnType<typeof spawnCli>}>): Promise<Array<number | null>> {
	for (const {run} of runs) run.child.kill('SIGINT');
	return Promise.all(runs.map(({run}) => run.exited));
}

describe('heartbeats', () => {
	it('a watch node beats with its name, version, uptime, health, uploads, requests and 429s, breaker and alerts; killed, it disappears when its heartbeat expires', async () => {
		const dirs = nodeDirs(farmConfigDir({farm: {heartbeat_interval_seconds: 0.5}}));
		const watched = testDir('beat-dir');
		const run = spawnCli(['watch', watched, '--interval', '0.2s'], dirs, nodeEnv(sandbox, 'beat-1', redis.url));
		try {
			let beat: Awaited<ReturnType<typeof listLiveNodes>>[number] | undefined;
			await waitFor(
				async () => {
					beat = (await listLiveNodes(observer)).find(node => node.heartbeat.node === 'beat-1');
					// A beat after the first API calls: the requests are counted.
					return beat !== undefined && ((beat.heartbeat.requests as {total: number} | undefined)?.total ?? 0) > 0;
				},
				20_000,
				'the heartbeat of beat-1',
				() => run.output(),
			);
			const heartbeat = beat!.heartbeat;
			expect(heartbeat.version).toMatch(/^\d+\.\d+\.\d+/);
			expect(heartbeat.uptimeMs).toBeGreaterThanOrEqual(0);
			expect(heartbeat.ttlMs).toBe(1500);
			expect(heartbeat.health).toMatchObject({status: 'ok'});
			expect(heartbeat.uploads).toMatchObject({queued: 0, uploading: 0, active: []});
			expect(heartbeat.requests).toMatchObject({rateLimited: 0});
			expect(heartbeat.breaker).toMatchObject({state: 'closed', consecutiveFailures: 0});
			expect(heartbeat.alerts).toEqual([]);
			expect(await observer.redis.zcard('members')).toBe(1);
		} finally {
			run.child.kill('SIGKILL');
		}
		await run.exited;
		const killedAt = Date.now();
		await waitFor(async () => !(await listLiveNodes(observer)).some(node => node.heartbeat.node === 'beat-1'), 10_000, 'the heartbeat expiring');
		// Three intervals of 0.5 s after the last beat, and no more than a beat or two of slack.
		expect(Date.now() - killedAt).toBeLessThan(3000);
	}, 60_000);
});

describe('purges reach every node', () => {
	it('a `cache clear --pattern` on one node is applied by a running node within 1 s, and the shared entries are gone', async () => {
		const config = farmConfigDir();
		const watcher = nodeDirs(config);
		const watched = testDir('purge-watch');
		const file = shotFile(watched, 5, 501, 'v001', 8 * KiB);
		const run = spawnCli(['watch', watched, '--interval', '0.2s', '--stable', '0.2s'], watcher, nodeEnv(sandbox, 'purge-a', redis.url));
		try {
			// The watcher uploaded its file: its cache (and the farm's) holds folder listings.
			await waitFor(() => run.output().includes(`done     ${file.name}`), 30_000, 'the watched file uploaded', () => run.output());
			const shared = await observer.redis.keys(`${farmKeyPrefix(identity())}cache:folder_*`);
			expect(shared.length).toBeGreaterThan(0);

			// Another node (its own state dir, as another machine), which has used this identity before.
			const other = nodeDirs(config);
			const env = nodeEnv(sandbox, 'purge-b', redis.url);
			expect((await cli(['structure', '--depth', '1'], other, env)).code).toBe(0);
			const cleared = await cli(['cache', 'clear', '--pattern', 'folder_'], other, env);
			expect(cleared.code, cleared.stderr).toBe(0);
			const sent = logLines(other).find(line => line.msg.startsWith('Cache purge sent to the farm'));
			expect(sent).toBeDefined();

			let received: (typeof sent) | undefined;
			await waitFor(
				() => (received = logLines(watcher).find(line => line.msg.startsWith('Cache purge from purge-b (pattern "folder_")'))) !== undefined,
				5000,
				"the watcher applying purge-b's purge",
			);
			expect(received!.msg).toMatch(/removed [1-9]\d* keys here$/);
			expect(Date.parse(received!.time) - Date.parse(sent!.time)).toBeLessThan(1000);
			expect(await observer.redis.keys(`${farmKeyPrefix(identity())}cache:*folder_*`)).toEqual([]);
		} finally {
			run.child.kill('SIGINT');
			await run.exited;
		}
	}, 90_000);
});

describe('alerts once per farm', () => {
	const alertsLog = (logsDir: string) => {
		const file = path.join(logsDir, 'alerts.log');
		return existsSync(file) ? readFileSync(file, 'utf8') : '';
	};
	type Embed = {title: string; fields: Array<{name: string; value: string}>};
	const embeds = (): Embed[] => sandbox.discord.messages.map(message => (message.body as {embeds: Embed[]}).embeds[0]);

	it('a condition that holds on 3 nodes raises one Discord message naming them, while each node logs its own', async () => {
		sandbox.discord.messages.length = 0;
		// 1 MB of memory: the rule holds on every node from its first evaluation (every second).
		const config = farmConfigDir({monitoring: {system_metrics_interval: 1}, alerts: {memory_threshold: 1}});
		const names = ['alert-a', 'alert-b', 'alert-c'];
		const runs = names.map(name => {
			const dirs = nodeDirs(config);
			const env = nodeEnv(sandbox, name, redis.url, {FRAMEIO_DISCORD_WEBHOOK: sandbox.discordWebhookUrl});
			return {name, dirs, run: spawnCli(['watch', testDir(`alert-${name}`), '--interval', '0.5s'], dirs, env)};
		});
		try {
			await waitFor(() => runs.every(({dirs}) => alertsLog(dirs.logs).includes('FIRING memory')), 30_000, 'every node firing', () => runs.map(({run}) => run.output()).join('\n'));
			await waitFor(() => sandbox.discord.messages.length > 0, 15_000, 'the farm message');
			// Longer than the gathering (2 intervals) and several evaluations of every node: nothing more comes.
			await new Promise(resolve => setTimeout(resolve, 4000));
		} finally {
			expect(await stopAll(runs)).toEqual([0, 0, 0]);
		}
		const firing = embeds().filter(embed => embed.title.includes('FIRING'));
		expect(firing).toHaveLength(1);
		const nodes = firing[0].fields.find(field => field.name.startsWith('Nodes ('));
		expect(nodes, JSON.stringify(firing[0].fields)).toBeDefined();
		const named = nodes!.value.split(', ');
		expect(named.length).toBeGreaterThanOrEqual(2);
		for (const name of named) expect(names).toContain(name);
		for (const {name, dirs} of runs) expect(alertsLog(dirs.logs)).toContain(`FIRING memory on ${name}:`);
	}, 90_000);

	it('control: the same nodes without Redis send one message each', async () => {
		sandbox.discord.messages.length = 0;
		const config = farmConfigDir({monitoring: {system_metrics_interval: 1}, alerts: {memory_threshold: 1}});
		const runs = ['alone-a', 'alone-b'].map(name => {
			const dirs = nodeDirs(config);
			return {dirs, run: spawnCli(['watch', testDir(`alone-${name}`), '--interval', '0.5s'], dirs, nodeEnv(sandbox, name, null, {FRAMEIO_DISCORD_WEBHOOK: sandbox.discordWebhookUrl}))};
		});
		try {
			await waitFor(() => embeds().filter(embed => embed.title.includes('FIRING')).length >= 2, 30_000, 'one message per node', () => runs.map(({run}) => run.output()).join('\n'));
		} finally {
			await stopAll(runs);
		}
		expect(embeds().filter(embed => embed.title.includes('FIRING'))).toHaveLength(2);
	}, 60_000);
});
