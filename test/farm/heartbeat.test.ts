import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {FarmUnavailableError} from '../../source/farm/farm-error.js';
import {listLiveNodes, RedisHeartbeat} from '../../source/farm/heartbeat.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {eventually, farmFixture, type Fixture} from './farm-fixture.js';

let server: RedisServer;
let fixture: Fixture;
const beating: RedisHeartbeat[] = [];

beforeAll(async () => {
	server = await startRedisServer();
});
afterAll(async () => {
	await server?.close();
});
afterEach(async () => {
	await Promise.all(beating.splice(0).map(heartbeat => heartbeat.stop({remove: false})));
	await fixture?.closeAll();
});

const names = (nodes: Awaited<ReturnType<typeof listLiveNodes>>) => nodes.map(node => node.heartbeat.node);

describe('heartbeat', () => {
	it('lists every live node with its summary, uptime and version', async () => {
		fixture = farmFixture(() => server);
		const [a, b, viewer] = await Promise.all([fixture.connect('render-01'), fixture.connect('render-02'), fixture.connect('console')]);
		let requests = 0;
		const hbA = new RedisHeartbeat(a, {version: '0.1.0', intervalMs: 50, payload: () => ({requests: ++requests, rateLimited: 2, uploads: [{file: 'a.exr', progress: 0.5}]})});
		const hbB = new RedisHeartbeat(b, {version: '0.1.0', intervalMs: 50, payload: () => ({requests: 7, rateLimited: 0, node: 'forged'})});
		beating.push(hbA, hbB);
		hbA.start();
		hbB.start();
		await eventually(async () => (await listLiveNodes(viewer)).length === 2, 2000, 'both heartbeats');
		await eventually(async () => ((await listLiveNodes(viewer))[0].heartbeat.requests as number) >= 3, 2000, 'later beats');
		const nodes = await listLiveNodes(viewer);
		expect(names(nodes)).toEqual(['render-01', 'render-02']);
		expect(nodes[0].heartbeat).toMatchObject({version: '0.1.0', rateLimited: 2, uploads: [{file: 'a.exr', progress: 0.5}], instance: hbA.instance, ttlMs: 150});
		expect(nodes[0].heartbeat.uptimeMs).toBeGreaterThan(0);
		// The caller's payload cannot overwrite who sent it.
		expect(nodes[1].heartbeat.node).toBe('render-02');
		for (const node of nodes) {
			expect(node.expiresInMs).toBeGreaterThan(0);
			expect(node.ageMs).toBeLessThan(150);
		}
	});

	it('a node that stops beating disappears when its key expires; a graceful stop leaves at once', async () => {
		fixture = farmFixture(() => server);
		const [a, b, viewer] = await Promise.all([fixture.connect('render-01'), fixture.connect('render-02'), fixture.connect('console')]);
		const dying = new RedisHeartbeat(a, {intervalMs: 100, ttlMs: 300});
		const leaving = new RedisHeartbeat(b, {intervalMs: 100, ttlMs: 60_000});
		beating.push(dying, leaving);
		await dying.beat();
		await leaving.beat();
		expect(names(await listLiveNodes(viewer))).toEqual(['render-01', 'render-02']);
		await leaving.stop();
		expect(names(await listLiveNodes(viewer))).toEqual(['render-01']);
		// render-01 crashes: no more beats, no clean-up.
		await eventually(async () => (await listLiveNodes(viewer)).length === 0, 3000, 'the expiry');
	});

	it('pages through a large keyspace with SCAN and stays inside its namespace', async () => {
		fixture = farmFixture(() => server);
		const other = farmFixture(() => server);
		try {
			const viewer = await fixture.connect('console');
			const stranger = await other.connect('render-99');
			await new RedisHeartbeat(stranger).beat();
			const filler = viewer.redis.pipeline();
			for (let i = 0; i < 3000; i++) filler.set(`bucket:filler-${i}`, '1', 'PX', 60_000);
			await filler.exec();
			const connections = await Promise.all(Array.from({length: 25}, (_, i) => fixture.connect(`render-${String(i).padStart(2, '0')}`)));
			await Promise.all(connections.map(connection => new RedisHeartbeat(connection, {ttlMs: 60_000}).beat()));
			const nodes = await listLiveNodes(viewer);
			expect(names(nodes)).toEqual(Array.from({length: 25}, (_, i) => `render-${String(i).padStart(2, '0')}`));
		} finally {
			await other.closeAll();
		}
	});

	it('a beat while Redis is down is reported, and beating resumes by itself when Redis is back', async () => {
		fixture = farmFixture(() => server);
		const [a, viewer] = await Promise.all([fixture.connect('render-01'), fixture.connect('console')]);
		const errors: unknown[] = [];
		const heartbeat = new RedisHeartbeat(a, {intervalMs: 50, onError: error => errors.push(error)});
		beating.push(heartbeat);
		heartbeat.start();
		await eventually(async () => (await listLiveNodes(viewer)).length === 1, 2000, 'the first beat');
		await server.stop();
		try {
			await eventually(() => errors.length > 0, 2000, 'a failed beat');
			expect(errors[0]).toBeInstanceOf(FarmUnavailableError);
			await expect(listLiveNodes(viewer)).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			await server.start();
		}
		// The restarted Redis is empty; the node's next beats put it back on the list.
		await eventually(async () => viewer.connected && (await listLiveNodes(viewer)).length === 1, 10_000, 'the node back on the list');
	});
});
