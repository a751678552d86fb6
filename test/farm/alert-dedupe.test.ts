import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {RedisAlertDedupe} from '../../source/farm/alert-dedupe.js';
import {FarmUnavailableError} from '../../source/farm/farm-error.js';
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

async function nodes(...names: string[]) {
	fixture = farmFixture(() => server);
	const connections = await Promise.all(names.map(name => fixture.connect(name)));
	return connections.map(connection => new RedisAlertDedupe(connection));
}

describe('farm alert de-duplication', () => {
	it('raises once for the farm, names every node it holds on, and resolves when the last one clears', async () => {
		const [a, b, c] = await nodes('render-01', 'render-02', 'render-03');
		const first = await Promise.all([a, b, c].map(node => node.hold('breaker_open', {cooldownMs: 60_000})));
		expect(first.filter(result => result.action === 'raise')).toHaveLength(1);
		const again = await a.hold('breaker_open', {cooldownMs: 60_000});
		expect(again).toMatchObject({action: 'none', nodes: ['render-01', 'render-02', 'render-03']});
		expect(again.since).toBe(first[0].since);

		expect(await a.clear('breaker_open')).toMatchObject({action: 'none', nodes: ['render-02', 'render-03']});
		expect(await b.clear('breaker_open')).toMatchObject({action: 'none', nodes: ['render-03']});
		expect(await c.clear('breaker_open')).toEqual({action: 'resolve', nodes: [], since: null});
		expect(await c.clear('breaker_open')).toMatchObject({action: 'none'});
		// Another rule is another alert.
		expect((await a.hold('error_rate', {cooldownMs: 60_000})).action).toBe('raise');
	});

	it('reminds once per cooldown while the condition holds, and a new episode within the cooldown stays silent', async () => {
		const [a, b] = await nodes('render-01', 'render-02');
		const cooldownMs = 200;
		expect((await a.hold('queue_stalled', {cooldownMs})).action).toBe('raise');
		expect((await b.hold('queue_stalled', {cooldownMs})).action).toBe('none');
		await wait(cooldownMs + 20);
		const reminders = await Promise.all([a, b, a, b].map(node => node.hold('queue_stalled', {cooldownMs})));
		expect(reminders.filter(result => result.action === 'raise')).toHaveLength(1);
		await a.clear('queue_stalled');
		expect((await b.clear('queue_stalled')).action).toBe('resolve');
		// Flapping: back at once, inside the cooldown of the reminder. Silent, and so no resolve either.
		expect((await a.hold('queue_stalled', {cooldownMs})).action).toBe('none');
		expect((await a.clear('queue_stalled')).action).toBe('none');
		await wait(cooldownMs + 20);
		expect((await a.hold('queue_stalled', {cooldownMs})).action).toBe('raise');
	});

	it('with a cooldown of 0 fires once per episode, without reminders', async () => {
		const [a, b] = await nodes('render-01', 'render-02');
		expect((await a.hold('disk_low', {cooldownMs: 0})).action).toBe('raise');
		await wait(30);
		expect((await b.hold('disk_low', {cooldownMs: 0})).action).toBe('none');
		expect((await a.hold('disk_low', {cooldownMs: 0})).action).toBe('none');
		await a.clear('disk_low');
		expect((await b.clear('disk_low')).action).toBe('resolve');
		expect((await b.hold('disk_low', {cooldownMs: 0})).action).toBe('raise');
	});

	it('a node that dies holding the condition drops out when its report expires; sweep then resolves', async () => {
		const [a, b] = await nodes('render-01', 'render-02');
		expect((await a.hold('api_down', {cooldownMs: 60_000, holdTtlMs: 150})).action).toBe('raise');
		expect((await b.hold('api_down', {cooldownMs: 60_000, holdTtlMs: 60_000})).nodes).toEqual(['render-01', 'render-02']);
		// render-01 dies; render-02 recovers.
		expect(await b.clear('api_down')).toMatchObject({action: 'none', nodes: ['render-01']});
		await wait(170);
		expect(await b.sweep('api_down')).toMatchObject({action: 'resolve', nodes: []});
	});

	it('two processes of one node are two holders, named once', async () => {
		fixture = farmFixture(() => server);
		const connection = await fixture.connect('render-01');
		const daemon = new RedisAlertDedupe(connection, {instance: 'daemon'});
		const console_ = new RedisAlertDedupe(connection, {instance: 'console'});
		await daemon.hold('error_rate', {cooldownMs: 60_000});
		expect((await console_.hold('error_rate', {cooldownMs: 60_000})).nodes).toEqual(['render-01']);
		expect(await console_.clear('error_rate')).toMatchObject({action: 'none', nodes: ['render-01']});
		expect((await daemon.clear('error_rate')).action).toBe('resolve');
	});

	it('throws FarmUnavailableError while Redis is down', async () => {
		const [a] = await nodes('render-01');
		await server.stop();
		try {
			await expect(a.hold('breaker_open', {cooldownMs: 1000})).rejects.toBeInstanceOf(FarmUnavailableError);
		} finally {
			await server.start();
		}
		await eventually(async () => (await a.hold('breaker_open', {cooldownMs: 1000})).action === 'raise', 10_000, 'rejoin');
	});
});
