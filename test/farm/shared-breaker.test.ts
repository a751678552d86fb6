import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {FarmUnavailableError} from '../../source/farm/farm-error.js';
import {RedisSharedBreaker, type SharedBreakerOptions} from '../../source/farm/shared-breaker.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {eventually, farmFixture, type Fixture} from './farm-fixture.js';

let server: RedisServer;
let fixture: Fixture;

beforeAll(async () => {
	server = await startRedisServer();
});
afterAll(async () => {
	await server?.close();
});
afterEach(async () => {
	await fixture?.closeAll();
});

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function farm(names: string[], options: SharedBreakerOptions) {
	fixture = farmFixture(() => server);
	const connections = await Promise.all(names.map(name => fixture.connect(name)));
	return connections.map(connection => new RedisSharedBreaker(connection, options));
}

const normal = {probe: false};

describe('shared breaker', () => {
	it('opens for the whole farm when the farm reaches the threshold, naming the node that opened it', async () => {
		const [a, b] = await farm(['node-a', 'node-b'], {threshold: 3, timeoutMs: 60_000});
		expect((await a.tryAcquire()).permit).toEqual({probe: false});
		await a.failure(normal);
		await a.failure(normal);
		expect((await b.read()).state).toBe('closed');
		const opened = await b.failure(normal);
		expect(opened).toMatchObject({state: 'open', consecutiveFailures: 3, opens: 1, openedBy: 'node-b'});
		for (const breaker of [a, b]) {
			const decision = await breaker.tryAcquire();
			expect(decision.permit).toBeNull();
			expect(decision.retryInMs).toBeGreaterThan(55_000);
			expect(decision.snapshot.state).toBe('open');
		}
	});

	it('a success anywhere resets the farm count of consecutive failures', async () => {
		const [a, b] = await farm(['node-a', 'node-b'], {threshold: 3, timeoutMs: 60_000});
		await a.failure(normal);
		await a.failure(normal);
		expect((await b.success(normal)).consecutiveFailures).toBe(0);
		await a.failure(normal);
		await a.failure(normal);
		expect((await a.read()).state).toBe('closed');
	});

	it('after the timeout exactly one node probes; its success closes the breaker for all', async () => {
		const breakers = await farm(['node-a', 'node-b', 'node-c'], {threshold: 1, timeoutMs: 150});
		await breakers[0].failure(normal);
		expect((await breakers[1].read()).state).toBe('open');
		await wait(170);
		expect((await breakers[2].read()).state).toBe('half-open');
		const decisions = await Promise.all([...breakers, ...breakers].map(breaker => breaker.tryAcquire()));
		const probes = decisions.filter(decision => decision.permit?.probe);
		expect(probes).toHaveLength(1);
		expect(decisions.filter(decision => decision.permit === null)).toHaveLength(5);
		const prober = breakers[decisions.indexOf(probes[0]) % 3];
		expect((await prober.read()).probeBy).toBe(['node-a', 'node-b', 'node-c'][decisions.indexOf(probes[0]) % 3]);
		expect(await prober.success({probe: true})).toMatchObject({state: 'closed', consecutiveFailures: 0, probeBy: null, retryAt: null});
		for (const breaker of breakers) expect((await breaker.tryAcquire()).permit).toEqual({probe: false});
	});

	it('a failed probe opens it again for another timeout', async () => {
		const [a, b] = await farm(['node-a', 'node-b'], {threshold: 1, timeoutMs: 100});
		const first = await a.failure(normal);
		await wait(120);
		const decision = await b.tryAcquire();
		expect(decision.permit).toEqual({probe: true});
		const reopened = await b.failure({probe: true});
		expect(reopened).toMatchObject({state: 'open', opens: 2, openedBy: 'node-b', probeBy: null});
		expect(reopened.retryAt!).toBeGreaterThan(first.retryAt!);
		expect((await a.tryAcquire()).permit).toBeNull();
	});

	it('a late success from before the opening does not close it; only the probe does', async () => {
		const [a, b] = await farm(['node-a', 'node-b'], {threshold: 1, timeoutMs: 60_000});
		await a.failure(normal);
		expect(await b.success(normal)).toMatchObject({state: 'open', consecutiveFailures: 0});
	});

	it('a probe whose node died is given to another node when its lease expires; a released one at once', async () => {
		const [a, b, c] = await farm(['node-a', 'node-b', 'node-c'], {threshold: 1, timeoutMs: 50, probeLeaseMs: 150});
		await a.failure(normal);
		await wait(70);
		expect((await a.tryAcquire()).permit).toEqual({probe: true});
		// node-a dies holding the probe.
		const refused = await b.tryAcquire();
		expect(refused.permit).toBeNull();
		expect(refused.retryInMs).toBeGreaterThan(0);
		await eventually(async () => (await b.tryAcquire()).permit?.probe === true, 2000, 'the lease to expire');
		// node-b's call is cancelled: it gives the probe back, and node-c may probe straight away.
		await b.release({probe: true});
		expect((await c.tryAcquire()).permit).toEqual({probe: true});
		// A release by a process that does not hold the lease changes nothing.
		await a.release({probe: true});
		expect((await b.tryAcquire()).permit).toBeNull();
	});

	it('throws FarmUnavailableError while Redis is down', async () => {
		const [a] = await farm(['node-a'], {threshold: 3, timeoutMs: 1000});
		await server.stop();
		try {
			await expect(a.tryAcquire()).rejects.toBeInstanceOf(FarmUnavailableError);
			await expect(a.failure(normal)).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			await server.start();
		}
	});
});
