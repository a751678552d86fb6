import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {FarmUnavailableError} from '../../source/farm/farm-error.js';
import {RedisSharedBucket, type BucketShape, type TakeResult} from '../../source/farm/shared-bucket.js';
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

const fresh = () => (fixture = farmFixture(() => server));

describe('shared bucket', () => {
	it('grants up to the capacity, then tells how long to wait, and keeps its state under the farm prefix', async () => {
		const connection = await fresh().connect();
		const bucket = new RedisSharedBucket(connection);
		const shape: BucketShape = {capacity: 3, ratePerMs: 3 / 1000};
		const results: TakeResult[] = [];
		for (let i = 0; i < 4; i++) results.push(await bucket.take('folders.create', shape));
		expect(results.map(result => result.granted)).toEqual([true, true, true, false]);
		const refused = results[3];
		if (refused.granted) throw new Error('unreachable');
		// One slot drains in 1/rate = 333 ms, less the little time the takes themselves took.
		expect(refused.waitMs).toBeGreaterThan(250);
		expect(refused.waitMs).toBeLessThanOrEqual(334);

		const raw = new Redis({port: server.port, host: '127.0.0.1', lazyConnect: true});
		await raw.connect();
		try {
			expect(await raw.exists(`${connection.prefix}bucket:folders.create`)).toBe(1);
			expect(await raw.exists('bucket:folders.create')).toBe(0);
			// The key expires once the bucket would have drained, so idle classes leave nothing behind.
			const ttl = await raw.pttl(`${connection.prefix}bucket:folders.create`);
			expect(ttl).toBeGreaterThan(0);
			expect(ttl).toBeLessThanOrEqual(1000 + 1000);
		} finally {
			raw.disconnect();
		}
	});

	it('drains at its rate: after the wait it tells, the next take is granted', async () => {
		const bucket = new RedisSharedBucket(await fresh().connect());
		const shape: BucketShape = {capacity: 1, ratePerMs: 1 / 200};
		expect((await bucket.take('files.show', shape)).granted).toBe(true);
		const refused = await bucket.take('files.show', shape);
		if (refused.granted) throw new Error('expected a refusal');
		await new Promise(resolve => setTimeout(resolve, Math.ceil(refused.waitMs) + 5));
		expect((await bucket.take('files.show', shape)).granted).toBe(true);
	});

	it('never grants more than capacity + rate·t in any window t, across concurrent takers on several connections', async () => {
		const fx = fresh();
		const connections = await Promise.all(['n1', 'n2', 'n3', 'n4'].map(name => fx.connect(name)));
		const shape: BucketShape = {capacity: 4, ratePerMs: 20 / 1000};
		const grants: Array<{at: number; node: number}> = [];
		const stopAt = Date.now() + 1500;
		const taker = async (node: number) => {
			const bucket = new RedisSharedBucket(connections[node]);
			while (Date.now() < stopAt) {
				const result = await bucket.take('files.local_upload', shape);
				if (result.granted) grants.push({at: result.at, node});
				// Poll hard (at most 3 ms apart) so that takers really race for each slot.
				else await new Promise(resolve => setTimeout(resolve, Math.min(result.waitMs, Math.random() * 3)));
			}
		};
		await Promise.all([0, 1, 2, 3].flatMap(node => [taker(node), taker(node)]));

		grants.sort((a, b) => a.at - b.at);
		for (let i = 0; i < grants.length; i++) {
			for (let j = i + 1; j < grants.length; j++) {
				const allowed = shape.capacity + shape.ratePerMs * (grants[j].at - grants[i].at);
				expect(j - i + 1, `grants ${i}..${j}`).toBeLessThanOrEqual(allowed + 1e-6);
			}
		}
		// And the budget is used, not just respected: close to the full capacity + rate·t overall.
		const span = grants.at(-1)!.at - grants[0].at;
		expect(grants.length).toBeGreaterThanOrEqual(0.8 * (shape.capacity + shape.ratePerMs * span));
		// No node starves while the others take.
		for (const node of [0, 1, 2, 3]) expect(grants.filter(grant => grant.node === node).length).toBeGreaterThan(0);
	});

	it('acquire waits its turn under contention and gives up at its deadline', async () => {
		const fx = fresh();
		const [a, b] = await Promise.all([fx.connect('a'), fx.connect('b')]);
		const shape: BucketShape = {capacity: 2, ratePerMs: 10 / 1000};
		const buckets = [new RedisSharedBucket(a), new RedisSharedBucket(b)];
		const granted = await Promise.all(Array.from({length: 6}, (_, i) => buckets[i % 2].acquire('files.status', shape)));
		const times = granted.map(result => result.at).sort((x, y) => x - y);
		// 2 at once, then 4 more at 100 ms each: at least 300 ms between the first and the last.
		expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual(300 - 1);
		await expect(buckets[0].acquire('files.delete', {capacity: 1, ratePerMs: 1 / 60_000}, {deadlineMs: Date.now() + 50})).resolves.toMatchObject({granted: true});
		await expect(buckets[0].acquire('files.delete', {capacity: 1, ratePerMs: 1 / 60_000}, {deadlineMs: Date.now() + 50})).rejects.toThrow(/deadline/);
	});

	it('correct raises the shared level to what x-ratelimit-remaining implies, and never lowers it', async () => {
		const bucket = new RedisSharedBucket(await fresh().connect());
		const shape: BucketShape = {capacity: 10, ratePerMs: 10 / 60_000};
		await bucket.take('me', shape);
		// Another client of the same user spent 7: the server says 3 are left.
		expect(await bucket.correct('me', shape, 3)).toBeCloseTo(7, 2);
		// An older header (more remaining than we know of) changes nothing.
		expect(await bucket.correct('me', shape, 9)).toBeCloseTo(7, 2);
		const takes = [];
		for (let i = 0; i < 4; i++) takes.push((await bucket.take('me', shape)).granted);
		expect(takes).toEqual([true, true, true, false]);
		const levels = await bucket.levels({me: shape, 'files.show': {capacity: 10, ratePerMs: 0.01}});
		expect(levels.me).toBeCloseTo(10, 1);
		expect(levels['files.show']).toBe(0);
	});

	it('uses the server clock, not the node clock', async () => {
		const connection = await fresh().connect();
		const bucket = new RedisSharedBucket(connection);
		const [seconds, micros] = await connection.redis.time();
		const serverNow = Number(seconds) * 1000 + Number(micros) / 1000;
		const realNow = Date.now;
		Date.now = () => realNow() + 3_600_000; // this node's clock is an hour fast
		try {
			const result = await bucket.take('folders.show', {capacity: 5, ratePerMs: 0.001});
			expect(Math.abs(result.at - serverNow)).toBeLessThan(1000);
		} finally {
			Date.now = realNow;
		}
	});

	it('throws FarmUnavailableError quickly while Redis is down, and works again once it is back', async () => {
		const connection = await fresh().connect();
		const bucket = new RedisSharedBucket(connection);
		const shape: BucketShape = {capacity: 2, ratePerMs: 0.001};
		expect((await bucket.take('folders.list', shape)).granted).toBe(true);
		await server.stop();
		try {
			await expect(bucket.take('folders.list', shape)).rejects.toBeInstanceOf(FarmUnavailableError);
			await expect(bucket.levels({'folders.list': shape})).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			await server.start();
		}
		// The connection rejoins by itself; the restarted server knows no script yet (EVALSHA falls back to EVAL).
		await eventually(() => connection.connected, 10_000, 'reconnect');
		expect((await bucket.take('folders.list', shape)).granted).toBe(true);
	});

	it('throws FarmUnavailableError when Redis hangs instead of waiting for it', async () => {
		const connection = await fresh().connect();
		const bucket = new RedisSharedBucket(connection);
		server.pause();
		try {
			await expect(bucket.take('files.list', {capacity: 5, ratePerMs: 0.005})).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			server.resume();
		}
		await eventually(() => connection.connected, 10_000, 'reconnect');
		expect((await bucket.take('files.list', {capacity: 5, ratePerMs: 0.005})).granted).toBe(true);
	});
});
