// One cache for the farm: a purge or an invalidation on any node (a console, a CLI, a worker) is published on the
// farm's channel, and every other process drops the same entries from its in-memory layer within a second.
//
// Pub/sub delivers at most once: a process that was disconnected misses what was published meanwhile. So each
// reconnection of the subscriber is reported (onGap), and the cache should then drop its in-memory layer (or
// whatever it cannot vouch for), since Redis itself, the second layer, was purged directly.
import {randomUUID} from 'node:crypto';
import type {Redis} from 'ioredis';
import {farmCall} from './farm-error.js';
import {closeQuietly, waitUntilReady, type FarmConnection} from './redis-settings.js';

export type Invalidation =
	| {kind: 'invalidate'; keys: string[]}
	| {kind: 'purge'; all: true}
	| {kind: 'purge'; pattern: string};

/**
 * The sender is one process, not one node: the CLI and a watch daemon on the same machine share a node name, and
 * the daemon must still hear the CLI's purge. `at` is the sender's clock, for display only.
 */
export type ReceivedInvalidation = Invalidation & {origin: {node: string; instance: string}; at: number};

export type InvalidationListener = (message: ReceivedInvalidation) => void;

export type SubscribeOptions = {
	/** The subscriber reconnected: messages may have been missed while it was away. */
	onGap?: () => void;
	/** How long the first subscription may wait for Redis; default 3 s, then FarmUnavailableError. */
	readyTimeoutMs?: number;
};

export interface InvalidationBus {
	/** Sends to every subscribed process of the farm; resolves with how many received it (this one's included). */
	publish(invalidation: Invalidation): Promise<number>;
	/** Listens for the other processes' messages (never this instance's own). */
	subscribe(listener: InvalidationListener, options?: SubscribeOptions): Promise<void>;
	/** Messages received that were not valid invalidations (ignored). */
	readonly dropped: number;
	close(): Promise<void>;
}

const MAX_KEYS = 10_000;

export class RedisInvalidationBus implements InvalidationBus {
	readonly instance: string;
	private subscriber: Redis | null = null;
	private droppedCount = 0;

	constructor(
		private readonly connection: FarmConnection,
		options: {instance?: string} = {},
	) {
		this.instance = options.instance ?? randomUUID();
	}

	/** Pub/sub channels are not keys: ioredis does not prefix them, so the farm prefix is added here. */
	get channel(): string {
		return `${this.connection.prefix}invalidations`;
	}

	get dropped(): number {
		return this.droppedCount;
	}

	async publish(invalidation: Invalidation): Promise<number> {
		const problem = invalidationProblem(invalidation);
		if (problem) throw new RangeError(`not an invalidation: ${problem}`);
		const message: ReceivedInvalidation = {...invalidation, origin: {node: this.connection.nodeName, instance: this.instance}, at: Date.now()};
		return farmCall(this.connection.redis, 'publish invalidation', () => this.connection.redis.publish(this.channel, JSON.stringify(message)));
	}

	async subscribe(listener: InvalidationListener, options: SubscribeOptions = {}): Promise<void> {
		if (this.subscriber) throw new Error('this bus is already subscribed');
		// A connection in subscriber mode can run nothing else: it gets its own.
		const subscriber = this.connection.duplicate();
		this.subscriber = subscriber;
		try {
			await waitUntilReady(subscriber, options.readyTimeoutMs ?? 3000, 'subscribe to invalidations');
			await farmCall(subscriber, 'subscribe to invalidations', () => subscriber.subscribe(this.channel));
		} catch (error) {
			this.subscriber = null;
			await closeQuietly(subscriber);
			throw error;
		}
		subscriber.on('message', (channel: string, text: string) => {
			if (channel !== this.channel) return;
			const message = parseMessage(text);
			if (!message) {
				this.droppedCount++;
				return;
			}
			if (message.origin.instance === this.instance) return;
			listener(message);
		});
		// ioredis subscribes again by itself after a reconnection; every 'ready' after the first is one.
		subscriber.on('ready', () => options.onGap?.());
	}

	async close(): Promise<void> {
		const subscriber = this.subscriber;
		this.subscriber = null;
		if (subscriber) await closeQuietly(subscriber);
	}
}

function parseMessage(text: string): ReceivedInvalidation | null {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return null;
	}
	if (!isRecord(value) || invalidationProblem(value)) return null;
	const origin = value.origin;
	if (!isRecord(origin) || typeof origin.node !== 'string' || typeof origin.instance !== 'string') return null;
	if (typeof value.at !== 'number') return null;
	return value as ReceivedInvalidation;
}

/** Why a value is not a valid Invalidation, or null when it is. */
function invalidationProblem(value: Record<string, unknown> | Invalidation): string | null {
	const record = value as Record<string, unknown>;
	if (record.kind === 'invalidate') {
		const keys = record.keys;
		if (!Array.isArray(keys) || keys.length === 0) return 'invalidate needs keys';
		if (keys.length > MAX_KEYS) return `more than ${MAX_KEYS} keys`;
		if (!keys.every(key => typeof key === 'string' && key !== '')) return 'keys must be non-empty strings';
		return null;
	}
	if (record.kind === 'purge') {
		if (record.all === true && record.pattern === undefined) return null;
		if (record.all === undefined && typeof record.pattern === 'string' && record.pattern !== '') return null;
		return 'purge needs all: true or a non-empty pattern';
	}
	return 'kind must be invalidate or purge';
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
