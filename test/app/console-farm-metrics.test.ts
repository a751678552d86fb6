// The console's runtime with --metrics-port and a farm: its /metrics is labelled role="console" and with the node,
// and its Farm source reads the heartbeats real code publishes in a real redis-server, in the namespace of the API
// user the token acts as; without FRAMEIO_REDIS_URL the source says farm mode is off.
import {createServer} from 'node:net';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createRuntime} from '../../source/app/console-runtime.js';
import {FARM_OFF_REASON, openFarmView, SANDBOX_FARM_OFF_REASON} from '../../source/app/farm-view.js';
import {RedisHeartbeat} from '../../source/farm/heartbeat.js';
import {FarmConnection, parseRedisUrl} from '../../source/farm/redis-settings.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import type {ConsoleRuntime} from '../../source/store/ports.js';
import {scrape, value} from '../helpers/prometheus-text.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {freshDirs, sandboxEnv, startTestSandbox} from '../upload-commands/helpers.js';

let sandbox: Sandbox;
let redis: RedisServer;
let runtime: ConsoleRuntime | undefined;
let node: FarmConnection | undefined;

beforeAll(async () => {
	[sandbox, redis] = await Promise.all([startTestSandbox(), startRedisServer()]);
});
afterEach(async () => {
	await runtime?.shutdown('test');
	await node?.close();
	runtime = node = undefined;
});
afterAll(async () => {
	await sandbox?.close();
	await redis?.close();
});

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise(resolve => server.close(resolve));
	return port;
}

function open(env: Record<string, string | undefined>, metricsPort?: number): Promise<ConsoleRuntime> {
	const dirs = freshDirs();
	return createRuntime({sandbox: false, readonly: true, configDir: dirs.config, stateDir: dirs.state, logsDir: dirs.logs, metricsPort, env: {...process.env, ...env}});
}

describe('console runtime: /metrics and the Farm source', () => {
	it('serves /metrics as role console and reads the farm of its API user', async () => {
		const port = await freePort();
		runtime = await open(sandboxEnv(sandbox, {FRAMEIO_NODE_NAME: 'ops-box', FRAMEIO_REDIS_URL: redis.url}), port);
		const {metrics} = await scrape(`http://127.0.0.1:${port}/metrics`);
		expect(value(metrics, 'frameio_admin_build_info', {node: 'ops-box', role: 'console'})).toBe(1);
		// GET /v4/me said who the token acts as before monitoring began; the latency probe asks again at once.
		expect(value(metrics, 'frameio_admin_api_requests_total', {node: 'ops-box', role: 'console', op: 'me'})).toBeGreaterThanOrEqual(1);

		node = new FarmConnection(parseRedisUrl(redis.url), {identity: {apiOrigin: new URL(sandbox.url).origin, accountUserId: sandbox.ids.userId}, nodeName: 'render-05'});
		await node.ready(5000);
		await new RedisHeartbeat(node, {ttlMs: 60_000, payload: () => ({role: 'watch', requests: {total: 12, rateLimited: 1, lastMinute: 12, rateLimitedLastMinute: 1}, health: {status: 'ok', reasons: []}})}).beat();
		const farm = await runtime.farm!.read();
		if (farm.mode !== 'on') throw new Error(`farm mode ${farm.mode}`);
		expect(farm.redis).toBe(`redis://127.0.0.1:${redis.port}`);
		expect(farm.node).toBe('ops-box');
		// The console beats too: it is one of the farm's processes, and says it is a console.
		expect(farm.nodes.map(each => [each.node, each.role])).toEqual([['ops-box', 'console'], ['render-05', 'watch']]);
		const render = farm.nodes.find(each => each.node === 'render-05')!;
		expect([render.requests, render.rateLimited, render.health]).toEqual([12, 1, 'ok']);
		expect(farm.buckets.length).toBeGreaterThan(20);
	});

	it('says farm mode is off without FRAMEIO_REDIS_URL, and serves no /metrics without a port', async () => {
		runtime = await open(sandboxEnv(sandbox, {FRAMEIO_REDIS_URL: undefined}));
		expect(await runtime.farm!.read()).toEqual({mode: 'off', reason: FARM_OFF_REASON});
	});

	it('an in-process sandbox has no farm, even with a Redis URL', async () => {
		const view = openFarmView({api: {kind: 'sandbox'}} as Parameters<typeof openFarmView>[0], {redis: parseRedisUrl(redis.url), nodeName: 'n'});
		expect(await view.read()).toEqual({mode: 'off', reason: SANDBOX_FARM_OFF_REASON});
		await view.close();
	});

	it('a Redis out of reach is what a read says; the console still opens', async () => {
		const gone = await startRedisServer();
		const url = gone.url;
		await gone.close();
		runtime = await open(sandboxEnv(sandbox, {FRAMEIO_REDIS_URL: url}));
		await expect(runtime.farm!.read()).rejects.toThrow(`Redis at ${url} is out of reach`);
	});
});
