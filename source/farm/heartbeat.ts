// Nodes seen as a farm: each worker process writes its heartbeat (a JSON summary) under its own key every few
// seconds with an expiry of a few intervals. A process that dies stops writing and its key expires: it leaves the
// list by itself, with no one to clean up. Per-node figures (requests, 429s, uploads) travel inside the heartbeat,
// so the farm's totals are the sum over the live heartbeats and need no counters of their own.
import {randomUUID} from 'node:crypto';
import {farmCall, FarmUnavailableError} from './farm-error.js';
import type {FarmConnection} from './redis-settings.js';

/** What every heartbeat carries, next to whatever the caller adds. */
export type HeartbeatBase = {
	node: string;
	/** This process: several may run on one node (a watch daemon and a console). */
	instance: string;
	version: string | null;
	startedAt: number;
	uptimeMs: number;
	/** The sender's clock. */
	sentAt: number;
	/** The key's expiry when written: with the remaining TTL it gives the heartbeat's age on Redis' clock. */
	ttlMs: number;
};

export type Heartbeat = HeartbeatBase & Record<string, unknown>;

/**
 * What a worker process puts in its beat (HeartbeatOptions.payload returns it), next to the base: the Farm tab and
 * `frameio-admin farm` read these fields. The shape is the node summary the long-running processes send
 * (app/node-summary.ts). A reader gets it from another process, maybe of another version: it checks each field
 * before use (a missing or malformed one reads as unknown) and makes every string printable.
 */
export type HeartbeatPayload = {
	/** What runs: 'console', 'watch' or 'upload'. */
	role?: string;
	health: HeartbeatHealth;
	/** null: the process has no upload queue. */
	uploads: HeartbeatUploads | null;
	requests: HeartbeatRequests;
	breaker: {state: 'closed' | 'open' | 'half-open'; consecutiveFailures: number; opens: number};
	/** The alert rules firing on this process now. */
	alerts: HeartbeatAlert[];
};

/** ok; degraded (an alert, the breaker half-open, Redis lost); failing (the breaker open, the API down, an error alert). */
export type HeartbeatHealth = {status: 'ok' | 'degraded' | 'failing'; reasons: string[]};

/** The process's upload queue: its counts now (done and failed: since the process started), and the files being sent now. */
export type HeartbeatUploads = {
	queued: number;
	uploading: number;
	verifying: number;
	done: number;
	failed: number;
	/** Bytes per second over the active uploads. */
	speed: number;
	/** The active uploads, at most HEARTBEAT_MAX_FILES of them (a beat stays small: 200 are read in one round trip). */
	active: HeartbeatUpload[];
};

export type HeartbeatUpload = {name: string; state: string; percent: number; bytesDone: number; size: number; speed: number};

/** HTTP requests sent to the API (every attempt) and the answers of 429, since the process started and over the last minute. */
export type HeartbeatRequests = {total: number; rateLimited: number; lastMinute: number; rateLimitedLastMinute: number};

export type HeartbeatAlert = {rule: string; level: string; since: number; message: string};

/** How many active uploads a beat lists (the counts cover them all). */
export const HEARTBEAT_MAX_FILES = 20;

export type LiveNode = {
	heartbeat: Heartbeat;
	/** How long ago it was written (from its TTL, so not subject to clock skew). */
	ageMs: number;
	expiresInMs: number;
};

export type HeartbeatOptions = {
	version?: string;
	/** Default 5 s. */
	intervalMs?: number;
	/** Default three intervals: one lost beat does not drop a node from the list. */
	ttlMs?: number;
	/** The caller's part of each beat: a HeartbeatPayload (health summary, uploads, requests, 429s, breaker, alerts). */
	payload?: () => HeartbeatPayload | Record<string, unknown>;
	/** A beat that could not be written (Redis away); the next beat tries again. */
	onError?: (error: unknown) => void;
	instance?: string;
};

export interface HeartbeatPublisher {
	readonly instance: string;
	/** Writes one beat now. */
	beat(): Promise<void>;
	/** Beats now and every interval (the timer does not keep the process alive). */
	start(): void;
	/** Stops beating; by default deletes the key so the node leaves the list at once. */
	stop(options?: {remove?: boolean}): Promise<void>;
}

const HEARTBEAT_PREFIX = 'heartbeat:';
const MAX_BEAT_BYTES = 64 * 1024;

export class RedisHeartbeat implements HeartbeatPublisher {
	readonly instance: string;
	private readonly startedAt = Date.now();
	private readonly intervalMs: number;
	private readonly ttlMs: number;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		private readonly connection: FarmConnection,
		private readonly options: HeartbeatOptions = {},
	) {
		this.instance = options.instance ?? randomUUID().slice(0, 8);
		this.intervalMs = options.intervalMs ?? 5000;
		this.ttlMs = options.ttlMs ?? this.intervalMs * 3;
		if (!(this.ttlMs > this.intervalMs)) throw new RangeError('a heartbeat must outlive its interval (ttlMs > intervalMs)');
	}

	get key(): string {
		return heartbeatKey(this.connection.nodeName, this.instance);
	}

	async beat(): Promise<void> {
		const now = Date.now();
		const beat: Heartbeat = {
			...this.options.payload?.(),
			node: this.connection.nodeName,
			instance: this.instance,
			version: this.options.version ?? null,
			startedAt: this.startedAt,
			uptimeMs: now - this.startedAt,
			sentAt: now,
			ttlMs: this.ttlMs,
		};
		const text = JSON.stringify(beat);
		// 200 nodes are listed in one round trip: a runaway payload must not make that heavy.
		if (Buffer.byteLength(text) > MAX_BEAT_BYTES) throw new RangeError(`a heartbeat is limited to ${MAX_BEAT_BYTES} bytes`);
		await farmCall(this.connection.redis, 'heartbeat', () => this.connection.redis.set(this.key, text, 'PX', this.ttlMs));
	}

	start(): void {
		if (this.timer) return;
		const tick = () => {
			this.beat().catch(error => this.options.onError?.(error));
		};
		tick();
		this.timer = setInterval(tick, this.intervalMs);
		this.timer.unref();
	}

	async stop(options: {remove?: boolean} = {}): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		if (options.remove === false) return;
		try {
			await farmCall(this.connection.redis, 'heartbeat remove', () => this.connection.redis.del(this.key));
		} catch (error) {
			// Left to its expiry.
			if (!(error instanceof FarmUnavailableError)) throw error;
		}
	}
}

/** Every live heartbeat of the farm, by node then instance. Uses SCAN (never KEYS, which blocks the server). */
export async function listLiveNodes(connection: FarmConnection): Promise<LiveNode[]> {
	const {redis, prefix} = connection;
	return farmCall(redis, 'list heartbeats', async () => {
		const keys = new Set<string>();
		let cursor = '0';
		do {
			// MATCH is not prefixed by ioredis and the replies are full names: add and strip the prefix here. The
			// prefix holds no glob characters (the namespace is hex).
			const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}${HEARTBEAT_PREFIX}*`, 'COUNT', 1000);
			for (const key of batch) keys.add(key.slice(prefix.length));
			cursor = next;
		} while (cursor !== '0');
		if (keys.size === 0) return [];
		const pipeline = redis.pipeline();
		for (const key of keys) pipeline.get(key).pttl(key);
		const replies = (await pipeline.exec()) ?? [];
		const nodes: LiveNode[] = [];
		for (let i = 0; i < replies.length; i += 2) {
			const [getError, text] = replies[i];
			const [ttlError, ttl] = replies[i + 1];
			if (getError) throw getError;
			if (ttlError) throw ttlError;
			// Expired between SCAN and GET: gone.
			if (typeof text !== 'string' || typeof ttl !== 'number' || ttl < 0) continue;
			const heartbeat = parseHeartbeat(text);
			if (!heartbeat) continue;
			nodes.push({heartbeat, expiresInMs: ttl, ageMs: Math.max(0, heartbeat.ttlMs - ttl)});
		}
		return nodes.sort((a, b) => a.heartbeat.node.localeCompare(b.heartbeat.node) || a.heartbeat.instance.localeCompare(b.heartbeat.instance));
	});
}

export function heartbeatKey(nodeName: string, instance: string): string {
	return `${HEARTBEAT_PREFIX}${encodeURIComponent(nodeName)}:${encodeURIComponent(instance)}`;
}

function parseHeartbeat(text: string): Heartbeat | null {
	try {
		const value = JSON.parse(text) as Partial<Heartbeat> | null;
		if (!value || typeof value !== 'object' || typeof value.node !== 'string' || typeof value.instance !== 'string') return null;
		if (typeof value.ttlMs !== 'number' || typeof value.sentAt !== 'number') return null;
		return value as Heartbeat;
	} catch {
		return null;
	}
}
