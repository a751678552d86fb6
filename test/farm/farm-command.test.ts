// `frameio-admin farm` through the real CLI, against a real redis-server and a sandbox on loopback: the processes are
// the heartbeats real code publishes (farm/heartbeat.ts) in the namespace of the sandbox's user, one of them
// expires and leaves the list; a bucket filled through farm/shared-bucket.ts shows its level; no Redis URL, a bad
// one and a Redis out of reach each say so with their exit code; a password never reaches the output.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FarmConnection, parseRedisUrl} from '../../source/farm/redis-settings.js';
import {RedisHeartbeat, type HeartbeatPayload} from '../../source/farm/heartbeat.js';
import {RedisSharedBucket} from '../../source/farm/shared-bucket.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {cli, freshDirs, sandboxEnv, startTestSandbox} from '../upload-commands/helpers.js';
import {eventually} from './farm-fixture.js';

const MiB = 1024 * 1024;
let redis: RedisServer;
let sandbox: Sandbox;
const connections: FarmConnection[] = [];
const heartbeats: RedisHeartbeat[] = [];

beforeAll(async () => {
	[redis, sandbox] = await Promise.all([startRedisServer(), startTestSandbox()]);
});
afterAll(async () => {
	await Promise.all(heartbeats.map(heartbeat => heartbeat.stop({remove: false})));
	await Promise.all(connections.map(connection => connection.close()));
	await sandbox?.close();
	await redis?.close();
});

/** A connection in the farm the CLI reads: the sandbox's API origin and user. */
async function join(server: RedisServer, nodeName: string): Promise<FarmConnection> {
	const connection = new FarmConnection(parseRedisUrl(server.url), {identity: {apiOrigin: new URL(sandbox.url).origin, accountUserId: sandbox.ids.userId}, nodeName});
	connections.push(connection);
	await connection.ready(5000);
	return connection;
}

function payload(fields: Partial<HeartbeatPayload> = {}): HeartbeatPayload {
	return {
		role: 'watch',
		health: {status: 'ok', reasons: []},
		uploads: {queued: 0, uploading: 0, verifying: 0, done: 0, failed: 0, speed: 0, active: []},
		requests: {total: 0, rateLimited: 0, lastMinute: 0, rateLimitedLastMinute: 0},
		breaker: {state: 'closed', consecutiveFailures: 0, opens: 0},
		alerts: [],
		...fields,
	};
}

type FarmJson = {
	mode: 'on';
	redis: string;
	node: string;
	at: string;
	totals: Record<string, number>;
	buckets: Array<{endpointClass: string; level: number; capacity: number}>;
	nodes: Array<{node: string; role: string; health: string; requests: number | null; rateLimited: number | null; uploads: Record<string, number>; files: Array<{name: string}>; alerts: unknown[]}>;
};

describe('frameio-admin farm', () => {
	it('lists the live processes, their totals and the shared buckets; a node whose heartbeat expires leaves the list', async () => {
		const [render1, render1b, render2, dying] = await Promise.all([join(redis, 'render-01'), join(redis, 'render-01'), join(redis, 'render-02'), join(redis, 'render-03')]);
		const beat = (connection: FarmConnection, fields: Partial<HeartbeatPayload>, options: {ttlMs?: number} = {}) => {
			const heartbeat = new RedisHeartbeat(connection, {version: '0.1.0', intervalMs: 200, ttlMs: options.ttlMs, payload: () => payload(fields)});
			heartbeats.push(heartbeat);
			return heartbeat;
		};
		const uploading = {
			queued: 3,
			uploading: 2,
			verifying: 0,
			done: 12,
			failed: 1,
			speed: 4 * MiB,
			active: [
				{name: 'UNDLM_SEQ01_00042_v002.mov', state: 'uploading', percent: 50, bytesDone: 50 * MiB, size: 100 * MiB, speed: 3 * MiB},
				{name: 'UNDLM_SEQ01_00043_v001.mov', state: 'uploading', percent: 10, bytesDone: 10 * MiB, size: 100 * MiB, speed: 1 * MiB},
			],
		};
		const requests = (total: number, lastMinute: number, rateLimited = 0, rateLimitedLastMinute = 0) => ({total, lastMinute, rateLimited, rateLimitedLastMinute});
		beat(render1, {uploads: uploading, requests: requests(420, 40, 3, 1)}).start();
		beat(render1b, {role: 'console', requests: requests(80, 8)}).start();
		beat(render2, {
			requests: requests(100, 10),
			health: {status: 'degraded', reasons: ['alert api_latency']},
			breaker: {state: 'half-open', consecutiveFailures: 0, opens: 1},
			alerts: [{rule: 'api_latency', level: 'warning', message: 'Mean API latency 6.2 s > 5 s over 5 min', since: Date.now()}],
		}).start();
		// render-03 beats once and dies: its key expires on its own.
		await beat(dying, {role: 'upload', requests: requests(5, 5)}, {ttlMs: 4000}).beat();
		// A slow class (10 a minute, 9 shared: one of headroom): its level is still there when the CLI reads it.
		const bucket = new RedisSharedBucket(render2);
		for (let i = 0; i < 8; i++) expect((await bucket.take('version_stacks.create', {capacity: 9, ratePerMs: (10 / 60_000) * 0.95})).granted).toBe(true);

		const dirs = freshDirs();
		const env = sandboxEnv(sandbox, {FRAMEIO_REDIS_URL: redis.url, FRAMEIO_NODE_NAME: 'ops-console'});
		const json = await cli(['farm', '--json'], dirs, env);
		expect(json.stderr).toBe('');
		expect(json.code).toBe(0);
		const farm = JSON.parse(json.stdout) as FarmJson;
		expect(farm).toMatchObject({mode: 'on', redis: `redis://127.0.0.1:${redis.port}`, node: 'ops-console'});
		expect(Date.parse(farm.at)).toBeGreaterThan(Date.now() - 60_000);
		expect(farm.nodes.map(node => [node.node, node.role])).toEqual(
			expect.arrayContaining([
				['render-01', 'watch'],
				['render-01', 'console'],
				['render-02', 'watch'],
				['render-03', 'upload'],
			]),
		);
		expect(farm.nodes.map(node => node.node)).toEqual(['render-01', 'render-01', 'render-02', 'render-03']);
		expect(farm.totals).toMatchObject({
			nodes: 3,
			processes: 4,
			requests: 605,
			rateLimited: 3,
			requestsLastMinute: 63,
			rateLimitedLastMinute: 1,
			alerts: 1,
			failing: 0,
			active: 2,
			bytesDone: 60 * MiB,
			bytesTotal: 200 * MiB,
			queued: 3,
			done: 12,
			failed: 1,
		});
		const render2View = farm.nodes.find(node => node.node === 'render-02')!;
		expect(render2View).toMatchObject({health: 'degraded', breaker: 'half-open', alerts: [{rule: 'api_latency', level: 'warning', message: 'Mean API latency 6.2 s > 5 s over 5 min'}]});
		expect(farm.buckets[0].endpointClass).toBe('version_stacks.create');
		expect(farm.buckets[0].capacity).toBe(9);
		expect(farm.buckets[0].level).toBeGreaterThan(7);
		expect(farm.buckets[0].level).toBeLessThanOrEqual(8);
		expect(farm.buckets.slice(1).every(other => other.level === 0)).toBe(true);

		const text = await cli(['farm'], dirs, env);
		expect(text.code).toBe(0);
		const lines = text.stdout.split('\n');
		expect(lines[0]).toBe(`Farm on redis://127.0.0.1:${redis.port} (read from ops-console)`);
		expect(lines[1]).toBe('3 nodes · 4 processes · 1 alert · 63 req/min · 1 429s/min');
		expect(lines[2]).toBe('uploading 2 · 60.0 MB / 200 MB · 30.0 % · 4.0 MB/s · failed 1 · queued 3 · done 12');
		expect(lines[3]).toMatch(/^buckets: version_stacks\.create [78]\.\d\/9 · 26 empty$/);
		expect(text.stdout).toMatch(/^NODE +ROLE +HEALTH +BREAKER +UP +REQ\/M +429\/M +REQ +429 +UPL +ALR +WHY$/m);
		expect(text.stdout).toMatch(/^render-01 +watch +OK +closed +<1m +40 +1 +420 +3 +2 +0$/m);
		expect(text.stdout).toMatch(/^render-01 +console +OK +closed +<1m +8 +0 +80 +0 +0 +0$/m);
		expect(text.stdout).toMatch(/^render-02 +watch +DEGRADED +half-open +<1m +10 +0 +100 +0 +0 +1 +alert api_latency$/m);
		expect(text.stdout).toContain('UPLOADS IN PROGRESS: 2');
		expect(text.stdout).toMatch(/^UNDLM_SEQ01_00042_v002\.mov +render-01 +50 % +100 MB +3\.0 MB\/s$/m);
		expect(text.stdout).toContain('render-02 (watch): api_latency (warning) Mean API latency 6.2 s > 5 s over 5 min');

		// render-03 stopped beating: once its key expires it is gone, with no one cleaning up.
		await eventually(
			async () => {
				const again = await cli(['farm', '--json'], dirs, env);
				return again.code === 0 && (JSON.parse(again.stdout) as FarmJson).nodes.every(node => node.node !== 'render-03');
			},
			20_000,
			"render-03's heartbeat to expire",
		);
		const after = JSON.parse((await cli(['farm', '--json'], dirs, env)).stdout) as FarmJson;
		expect(after.totals).toMatchObject({nodes: 2, processes: 3, requests: 600, requestsLastMinute: 58});
	});

	it('says farm mode is off without a Redis URL or on the in-process sandbox (exit 2), refuses a bad URL (exit 2), and a Redis out of reach is exit 1', async () => {
		const dirs = freshDirs();
		const off = await cli(['farm'], dirs, sandboxEnv(sandbox, {FRAMEIO_REDIS_URL: undefined}));
		expect(off.code).toBe(2);
		expect(off.stdout).toBe('');
		expect(off.stderr).toContain('farm mode is off');
		expect(off.stderr).toContain('FRAMEIO_REDIS_URL');

		// An in-process sandbox belongs to one process: there is no farm to look at.
		const inProcess = await cli(['farm', '--sandbox'], dirs, {FRAMEIO_REDIS_URL: redis.url});
		expect(inProcess.code).toBe(2);
		expect(inProcess.stderr).toContain('farm mode is off on the built-in sandbox');

		const bad = await cli(['farm', '--json'], dirs, sandboxEnv(sandbox, {FRAMEIO_REDIS_URL: 'http://127.0.0.1:6379'}));
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('FRAMEIO_REDIS_URL must start with redis:// or rediss://');

		const gone = await startRedisServer();
		const port = gone.port;
		await gone.close();
		const away = await cli(['farm'], dirs, sandboxEnv(sandbox, {FRAMEIO_REDIS_URL: `redis://127.0.0.1:${port}`}));
		expect(away.code).toBe(1);
		expect(away.stdout).toBe('');
		expect(away.stderr).toContain(`Redis at redis://127.0.0.1:${port} is out of reach`);
	});

	it('reads a Redis that needs a password, and never prints it', async () => {
		const password = rememberSecret(`farm-secret-${Date.now()}`);
		const locked = await startRedisServer({password});
		try {
			const node = await join(locked, 'render-09');
			await new RedisHeartbeat(node, {ttlMs: 60_000, payload: () => payload()}).beat();
			const result = await cli(['farm'], freshDirs(), sandboxEnv(sandbox, {FRAMEIO_REDIS_URL: locked.url}));
			expect(result.code).toBe(0);
			expect(result.stdout).toContain(`Farm on redis://:***@127.0.0.1:${locked.port}`);
			expect(result.stdout).toMatch(/^render-09 +watch +OK/m);
			expect(result.stdout + result.stderr).not.toContain(password);
		} finally {
			await locked.close();
		}
	});
});
