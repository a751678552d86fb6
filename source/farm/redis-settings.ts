// Farm mode's Redis: where it is (FRAMEIO_REDIS_URL or farm.redis_url), what this node is called
// (FRAMEIO_NODE_NAME or farm.node_name, default the host name), how its keys are named, and one connection tuned
// to fail fast and reconnect forever.
import {createHash} from 'node:crypto';
import {Redis, type RedisOptions} from 'ioredis';
import type {RedisSettings} from '../config/farm-settings.js';
import {FarmUnavailableError} from './farm-error.js';
import {loadScripts} from './lua-script.js';

// Parsing lives in config/ (no Redis client loaded for it); re-exported here for the farm's own callers.
export {parseRedisUrl, resolveFarmSettings, type FarmConfigSection, type FarmSettings, type RedisSettings} from '../config/farm-settings.js';

/** Who the farm works for: the same identity that scopes the cache. */
export type FarmIdentity = {apiOrigin: string; accountUserId: string};

/**
 * The namespace is a hash of (API origin, account user id), not the readable pair. An origin holds `:` (our key
 * separator) and, for an IPv6 host, `[` `]`, which are glob characters in SCAN MATCH and PSUBSCRIBE patterns; a
 * hash is also short and fixed in every one of the farm's keys. The readable pair is stored once under
 * `<prefix>identity` so that an admin browsing Redis can tell the farms apart. 16 hex digits (64 bits) make a
 * collision between the handful of farms one Redis serves practically impossible.
 */
export function farmNamespace(identity: FarmIdentity): string {
	const origin = normalizeOrigin(identity.apiOrigin);
	return createHash('sha256').update(`${origin}\n${identity.accountUserId}`).digest('hex').slice(0, 16);
}

export function farmKeyPrefix(identity: FarmIdentity): string {
	return `frameio-admin:${farmNamespace(identity)}:`;
}

function normalizeOrigin(apiOrigin: string): string {
	try {
		return new URL(apiOrigin).origin.toLowerCase();
	} catch {
		return apiOrigin.trim().toLowerCase();
	}
}

export type FarmConnectionOptions = {
	identity: FarmIdentity;
	nodeName: string;
	/** TCP + handshake; default 2000 ms. */
	connectTimeoutMs?: number;
	/** One command's answer; default 1000 ms (a script here runs in microseconds: slower means trouble). */
	commandTimeoutMs?: number;
	/** Told each connection error (already free of secrets), e.g. for a throttled log line. */
	onError?: (error: Error) => void;
};

/**
 * One connection to the farm's Redis, with the farm's key prefix. It connects in the background and reconnects
 * forever; while it is not connected every call fails at once with FarmUnavailableError (no offline queue), so
 * that the node works on locally and rejoins by itself when Redis is back.
 */
export class FarmConnection {
	readonly redis: Redis;
	/** `frameio-admin:<namespace>:`; ioredis adds it to command keys, we add it to SCAN patterns and channels. */
	readonly prefix: string;
	readonly namespace: string;
	readonly nodeName: string;
	readonly display: string;
	private readonly options: RedisOptions;

	constructor(
		settings: RedisSettings,
		private readonly connection: FarmConnectionOptions,
	) {
		this.namespace = farmNamespace(connection.identity);
		this.prefix = `frameio-admin:${this.namespace}:`;
		this.nodeName = connection.nodeName;
		this.display = settings.display;
		this.options = redisOptions(settings, this.prefix, connection);
		this.redis = this.open();
		const identity = JSON.stringify({apiOrigin: normalizeOrigin(connection.identity.apiOrigin), accountUserId: connection.identity.accountUserId});
		// Written at each (re)connect: a few bytes, and an emptied or replaced Redis gets it back; so are the scripts.
		this.redis.on('ready', () => {
			this.redis.set('identity', identity).catch(() => undefined);
			void loadScripts(this.redis);
		});
	}

	get connected(): boolean {
		return this.redis.status === 'ready';
	}

	/** Resolves once connected; FarmUnavailableError after timeoutMs (the connection keeps trying). */
	ready(timeoutMs = 3000): Promise<void> {
		return waitUntilReady(this.redis, timeoutMs, 'connect');
	}

	/** Another connection with the same settings and prefix (a subscriber needs its own). */
	duplicate(): Redis {
		return this.open();
	}

	async close(): Promise<void> {
		await closeQuietly(this.redis);
	}

	private open(): Redis {
		const redis = new Redis(this.options);
		// Without a listener ioredis prints every connection error to the console.
		redis.on('error', (error: Error) => this.connection.onError?.(error));
		return redis;
	}
}

/** The ioredis options of a farm connection (exported for the test that checks them). */
export function redisOptions(settings: RedisSettings, keyPrefix: string, options: Pick<FarmConnectionOptions, 'nodeName' | 'connectTimeoutMs' | 'commandTimeoutMs'>): RedisOptions {
	const commandTimeout = options.commandTimeoutMs ?? 1000;
	return {
		host: settings.host,
		port: settings.port,
		db: settings.db,
		username: settings.username,
		password: settings.password,
		tls: settings.scheme === 'rediss' ? {servername: settings.host} : undefined,
		keyPrefix,
		connectionName: `frameio-admin:${options.nodeName}`,
		connectTimeout: options.connectTimeoutMs ?? 2000,
		commandTimeout,
		// A server that takes a command and never answers (frozen, partitioned): drop the socket and reconnect, so
		// that later calls fail at once instead of each waiting for its own timeout.
		socketTimeout: commandTimeout * 3,
		keepAlive: 10_000,
		// Fail fast instead of queueing: the caller has a local fallback, and a take queued for seconds is worse
		// than a local decision now. A command cut by a lost connection is failed, not sent again after the
		// reconnect (a bucket take or an INCR must not count twice).
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		autoResendUnfulfilledCommands: false,
		// Reconnect forever: 100 ms doubling to 2 s, with jitter so that 200 nodes do not knock at once.
		retryStrategy: times => Math.min(2000, 100 * 2 ** Math.min(times - 1, 5)) * (0.75 + Math.random() * 0.5),
	};
}

export function waitUntilReady(redis: Redis, timeoutMs: number, operation: string): Promise<void> {
	if (redis.status === 'ready') return Promise.resolve();
	return new Promise((resolve, reject) => {
		let lastError: Error | undefined;
		const onError = (error: Error) => (lastError = error);
		const onReady = () => {
			cleanup();
			resolve();
		};
		const onEnd = () => {
			cleanup();
			reject(new FarmUnavailableError(operation, {cause: lastError ?? new Error('connection ended')}));
		};
		const timer = setTimeout(() => {
			cleanup();
			reject(new FarmUnavailableError(operation, {cause: lastError ?? new Error(`not ready within ${timeoutMs} ms`)}));
		}, timeoutMs);
		const cleanup = () => {
			clearTimeout(timer);
			redis.off('ready', onReady);
			redis.off('error', onError);
			redis.off('end', onEnd);
		};
		redis.on('ready', onReady);
		redis.on('error', onError);
		redis.on('end', onEnd);
	});
}

/** QUIT when connected (a clean goodbye), else just drop the socket; never throws. */
export async function closeQuietly(redis: Redis): Promise<void> {
	if (redis.status === 'end') return;
	if (redis.status === 'ready') {
		try {
			await redis.quit();
			return;
		} catch {
			// fall through to disconnect
		}
	}
	redis.disconnect(false);
}
