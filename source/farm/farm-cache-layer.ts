// One cache for the farm (cache/second-layer.ts): Redis is the second layer behind each node's memory, in the
// identity's namespace, and every invalidation and purge goes to every process of the farm (invalidation-bus.ts).
//
// - An entry is `cache:<key>`, a string "<t> <e> <json>" (set and expiry times of the node that fetched it) with the
//   entry's remaining TTL as its Redis expiry.
// - Filled once for all: a miss reads the entry and, when it is absent, claims `fill:<key>` (SET NX PX) in the same
//   script. The claimer fetches from the API and stores; the others poll for the entry until the claim ends, so 4
//   nodes crawling one project list it once, not 4 times.
// - Invalidations: DEL the keys, then PUBLISH, so that a node told about a change never reads the old entry back.
// - Redis lost: reads miss at once (the node fetches for itself), writes and messages are dropped; when the
//   subscription comes back the node drops its memory (messages may have been missed meanwhile).
import {randomUUID} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import type {Logger} from 'pino';
import type {CacheSecondLayer, RemoteChange, SharedEntry, SharedRead} from '../cache/second-layer.js';
import {farmCall} from './farm-error.js';
import type {FarmLink} from './farm-link.js';
import type {InvalidationBus, ReceivedInvalidation} from './invalidation-bus.js';
import {LuaScript} from './lua-script.js';
import type {FarmConnection} from './redis-settings.js';

export type FarmCacheLayerOptions = {
	/** How long a claim to fill a key lasts (and others wait for it); default 15 s. */
	fillClaimMs?: number;
	/** How often a waiting node looks for the entry; default 50 ms. */
	pollMs?: number;
	logger?: Logger;
};

export const ENTRY_PREFIX = 'cache:';
const FILL_PREFIX = 'fill:';
const DEL_BATCH = 500;

// KEYS: entry, claim. ARGV: claim token, claim ms. Replies {entry or '', 1 when this caller now holds the claim}.
const READ = new LuaScript(`
local value = redis.call('GET', KEYS[1])
if value then return {value, 0} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'', 1} end
return {'', 0}
`);

// KEYS: entry, claim. ARGV: claim token, value ('' = nothing to store), ttl ms.
const FILL = new LuaScript(`
if ARGV[2] ~= '' then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`);

const NO_FILL: SharedRead = {entry: null, fill: () => undefined};

export class FarmCacheLayer implements CacheSecondLayer {
	private readonly pending = new Set<Promise<unknown>>();
	private listener: ((change: RemoteChange, origin: string) => void) | null = null;
	private subscribed = false;
	private subscribing = false;
	private failedToSubscribe = false;
	private closed = false;
	private readonly stopWatching: () => void;
	private readonly fillClaimMs: number;
	private readonly pollMs: number;

	constructor(
		private readonly connection: FarmConnection,
		private readonly bus: InvalidationBus,
		private readonly link: FarmLink,
		private readonly options: FarmCacheLayerOptions = {},
	) {
		this.fillClaimMs = options.fillClaimMs ?? 15_000;
		this.pollMs = options.pollMs ?? 50;
		// A subscription that could not be made (Redis away at start) is made when the farm is joined.
		this.stopWatching = link.onChange(() => {
			if (link.status().state === 'joined') void this.subscribe();
		});
	}

	async read(key: string): Promise<SharedRead> {
		if (!this.link.available) return NO_FILL;
		const token = randomUUID();
		const deadline = Date.now() + this.fillClaimMs;
		const redis = this.connection.redis;
		for (;;) {
			let reply: [string, number];
			try {
				reply = (await farmCall(redis, 'cache read', () => READ.run(redis, [entryKey(key), fillKey(key)], [token, this.fillClaimMs]))) as [string, number];
			} catch {
				return NO_FILL;
			}
			const [text, claimed] = reply;
			if (text) {
				const entry = decodeEntry(text);
				return entry ? {entry} : NO_FILL;
			}
			if (Number(claimed) === 1) return {entry: null, fill: entry => this.track(this.fill(key, token, entry))};
			// Another node is fetching it: wait for its entry rather than send the same request.
			if (Date.now() + this.pollMs > deadline) return NO_FILL;
			await sleep(this.pollMs);
		}
	}

	write(key: string, entry: SharedEntry): void {
		const ttl = Math.floor(entry.e - Date.now());
		if (ttl <= 0 || !this.link.available) return;
		const redis = this.connection.redis;
		this.track(farmCall(redis, 'cache write', () => redis.set(entryKey(key), encodeEntry(entry), 'PX', ttl)));
	}

	invalidated(keys: string[]): void {
		if (keys.length === 0 || !this.link.available) return;
		const redis = this.connection.redis;
		this.track(
			(async () => {
				for (let start = 0; start < keys.length; start += DEL_BATCH) {
					const batch = keys.slice(start, start + DEL_BATCH).map(entryKey);
					await farmCall(redis, 'cache invalidate', () => redis.del(...batch));
				}
				for (let start = 0; start < keys.length; start += DEL_BATCH) await this.bus.publish({kind: 'invalidate', keys: keys.slice(start, start + DEL_BATCH)});
			})(),
		);
	}

	purged(rule: {all: true} | {pattern: string}): void {
		if (!this.link.available) {
			this.options.logger?.warn(`Cache purge not sent to the farm: Redis is out of reach (the other nodes keep their entries until their TTL)`);
			return;
		}
		this.track(
			(async () => {
				const removed = await this.deleteMatching('all' in rule ? '*' : `*${globEscape(rule.pattern)}*`);
				await this.bus.publish('all' in rule ? {kind: 'purge', all: true} : {kind: 'purge', pattern: rule.pattern});
				this.options.logger?.info({removed, ...rule}, `Cache purge sent to the farm: ${removed} shared entries removed`);
			})(),
		);
	}

	listen(listener: (change: RemoteChange, origin: string) => void): void {
		this.listener = listener;
		void this.subscribe();
	}

	async settle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	async close(): Promise<void> {
		this.closed = true;
		this.stopWatching();
		await this.settle();
		await this.bus.close();
	}

	private async subscribe(): Promise<void> {
		if (!this.listener || this.subscribed || this.subscribing || this.closed) return;
		this.subscribing = true;
		try {
			await this.bus.subscribe(message => this.listener?.(changeOf(message), message.origin.node), {
				onGap: () => this.listener?.({all: true, gap: true}, 'redis'),
			});
			this.subscribed = true;
			// Subscribed late (Redis was away at start): what was published meanwhile was missed; memory cannot be trusted.
			if (this.failedToSubscribe) this.listener?.({all: true, gap: true}, 'redis');
		} catch {
			// Redis away: subscribed again once the farm is joined.
			this.failedToSubscribe = true;
		} finally {
			this.subscribing = false;
		}
	}

	private async fill(key: string, token: string, entry: SharedEntry | null): Promise<void> {
		const ttl = entry ? Math.floor(entry.e - Date.now()) : 0;
		const value = entry && ttl > 0 ? encodeEntry(entry) : '';
		const redis = this.connection.redis;
		await farmCall(redis, 'cache fill', () => FILL.run(redis, [entryKey(key), fillKey(key)], [token, value, Math.max(1, ttl)]));
	}

	/** SCAN (never KEYS) for entries matching, DEL them in batches; resolves with how many went. */
	private async deleteMatching(glob: string): Promise<number> {
		const {redis, prefix} = this.connection;
		let removed = 0;
		let cursor = '0';
		do {
			const [next, batch] = await farmCall(redis, 'cache purge', () => redis.scan(cursor, 'MATCH', `${prefix}${ENTRY_PREFIX}${glob}`, 'COUNT', 1000));
			cursor = next;
			// SCAN answers full names; DEL adds the prefix again.
			const keys = batch.map(name => name.slice(prefix.length));
			if (keys.length > 0) removed += await farmCall(redis, 'cache purge', () => redis.del(...keys));
		} while (cursor !== '0');
		return removed;
	}

	private track(work: Promise<unknown>): void {
		const tracked = work.catch(() => undefined);
		this.pending.add(tracked);
		void tracked.finally(() => this.pending.delete(tracked));
	}
}

export function entryKey(key: string): string {
	return `${ENTRY_PREFIX}${key}`;
}

function fillKey(key: string): string {
	return `${FILL_PREFIX}${key}`;
}

function encodeEntry(entry: SharedEntry): string {
	return `${entry.t} ${entry.e} ${entry.json}`;
}

function decodeEntry(text: string): SharedEntry | null {
	const first = text.indexOf(' ');
	const second = first < 0 ? -1 : text.indexOf(' ', first + 1);
	if (second < 0) return null;
	const t = Number(text.slice(0, first));
	const e = Number(text.slice(first + 1, second));
	if (!Number.isFinite(t) || !Number.isFinite(e)) return null;
	return {t, e, json: text.slice(second + 1)};
}

function changeOf(message: ReceivedInvalidation): RemoteChange {
	if (message.kind === 'invalidate') return {keys: message.keys};
	return 'all' in message ? {all: true} : {pattern: message.pattern};
}

/** SCAN MATCH reads * ? [ ] and \\ as glob syntax: a pattern containing them must match them literally. */
function globEscape(text: string): string {
	return text.replace(/[*?[\]\\]/g, character => `\\${character}`);
}
