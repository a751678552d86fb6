import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {FarmUnavailableError} from '../../source/farm/farm-error.js';
import {RedisInvalidationBus, type ReceivedInvalidation} from '../../source/farm/invalidation-bus.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {eventually, farmFixture, type Fixture} from './farm-fixture.js';

let server: RedisServer;
let fixture: Fixture;
const buses: RedisInvalidationBus[] = [];

beforeAll(async () => {
	server = await startRedisServer();
});
afterAll(async () => {
	await server?.close();
});
afterEach(async () => {
	await Promise.all(buses.splice(0).map(bus => bus.close()));
	await fixture?.closeAll();
});

async function bus(nodeName: string, fx = fixture) {
	const connection = await fx.connect(nodeName);
	const created = new RedisInvalidationBus(connection);
	buses.push(created);
	const received: ReceivedInvalidation[] = [];
	const gaps: number[] = [];
	await created.subscribe(message => received.push(message), {onGap: () => gaps.push(Date.now())});
	return {bus: created, connection, received, gaps};
}

describe('invalidation bus', () => {
	it('delivers a purge to every other process within a second, and not back to its sender', async () => {
		fixture = farmFixture(() => server);
		const a = await bus('node-a');
		const b = await bus('node-b');
		// The CLI on node-a: same node name, another process. It must hear node-b and be heard by node-a's daemon.
		const cli = await bus('node-a');

		const sentAt = Date.now();
		expect(await a.bus.publish({kind: 'purge', pattern: 'folder_'})).toBe(3);
		await eventually(() => b.received.length === 1 && cli.received.length === 1, 1000, 'delivery within 1 s');
		expect(Date.now() - sentAt).toBeLessThan(1000);
		expect(b.received[0]).toMatchObject({kind: 'purge', pattern: 'folder_', origin: {node: 'node-a', instance: a.bus.instance}});

		await cli.bus.publish({kind: 'invalidate', keys: ['file_1', 'folder_2_children']});
		await b.bus.publish({kind: 'purge', all: true});
		await eventually(() => a.received.length === 2 && b.received.length === 2 && cli.received.length === 2, 1000, 'delivery within 1 s');
		expect(a.received.map(message => message.kind)).toEqual(['invalidate', 'purge']);
		expect(a.received[0]).toMatchObject({keys: ['file_1', 'folder_2_children'], origin: {node: 'node-a', instance: cli.bus.instance}});
		// Nobody heard itself.
		expect(a.received.some(message => message.origin.instance === a.bus.instance)).toBe(false);
		expect(b.received.some(message => message.origin.instance === b.bus.instance)).toBe(false);
		expect(cli.received.some(message => message.origin.instance === cli.bus.instance)).toBe(false);
	});

	it('stays inside its namespace, ignores what is not an invalidation, and refuses to send one', async () => {
		fixture = farmFixture(() => server);
		const other = farmFixture(() => server);
		try {
			const a = await bus('node-a');
			const stranger = await bus('node-x', other);
			const raw = await fixture.connect('raw');
			await raw.redis.publish(a.bus.channel, 'not json');
			await raw.redis.publish(a.bus.channel, JSON.stringify({kind: 'purge', origin: {node: 'x', instance: 'y'}, at: 1}));
			await raw.redis.publish(a.bus.channel, JSON.stringify({kind: 'purge', all: true, origin: {node: 'x', instance: 'y'}, at: 1}));
			await eventually(() => a.received.length === 1, 1000, 'the valid message');
			expect(a.bus.dropped).toBe(2);
			expect(stranger.received).toEqual([]);
			await expect(a.bus.publish({kind: 'invalidate', keys: []})).rejects.toThrow(RangeError);
			await expect(a.bus.publish({kind: 'purge', pattern: ''})).rejects.toThrow(RangeError);
		} finally {
			await other.closeAll();
		}
	});

	it('publish fails fast while Redis is down; the subscriber rejoins by itself and reports the gap', async () => {
		fixture = farmFixture(() => server);
		const a = await bus('node-a');
		const b = await bus('node-b');
		await server.stop();
		try {
			await expect(a.bus.publish({kind: 'purge', all: true})).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			await server.start();
		}
		await eventually(() => b.gaps.length === 1, 10_000, 'the subscriber reconnects');
		await eventually(() => a.connection.connected, 10_000, 'the publisher reconnects');
		// Subscribed again by itself: a message sent now arrives.
		await eventually(async () => {
			await a.bus.publish({kind: 'invalidate', keys: ['file_9']});
			return b.received.length > 0;
		}, 5000, 'delivery after the restart');
		expect(b.received.at(-1)).toMatchObject({kind: 'invalidate', keys: ['file_9']});
	});

	it('subscribing while Redis is down is FarmUnavailableError, not a hang', async () => {
		fixture = farmFixture(() => server);
		const connection = await fixture.connect('node-a');
		const created = new RedisInvalidationBus(connection);
		buses.push(created);
		await server.stop();
		try {
			await expect(created.subscribe(() => undefined, {readyTimeoutMs: 300})).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			await server.start();
		}
	});
});
