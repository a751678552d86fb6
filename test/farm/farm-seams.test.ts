// The Redis side of each seam as app/farm-graph.ts builds it, in one process with several "nodes" (each its own
// connection, cache and client), against a real redis-server and, where calls are made, real HTTP.
import {randomUUID} from 'node:crypto';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {openFarmGraph, type FarmGraph} from '../../source/app/farm-graph.js';
import {ApiCache} from '../../source/cache/api-cache.js';
import {cacheKeys} from '../../source/cache/keys.js';
import {defaultConfig, type AppConfig} from '../../source/config/index.js';
import {parseRedisUrl} from '../../source/config/farm-settings.js';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {createFrameioClient} from '../../source/frameio/client.js';
import {FrameioError} from '../../source/frameio/errors.js';
import {FarmRateBudget, sharedShape} from '../../source/farm/farm-rate-budget.js';
import {FarmConnection} from '../../source/farm/redis-settings.js';
import type {FarmLink} from '../../source/farm/farm-link.js';
import {RedisSharedBucket} from '../../source/farm/shared-bucket.js';
import {silentLogging} from '../../source/log/logger.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {StructureService, structureApiFromClient} from '../../source/structure/index.js';
import {scriptedServer, sendJson} from '../frameio/helpers.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {eventually} from './farm-fixture.js';

let redis: RedisServer;
const graphs: FarmGraph[] = [];
beforeAll(async () => {
	redis = await startRedisServer();
});
afterAll(async () => {
	await redis?.close();
});
afterEach(async () => {
	await Promise.all(graphs.splice(0).map(graph => graph.close()));
	// A test that stopped Redis and failed before starting it again.
	await redis.start().catch(() => undefined);
});

function configWith(overrides: {error_handling?: Partial<AppConfig['optimization']['error_handling']>} = {}): AppConfig {
	const base = defaultConfig();
	return {...base, optimization: {...base.optimization, error_handling: {...base.optimization.error_handling, ...overrides.error_handling}}};
}

/** One node of a farm whose identity is `identity` (a fresh one per test keeps tests apart). */
async function node(name: string, identity: {apiOrigin: string; accountUserId: string}, config = defaultConfig()): Promise<FarmGraph> {
	const graph = await openFarmGraph({settings: {redis: parseRedisUrl(redis.url), nodeName: name}, identity, config, logging: silentLogging()});
	graphs.push(graph);
	return graph;
}

const connections: FarmConnection[] = [];
afterAll(async () => {
	await Promise.all(connections.map(connection => connection.close()));
});

/** A plain connection in a node's namespace, to read what the farm holds. */
async function farmFixtureConnection(identity: {apiOrigin: string; accountUserId: string}): Promise<FarmConnection> {
	const connection = new FarmConnection(parseRedisUrl(redis.url), {identity, nodeName: 'observer'});
	connections.push(connection);
	await connection.ready(5000);
	return connection;
}

const freshIdentity = () => ({apiOrigin: 'http://127.0.0.1:1', accountUserId: randomUUID()});

function cacheOf(graph: FarmGraph): ApiCache {
	return new ApiCache({config: optimizationDefaults, secondLayer: graph.cacheLayer});
}

describe('one cache for the farm', () => {
	it('a key missed on two nodes at once is fetched once: the second waits for the first fetch and reads it from Redis', async () => {
		const identity = freshIdentity();
		const [a, b] = [cacheOf(await node('cache-a', identity)), cacheOf(await node('cache-b', identity))];
		await Promise.all([a.open(), b.open()]);
		const key = cacheKeys.folderChildren('parent-1');
		let fetches = 0;
		const fetch = async () => {
			fetches++;
			await new Promise(resolve => setTimeout(resolve, 150));
			return [{id: 'child', name: 'UNDLM_00001'}];
		};
		const [first, second] = await Promise.all([a.wrap(key, fetch), b.wrap(key, fetch)]);
		expect(fetches).toBe(1);
		expect([first.fromCache, second.fromCache].sort()).toEqual([false, true]);
		expect(second.value).toEqual(first.value);
		// Both now hold it in memory.
		expect(a.peek(key)).toEqual(first.value);
		expect(b.peek(key)).toEqual(first.value);
		await Promise.all([a.close(), b.close()]);
	});

	it('an invalidation or a purge on one node is applied by the other within a second, and leaves nothing in Redis', async () => {
		const identity = freshIdentity();
		const [ga, gb] = [await node('inv-a', identity), await node('inv-b', identity)];
		const [a, b] = [cacheOf(ga), cacheOf(gb)];
		await Promise.all([a.open(), b.open()]);
		const keys = [cacheKeys.folderChildren('p1'), cacheKeys.folderChildren('p2'), cacheKeys.file('f1')];
		for (const key of keys) await a.wrap(key, async () => ({key}));
		await a.persist();
		for (const key of keys) expect((await b.wrap(key, async () => ({key, again: true}))).fromCache).toBe(true);

		const started = Date.now();
		a.invalidate([keys[0]]);
		await eventually(() => b.peek(keys[0]) === undefined, 1000, 'the invalidation on b');
		expect(Date.now() - started).toBeLessThan(1000);
		expect(b.peek(keys[1])).toEqual({key: keys[1]});

		a.purge({pattern: 'folder_'});
		await eventually(() => b.peek(keys[1]) === undefined, 1000, 'the purge on b');
		expect(b.peek(keys[2])).toEqual({key: keys[2]});
		await a.persist();
		// A third node finds nothing of the purged keys in Redis: it has to fetch.
		const c = cacheOf(await node('inv-c', identity));
		await c.open();
		expect((await c.wrap(keys[1], async () => 'fetched')).value).toBe('fetched');
		expect((await c.wrap(keys[2], async () => 'fetched')).fromCache).toBe(true);
		await Promise.all([a.close(), b.close(), c.close()]);
	});

	it('with Redis lost a node reads and fetches on its own; back, it drops what it held (messages may have been missed)', async () => {
		const identity = freshIdentity();
		const graph = await node('gap-a', identity);
		const cache = cacheOf(graph);
		await cache.open();
		await cache.wrap(cacheKeys.file('kept'), async () => 'v1');
		await redis.stop();
		await eventually(() => graph.state()?.state === 'lost', 5000, 'the link lost');
		// Works alone: a miss fetches at once instead of waiting for Redis.
		const started = Date.now();
		expect(await cache.wrap(cacheKeys.file('alone'), async () => 'alone')).toEqual({value: 'alone', fromCache: false});
		expect(Date.now() - started).toBeLessThan(200);
		await redis.start();
		await eventually(() => graph.state()?.state === 'joined', 10_000, 'the link joined again');
		await eventually(() => cache.size === 0, 5000, 'memory dropped after the gap');
		await cache.close();
	});
});

describe('one breaker for the farm', () => {
	it('when one node sees Frame.io fail, the others refuse without sending a request, and show the breaker open', async () => {
		const server = await scriptedServer((_req, res) => sendJson(res, 503, {errors: [{detail: 'down'}]}));
		const config = configWith({error_handling: {max_retries: 0, circuit_breaker_threshold: 2, circuit_breaker_timeout: 60}});
		const identity = freshIdentity();
		const clients = await Promise.all(
			['brk-a', 'brk-b'].map(async name => {
				const graph = await node(name, identity, config);
				const client = createFrameioClient({baseUrl: server.url, auth: new EnvTokenProvider('token'), config: config.optimization});
				client.useBreakerGate(graph.breakerGate(client.breaker));
				return client;
			}),
		);
		const [a, b] = clients;
		for (let i = 0; i < 2; i++) await expect(a.me()).rejects.toMatchObject({status: 503});
		expect(a.breaker.state).toBe('open');
		const sent = server.count();
		const refused = await b.me().catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(FrameioError);
		expect(refused).toMatchObject({code: 'breaker_open'});
		expect(server.count()).toBe(sent);
		expect(b.breaker.state).toBe('open');
		expect(b.breaker.stats()).toMatchObject({opens: 1, rejected: 1});
		for (const client of clients) client.close();
		await server.close();
	});
});

describe('one budget for the farm', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({seed: 'demo', enforceRateLimits: true, rateLimitScale: 1});
		rememberSecret(sandbox.token);
	});
	afterAll(() => sandbox?.close());

	it('two nodes sending bursts to one 10/s class get no 429; each alone would have sent its own burst', async () => {
		const identity = freshIdentity();
		const clients = await Promise.all(
			['bud-a', 'bud-b'].map(async name => {
				const graph = await node(name, identity);
				const client = createFrameioClient({baseUrl: sandbox.url, auth: new EnvTokenProvider(sandbox.token), config: {...optimizationDefaults, error_handling: {...optimizationDefaults.error_handling, max_retries: 0, rate_limit_budget_seconds: 0}}});
				client.limiter.useBudget(graph.budget);
				return client;
			}),
		);
		const fileId = sandbox.store.allFolders().flatMap(folder => sandbox.store.children(folder.id)).find(child => child.type === 'file')!.id;
		sandbox.clearRequests();
		const results = await Promise.allSettled(clients.flatMap(client => Array.from({length: 15}, () => client.file(sandbox.ids.accountId, fileId))));
		expect(results.filter(result => result.status === 'rejected')).toEqual([]);
		expect(sandbox.requests.filter(request => request.status === 429)).toHaveLength(0);
		for (const client of clients) client.close();
	});

	it("the server's x-ratelimit-remaining corrects the shared bucket: a node that never saw the outsider's burst still waits for it", async () => {
		const identity = freshIdentity();
		const config = {...optimizationDefaults, error_handling: {...optimizationDefaults.error_handling, max_retries: 0, rate_limit_budget_seconds: 0}};
		const make = () => createFrameioClient({baseUrl: sandbox.url, auth: new EnvTokenProvider(sandbox.token), config});
		const [a, b] = await Promise.all(
			['cor-a', 'cor-b'].map(async name => {
				const client = make();
				client.limiter.useBudget((await node(name, identity)).budget);
				return client;
			}),
		);
		const outsider = make();
		const levels = new RedisSharedBucket(await farmFixtureConnection(identity));
		const fileId = sandbox.store.allFolders().flatMap(folder => sandbox.store.children(folder.id)).find(child => child.type === 'file')!.id;
		// Let the files.show bucket (10 a second) drain from the previous test, then spend 9 of it outside the farm.
		await new Promise(resolve => setTimeout(resolve, 1200));
		sandbox.clearRequests();
		await Promise.all(Array.from({length: 9}, () => outsider.file(sandbox.ids.accountId, fileId)));
		// Node a's answer says how little is left, and it goes to the farm's bucket; then node b, fresh, bursts.
		await a.file(sandbox.ids.accountId, fileId);
		const shape = sharedShape({capacity: 10, ratePerMs: (10 / 1000) * 0.95});
		await eventually(async () => (await levels.levels({'files.show': shape}))['files.show'] > 7, 1000, 'the correction in Redis');
		const results = await Promise.allSettled(Array.from({length: 5}, () => b.file(sandbox.ids.accountId, fileId)));
		expect(results.filter(result => result.status === 'rejected')).toEqual([]);
		expect(sandbox.requests.filter(request => request.status === 429)).toHaveLength(0);
		for (const client of [a, b, outsider]) client.close();
	});

	it('with Redis lost, a node takes from its last known share: 1/N of the capacity and of the rate', async () => {
		const identity = freshIdentity();
		const graph = await node('share-a', identity);
		const waits: number[] = [];
		let now = 0;
		const link = {available: false, share: 1 / 4} as unknown as FarmLink;
		const budget = new FarmRateBudget(new RedisSharedBucket({} as never), link, {now: () => now, sleep: async ms => void (waits.push(ms), (now += ms))});
		const shape = {capacity: 8, ratePerMs: 8 / 1000};
		// 1/4 of 8: two at once, then one every 500 ms (a quarter of 8 a second).
		for (let i = 0; i < 4; i++) expect(await budget.take('files.show', shape)).toBeNull();
		expect(waits).toEqual([500, 500]);
		expect(graph.state()?.state).toBe('joined');
	});
});

describe('the farm in health', () => {
	it('says joined with the processes beating, then lost with the share it works at, then joined again', async () => {
		const identity = freshIdentity();
		const graph = await node('health-a', identity);
		graph.presence.start(() => ({}));
		const other = await node('health-b', identity);
		other.presence.start(() => ({}));
		await eventually(async () => (await graph.healthProbe()).reason.includes('2 processes beating'), 5000, 'two processes');
		expect(await graph.healthProbe()).toMatchObject({status: 'pass', reason: expect.stringContaining(`as health-a`)});
		await redis.stop();
		await eventually(() => graph.state()?.state === 'lost', 5000, 'lost');
		const lost = await graph.healthProbe();
		expect(lost.status).toBe('warn');
		expect(lost.reason).toContain('working alone at 1/2 of each rate-limit bucket');
		expect(lost.reason).not.toContain('password');
		await redis.start();
		await eventually(() => graph.state()?.state === 'joined', 10_000, 'joined again');
	});
});

describe('no duplicate folders across nodes', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		// Every answer takes a while, as over a WAN: the nodes' listings and creates overlap.
		sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, faults: {latencyMs: 60}});
		rememberSecret(sandbox.token);
	});
	afterAll(() => sandbox?.close());

	/** Four nodes at once on `path`: each its own cache (no second layer, so only the lock can keep them apart). */
	async function race(path: string[], locked: boolean) {
		const identity = freshIdentity();
		const services = await Promise.all(
			['dup-a', 'dup-b', 'dup-c', 'dup-d'].map(async name => {
				const graph = await node(name, identity);
				const client = createFrameioClient({baseUrl: sandbox.url, auth: new EnvTokenProvider(sandbox.token), config: optimizationDefaults});
				const cache = await new ApiCache({config: optimizationDefaults}).open();
				return {client, cache, structure: new StructureService({api: structureApiFromClient(client), cache, folderLock: locked ? graph.folderLock : undefined})};
			}),
		);
		const results = await Promise.all(services.map(({structure}) => structure.findOrCreatePath(sandbox.ids.accountId, sandbox.ids.rootFolderId, path)));
		for (const {client, cache} of services) {
			client.close();
			await cache.close();
		}
		return results;
	}

	const duplicatesOf = (scene: string) => sandbox.stats().duplicate_folders.filter(duplicate => duplicate.name === scene);

	it('four nodes finding-or-creating the same new path at once create each folder once and agree on it', async () => {
		const results = await race(['WIP_BYSHOT', 'SC12_SEQ12', 'UNDLM_01200'], true);
		expect(new Set(results.map(result => result.folderId)).size).toBe(1);
		// Scene and shot: each created by exactly one node.
		expect(results.reduce((sum, result) => sum + result.created, 0)).toBe(2);
		expect(duplicatesOf('SC12_SEQ12')).toEqual([]);
	});

	it("control: without the farm's lock the same race leaves duplicates (the nodes still agree on the oldest)", async () => {
		const results = await race(['WIP_BYSHOT', 'SC13_SEQ13', 'UNDLM_01300'], false);
		expect(new Set(results.map(result => result.folderId)).size).toBe(1);
		expect(duplicatesOf('SC13_SEQ13').length).toBeGreaterThan(0);
	});
});
