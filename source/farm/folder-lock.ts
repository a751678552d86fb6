// No duplicate folders across nodes: find-or-create of one (parent, name) runs under a farm-wide lock. The lock is
// a key set only if absent, with an expiry (a node that dies mid-create frees it by itself), holding a value only
// its owner knows (so a late owner whose lock expired cannot release or extend the next owner's), and a fencing
// number from one counter that only grows (so "who came later" is always decidable).
//
// Frame.io does not take a fencing token, so the fence cannot stop a POST at the server. What closes the window in
// practice: the holder extends its lock while it works, and checks isHeld() right before it creates; a node that
// lost its lock (paused past the expiry) learns so there and must find again instead of creating.
import {randomUUID} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import {farmCall, isFarmUnavailable} from './farm-error.js';
import {LuaScript} from './lua-script.js';
import type {FarmConnection} from './redis-settings.js';

export type FolderLockHandle = {
	readonly parentId: string;
	readonly name: string;
	/** Grows with every acquisition in the farm: a later holder always has a larger fence. */
	readonly fence: number;
	/** The value stored in the lock: only its owner knows it. */
	readonly token: string;
	readonly ttlMs: number;
};

export type WithLockOptions = {
	/** How long to wait for a busy lock; default 30 s, then FolderLockTimeoutError. */
	waitMs?: number;
	/** The lock's expiry, renewed every third of it while fn runs; default 15 s. */
	ttlMs?: number;
	signal?: AbortSignal;
};

/** What fn gets inside withLock. */
export type HeldFolderLock = FolderLockHandle & {
	/** False once a renewal found the lock taken or gone. */
	readonly lost: boolean;
	/** The fencing check: throws FolderLockLostError unless this lock is still ours, now. Call it right before creating. */
	assertHeld(): Promise<void>;
};

export interface FolderLock {
	/** The lock, or null when another owner holds it. */
	tryAcquire(parentId: string, name: string, ttlMs?: number): Promise<FolderLockHandle | null>;
	/** Releases the lock if it is still this handle's; false when it had expired or passed to another owner. */
	release(handle: FolderLockHandle): Promise<boolean>;
	/** Resets the expiry if the lock is still this handle's. */
	extend(handle: FolderLockHandle, ttlMs?: number): Promise<boolean>;
	isHeld(handle: FolderLockHandle): Promise<boolean>;
	/** Waits for the lock (polling, up to waitMs), runs fn holding it, renews it meanwhile, releases it after. */
	withLock<T>(parentId: string, name: string, fn: (lock: HeldFolderLock) => Promise<T>, options?: WithLockOptions): Promise<T>;
}

export class FolderLockTimeoutError extends Error {
	constructor(
		readonly parentId: string,
		readonly folderName: string,
		waitedMs: number,
	) {
		super(`another node held the lock on folder ${JSON.stringify(folderName)} for more than ${waitedMs} ms`);
		this.name = 'FolderLockTimeoutError';
	}
}

export class FolderLockLostError extends Error {
	constructor(readonly handle: FolderLockHandle) {
		super(`the lock on folder ${JSON.stringify(handle.name)} (fence ${handle.fence}) expired or passed to another node`);
		this.name = 'FolderLockLostError';
	}
}

const DEFAULT_TTL_MS = 15_000;
const DEFAULT_WAIT_MS = 30_000;
export const FENCE_KEY = 'lock:fence';

// KEYS[1] the lock, KEYS[2] the fence counter; ARGV[1] the owner's secret, ARGV[2] the expiry.
// Replies {fence, 0} when taken, {0, pttl of the holder} when busy.
const ACQUIRE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('PTTL', KEYS[1])} end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. ':' .. ARGV[1], 'NX', 'PX', ARGV[2])
return {fence, 0}
`);

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

export class RedisFolderLock implements FolderLock {
	constructor(private readonly connection: FarmConnection) {}

	async tryAcquire(parentId: string, name: string, ttlMs = DEFAULT_TTL_MS): Promise<FolderLockHandle | null> {
		return (await this.attempt(parentId, name, ttlMs)).handle;
	}

	async release(handle: FolderLockHandle): Promise<boolean> {
		const reply = await farmCall(this.connection.redis, 'folder lock release', () =>
			RELEASE.run(this.connection.redis, [folderLockKey(handle.parentId, handle.name)], [handle.token]),
		);
		return reply === 1;
	}

	async extend(handle: FolderLockHandle, ttlMs = handle.ttlMs): Promise<boolean> {
		const reply = await farmCall(this.connection.redis, 'folder lock extend', () =>
			EXTEND.run(this.connection.redis, [folderLockKey(handle.parentId, handle.name)], [handle.token, Math.ceil(ttlMs)]),
		);
		return reply === 1;
	}

	async isHeld(handle: FolderLockHandle): Promise<boolean> {
		const value = await farmCall(this.connection.redis, 'folder lock check', () =>
			this.connection.redis.get(folderLockKey(handle.parentId, handle.name)),
		);
		return value === handle.token;
	}

	async withLock<T>(parentId: string, name: string, fn: (lock: HeldFolderLock) => Promise<T>, options: WithLockOptions = {}): Promise<T> {
		const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
		const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
		const handle = await this.waitFor(parentId, name, ttlMs, waitMs, options.signal);
		let lost = false;
		let renewedAt = Date.now();
		const renew = async () => {
			try {
				if (await this.extend(handle, ttlMs)) renewedAt = Date.now();
				else lost = true;
			} catch (error) {
				// Redis away: the lock may still stand, until its expiry passes unrenewed.
				if (!isFarmUnavailable(error) || Date.now() - renewedAt >= ttlMs) lost = true;
			}
		};
		const timer = setInterval(() => void renew(), Math.max(10, Math.floor(ttlMs / 3)));
		timer.unref();
		const held: HeldFolderLock = {
			...handle,
			get lost() {
				return lost;
			},
			assertHeld: async () => {
				if (lost || !(await this.isHeld(handle))) {
					lost = true;
					throw new FolderLockLostError(handle);
				}
			},
		};
		try {
			return await fn(held);
		} finally {
			clearInterval(timer);
			// A release that cannot reach Redis is left to the expiry: fn's outcome matters more.
			await this.release(handle).catch(error => {
				if (!isFarmUnavailable(error)) throw error;
			});
		}
	}

	private async attempt(parentId: string, name: string, ttlMs: number): Promise<{handle: FolderLockHandle | null; holderTtlMs: number}> {
		if (!(ttlMs >= 1)) throw new RangeError(`ttlMs must be ≥ 1, got ${ttlMs}`);
		const secret = randomUUID();
		const reply = (await farmCall(this.connection.redis, 'folder lock acquire', () =>
			ACQUIRE.run(this.connection.redis, [folderLockKey(parentId, name), FENCE_KEY], [secret, Math.ceil(ttlMs)]),
		)) as [number, number];
		const [fence, holderTtlMs] = reply;
		if (fence === 0) return {handle: null, holderTtlMs};
		return {handle: {parentId, name, fence, token: `${fence}:${secret}`, ttlMs}, holderTtlMs: 0};
	}

	private async waitFor(parentId: string, name: string, ttlMs: number, waitMs: number, signal?: AbortSignal): Promise<FolderLockHandle> {
		const started = Date.now();
		let backoff = 10;
		for (;;) {
			signal?.throwIfAborted();
			const {handle, holderTtlMs} = await this.attempt(parentId, name, ttlMs);
			if (handle) return handle;
			const left = started + waitMs - Date.now();
			if (left <= 0) throw new FolderLockTimeoutError(parentId, name, waitMs);
			// Poll: a release is not announced. Doubling up to 250 ms keeps a short create snappy and a long one cheap;
			// never sleep past the holder's expiry, and jitter so that waiters on several nodes do not collide.
			backoff = Math.min(250, backoff * 2);
			const pause = Math.min(backoff, holderTtlMs > 0 ? holderTtlMs : backoff, left) * (0.5 + Math.random() * 0.5);
			await sleep(Math.max(1, pause), undefined, {signal});
		}
	}
}

/** Parent id and name are percent-encoded so that `:` in either cannot make two pairs share one key. */
export function folderLockKey(parentId: string, name: string): string {
	return `lock:folder:${encodeURIComponent(parentId)}:${encodeURIComponent(name)}`;
}
