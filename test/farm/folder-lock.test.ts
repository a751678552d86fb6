import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {FarmUnavailableError} from '../../source/farm/farm-error.js';
import {folderLockKey, FolderLockLostError, FolderLockTimeoutError, RedisFolderLock} from '../../source/farm/folder-lock.js';
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

async function twoNodes() {
	fixture = farmFixture(() => server);
	const [a, b] = await Promise.all([fixture.connect('node-a'), fixture.connect('node-b')]);
	return {a: new RedisFolderLock(a), b: new RedisFolderLock(b), connections: [a, b]};
}

describe('folder lock', () => {
	it('two connections racing for one (parent, name): exactly one wins each round', async () => {
		const {a, b} = await twoNodes();
		for (let round = 0; round < 10; round++) {
			const attempts = await Promise.all([a, b, a, b].map(lock => lock.tryAcquire('parent-1', `Shot ${round}`, 5000)));
			const winners = attempts.filter(handle => handle !== null);
			expect(winners).toHaveLength(1);
			// A different name under the same parent is another lock.
			expect(await b.tryAcquire('parent-1', `Shot ${round} v2`, 5000)).not.toBeNull();
		}
	});

	it('keys keep (parent, name) pairs apart even when they contain the separator', async () => {
		const {a} = await twoNodes();
		expect(folderLockKey('p', 'a:b')).not.toBe(folderLockKey('p:a', 'b'));
		expect(await a.tryAcquire('p', 'a:b')).not.toBeNull();
		expect(await a.tryAcquire('p:a', 'b')).not.toBeNull();
		expect(await a.tryAcquire('p', 'a:b')).toBeNull();
	});

	it('an expired lock frees a dead owner, and the stale owner can neither release nor extend the new one', async () => {
		const {a, b} = await twoNodes();
		const dead = await a.tryAcquire('parent-2', 'Renders', 150);
		expect(dead).not.toBeNull();
		expect(await b.tryAcquire('parent-2', 'Renders', 5000)).toBeNull();
		// node-a "dies": it never releases. After the expiry node-b gets the lock, through withLock's waiting.
		const result = await b.withLock('parent-2', 'Renders', async held => {
			expect(held.fence).toBeGreaterThan(dead!.fence);
			// The stale owner wakes up and tries to clean up: nothing happens to node-b's lock.
			expect(await a.release(dead!)).toBe(false);
			expect(await a.extend(dead!, 60_000)).toBe(false);
			expect(await a.isHeld(dead!)).toBe(false);
			await held.assertHeld();
			expect(await a.tryAcquire('parent-2', 'Renders')).toBeNull();
			return 'created';
		}, {waitMs: 5000});
		expect(result).toBe('created');
		// Released by its owner: free again.
		expect(await a.tryAcquire('parent-2', 'Renders')).not.toBeNull();
	});

	it('fencing tokens strictly increase in the order the lock is held, across nodes', async () => {
		const {a, b} = await twoNodes();
		const order: number[] = [];
		let inside = 0;
		let maxInside = 0;
		await Promise.all(
			Array.from({length: 12}, (_, i) =>
				(i % 2 ? a : b).withLock('parent-3', 'Comp', async held => {
					inside++;
					maxInside = Math.max(maxInside, inside);
					order.push(held.fence);
					await new Promise(resolve => setTimeout(resolve, 5));
					inside--;
				}, {waitMs: 20_000}),
			),
		);
		expect(maxInside).toBe(1);
		expect(order).toHaveLength(12);
		for (let i = 1; i < order.length; i++) expect(order[i]).toBeGreaterThan(order[i - 1]);
	});

	it('withLock renews the lock while fn runs longer than the expiry', async () => {
		const {a, b} = await twoNodes();
		await a.withLock('parent-4', 'Long', async held => {
			await new Promise(resolve => setTimeout(resolve, 450));
			expect(await b.tryAcquire('parent-4', 'Long')).toBeNull();
			expect(held.lost).toBe(false);
			await held.assertHeld();
		}, {ttlMs: 150});
	});

	it('a holder whose lock was taken away learns it at the fencing check', async () => {
		const {a, connections} = await twoNodes();
		await expect(
			a.withLock('parent-5', 'Gone', async held => {
				// Someone deletes the lock (an admin, or an expiry during a long pause).
				await connections[1].redis.del(folderLockKey('parent-5', 'Gone'));
				await held.assertHeld();
			}),
		).rejects.toBeInstanceOf(FolderLockLostError);
	});

	it('gives up waiting at its deadline', async () => {
		const {a, b} = await twoNodes();
		expect(await a.tryAcquire('parent-6', 'Busy', 10_000)).not.toBeNull();
		await expect(b.withLock('parent-6', 'Busy', async () => 'never', {waitMs: 150})).rejects.toBeInstanceOf(FolderLockTimeoutError);
	});

	it('throws FarmUnavailableError while Redis is down, and works again when it is back', async () => {
		const {a, connections} = await twoNodes();
		await server.stop();
		try {
			await expect(a.tryAcquire('parent-7', 'X')).rejects.toBeInstanceOf(FarmUnavailableError);
			await expect(a.withLock('parent-7', 'X', async () => 1)).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			await server.start();
		}
		await eventually(() => connections[0].connected, 10_000, 'reconnect');
		await expect(a.withLock('parent-7', 'X', async () => 1)).resolves.toBe(1);
	});
});
