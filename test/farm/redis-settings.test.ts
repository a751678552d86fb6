import {randomUUID} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FarmConfigError, FarmUnavailableError} from '../../source/farm/farm-error.js';
import {
	FarmConnection,
	farmKeyPrefix,
	farmNamespace,
	parseRedisUrl,
	redisOptions,
	resolveFarmSettings,
} from '../../source/farm/redis-settings.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {rememberSecret} from '../helpers/secret-scan.js';

describe('parseRedisUrl', () => {
	it('reads redis:// with user, password and database, and hides the password in the display form', () => {
		const password = rememberSecret('s3cr3t/p@ss:word');
		const settings = parseRedisUrl(`redis://farm:${encodeURIComponent(password)}@redis.lan:6380/2`);
		expect(settings).toMatchObject({scheme: 'redis', host: 'redis.lan', port: 6380, db: 2, username: 'farm', password});
		expect(settings.display).toBe('redis://farm:***@redis.lan:6380/2');
	});

	it('reads rediss:// with a password only, IPv6 hosts and the default port', () => {
		const settings = parseRedisUrl('rediss://:hunter2-secret@[::1]');
		expect(settings).toMatchObject({scheme: 'rediss', host: '::1', port: 6379, db: 0, username: undefined, password: 'hunter2-secret'});
		expect(settings.display).toBe('rediss://:***@[::1]:6379');
		expect(parseRedisUrl('redis://localhost').display).toBe('redis://localhost:6379');
	});

	it('refuses what it cannot use with a message that never repeats the password', () => {
		const password = rememberSecret('top-secret-pw-61');
		const bad = [
			`http://u:${password}@host`,
			`redis://u:${password}@`,
			`redis://u:${password}@host/${password}`,
			`redis://u:${password}@host/0?password=${password}`,
			`not a url ${password}`,
			`redis://u:${password}@host:99999`,
		];
		for (const url of bad) {
			let error: unknown;
			try {
				parseRedisUrl(url);
			} catch (caught) {
				error = caught;
			}
			expect(error, url.replace(password, '…')).toBeInstanceOf(FarmConfigError);
			expect((error as Error).message).not.toContain(password);
			expect((error as Error).message).toMatch(/FRAMEIO_REDIS_URL/);
		}
	});
});

describe('resolveFarmSettings', () => {
	it('is null without a Redis URL: farm mode stays off', () => {
		expect(resolveFarmSettings({env: {}})).toBeNull();
		expect(resolveFarmSettings({env: {FRAMEIO_REDIS_URL: '  '}, config: {}})).toBeNull();
	});

	it('takes the environment over the config file, and names the node after the host by default', () => {
		const fromConfig = resolveFarmSettings({env: {}, config: {redis_url: 'redis://cfg-host'}, hostname: 'render-07'});
		expect(fromConfig).toMatchObject({redis: {host: 'cfg-host'}, nodeName: 'render-07'});
		const fromEnv = resolveFarmSettings({
			env: {FRAMEIO_REDIS_URL: 'redis://env-host', FRAMEIO_NODE_NAME: 'node-12'},
			config: {redis_url: 'redis://cfg-host', node_name: 'cfg-node'},
		});
		expect(fromEnv).toMatchObject({redis: {host: 'env-host'}, nodeName: 'node-12'});
		expect(() => resolveFarmSettings({env: {}, config: {redis_url: 'ftp://x'}})).toThrow(/farm\.redis_url/);
		expect(() => resolveFarmSettings({env: {FRAMEIO_REDIS_URL: 'redis://x', FRAMEIO_NODE_NAME: 'bad name\u001b[2J'}})).toThrow(FarmConfigError);
	});
});

describe('farm namespace', () => {
	it('is a short hash of (API origin, account user): the same origin however written, different users apart', () => {
		const a = farmNamespace({apiOrigin: 'https://api.frame.io', accountUserId: 'user-1'});
		expect(a).toMatch(/^[0-9a-f]{16}$/);
		expect(farmNamespace({apiOrigin: 'https://API.frame.io/v4/', accountUserId: 'user-1'})).toBe(a);
		expect(farmNamespace({apiOrigin: 'https://api.frame.io', accountUserId: 'user-2'})).not.toBe(a);
		expect(farmNamespace({apiOrigin: 'http://[::1]:8080', accountUserId: 'user-1'})).not.toBe(a);
		expect(farmKeyPrefix({apiOrigin: 'http://[::1]:8080', accountUserId: 'user-1'})).toMatch(/^frameio-admin:[0-9a-f]{16}:$/);
	});
});

describe('farm connection', () => {
	let server: RedisServer;
	const password = rememberSecret(`pw-${randomUUID()}`);
	beforeAll(async () => {
		server = await startRedisServer({password});
	});
	afterAll(async () => {
		await server?.close();
	});

	it('fails fast instead of queueing, and reconnects forever', () => {
		const tls = redisOptions(parseRedisUrl('rediss://h'), 'p:', {nodeName: 'n'});
		expect(tls.tls).toEqual({servername: 'h'});
		const plain = redisOptions(parseRedisUrl('redis://h'), 'p:', {nodeName: 'n'});
		expect(plain).toMatchObject({tls: undefined, keyPrefix: 'p:', enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false});
		for (const attempt of [1, 5, 50, 5000]) {
			const delay = plain.retryStrategy!(attempt);
			expect(delay).toBeGreaterThan(0);
			expect(delay).toBeLessThanOrEqual(2500);
		}
	});

	it('connects with the password from the URL and records the readable identity under its namespace', async () => {
		const identity = {apiOrigin: 'https://api.frame.io', accountUserId: randomUUID()};
		const connection = new FarmConnection(parseRedisUrl(server.url), {identity, nodeName: 'node-a'});
		try {
			await connection.ready(5000);
			expect(connection.display).toBe(`redis://:***@127.0.0.1:${server.port}`);
			const stored = await new Promise<string | null>(resolve => {
				const poll = async () => {
					const value = await connection.redis.get('identity');
					if (value) resolve(value);
					else setTimeout(poll, 10);
				};
				void poll();
			});
			expect(JSON.parse(stored!)).toEqual(identity);
			expect(await connection.redis.client('GETNAME')).toBe('frameio-admin:node-a');
		} finally {
			await connection.close();
		}
	});

	it('a wrong password is FarmUnavailableError, whose message holds neither password', async () => {
		const wrong = rememberSecret(`wrong-${randomUUID()}`);
		const errors: Error[] = [];
		const connection = new FarmConnection(parseRedisUrl(`redis://:${wrong}@127.0.0.1:${server.port}`), {
			identity: {apiOrigin: 'https://api.frame.io', accountUserId: 'u'},
			nodeName: 'node-a',
			onError: error => errors.push(error),
		});
		try {
			const error = await connection.ready(1500).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(FarmUnavailableError);
			const text = `${(error as Error).message} ${errors.map(e => e.message).join(' ')}`;
			expect(text).not.toContain(wrong);
			expect(text).not.toContain(password);
		} finally {
			await connection.close();
		}
	});

	it('with nothing listening, ready() gives up at its timeout with FarmUnavailableError', async () => {
		const closed = await startRedisServer();
		const port = closed.port;
		await closed.close();
		const connection = new FarmConnection(parseRedisUrl(`redis://127.0.0.1:${port}`), {
			identity: {apiOrigin: 'https://api.frame.io', accountUserId: 'u'},
			nodeName: 'node-a',
		});
		try {
			await expect(connection.ready(300)).rejects.toBeInstanceOf(FarmUnavailableError);
			await expect(connection.redis.get('x')).rejects.toThrow();
		} finally {
			await connection.close();
		}
	});
});
