// One rate-limit budget for the whole farm: Frame.io limits each endpoint class per account user with a leaky
// bucket, so every node must draw from one bucket per class. Each bucket is a Redis hash {level, at}; a take is
// one script that drains the level by the time passed (on the server's clock, so skewed nodes agree) and adds the
// cost only if it fits. Nothing is read and then written back by a client, so no two nodes can both see room for
// the last slot.
import {setTimeout as sleep} from 'node:timers/promises';
import {farmCall} from './farm-error.js';
import type {FarmConnection} from './redis-settings.js';
import {LUA_NOW, LUA_NUM, LuaScript} from './lua-script.js';

/** A bucket's size and drain rate, as the local limiter's BucketShape. */
export type BucketShape = {capacity: number; ratePerMs: number};

export type TakeResult =
	/** `at`: the server's time of the take (ms). */
	| {granted: true; level: number; at: number}
	/** `waitMs`: when the cost would fit if nobody else took meanwhile. */
	| {granted: false; waitMs: number; level: number; at: number};

export interface SharedBucket {
	/** One attempt: take `cost` from the class's bucket if it fits now. */
	take(endpointClass: string, shape: BucketShape, cost?: number): Promise<TakeResult>;
	/** Takes, waiting as long as needed but not past deadlineMs (then BucketDeadlineError). */
	acquire(endpointClass: string, shape: BucketShape, options?: AcquireOptions): Promise<TakeResult & {granted: true}>;
	/**
	 * The server said `x-ratelimit-remaining: serverRemaining`: raise the shared level to what that implies (never
	 * lowers it: a header can be older than takes that happened since). Resolves with the level after.
	 */
	correct(endpointClass: string, shape: BucketShape, serverRemaining: number): Promise<number>;
	/** The current levels, drained to now, for display. */
	levels(shapes: Readonly<Record<string, BucketShape>>): Promise<Record<string, number>>;
}

export type AcquireOptions = {cost?: number; deadlineMs?: number; signal?: AbortSignal};

export class BucketDeadlineError extends Error {
	constructor(readonly endpointClass: string) {
		super(`no room in the farm's ${endpointClass} bucket before the deadline`);
		this.name = 'BucketDeadlineError';
	}
}

// A state older than now is drained at the rate; a state "from the future" (the server's clock stepped back, or a
// failover to a replica whose clock is behind) is not drained until the clock catches up.
const DRAIN = `${LUA_NOW}${LUA_NUM}
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1]) or 0
local at = tonumber(state[2]) or now
if now > at then
  level = math.max(0, level - (now - at) * rate)
  at = now
end
local function save()
  redis.call('HSET', KEYS[1], 'level', num(level), 'at', num(at))
  -- An idle bucket drains to empty; then its key goes away and an absent key reads as empty.
  redis.call('PEXPIRE', KEYS[1], math.ceil(level / rate) + 1000)
end
`;

const TAKE = new LuaScript(`${DRAIN}
local cost = tonumber(ARGV[3])
if level + cost <= capacity then
  level = level + cost
  save()
  return {1, '0', num(level), num(now)}
end
save()
return {0, num((level + cost - capacity) / rate), num(level), num(now)}
`);

const CORRECT = new LuaScript(`${DRAIN}
local used = capacity - tonumber(ARGV[3])
if used > level then level = math.min(capacity, used) end
save()
return num(level)
`);

// Read-only: KEYS are the buckets, ARGV their rates in the same order.
const LEVELS = new LuaScript(`${LUA_NOW}${LUA_NUM}
local out = {}
for i, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'level', 'at')
  local level = tonumber(state[1]) or 0
  local at = tonumber(state[2]) or now
  if now > at then level = math.max(0, level - (now - at) * tonumber(ARGV[i])) end
  out[i] = num(level)
end
return out
`);

export class RedisSharedBucket implements SharedBucket {
	constructor(private readonly connection: FarmConnection) {}

	async take(endpointClass: string, shape: BucketShape, cost = 1): Promise<TakeResult> {
		checkShape(shape, cost);
		const reply = (await farmCall(this.connection.redis, 'bucket take', () =>
			TAKE.run(this.connection.redis, [bucketKey(endpointClass)], [shape.capacity, shape.ratePerMs, cost]),
		)) as [number, string, string, string];
		const level = Number(reply[2]);
		const at = Number(reply[3]);
		return reply[0] === 1 ? {granted: true, level, at} : {granted: false, waitMs: Number(reply[1]), level, at};
	}

	async acquire(endpointClass: string, shape: BucketShape, options: AcquireOptions = {}): Promise<TakeResult & {granted: true}> {
		const deadline = options.deadlineMs ?? Number.POSITIVE_INFINITY;
		for (;;) {
			options.signal?.throwIfAborted();
			const result = await this.take(endpointClass, shape, options.cost ?? 1);
			if (result.granted) return result;
			// Waiters on other nodes wake at the same moment for the same slot; a little jitter spreads them so that
			// the winner is a matter of chance, not of who polls on the fastest path.
			const wait = Math.ceil(result.waitMs) + Math.random() * Math.min(20, 1 + result.waitMs * 0.2);
			if (Date.now() + wait > deadline) throw new BucketDeadlineError(endpointClass);
			await sleep(wait, undefined, {signal: options.signal});
		}
	}

	async correct(endpointClass: string, shape: BucketShape, serverRemaining: number): Promise<number> {
		checkShape(shape, 1);
		if (!Number.isFinite(serverRemaining) || serverRemaining < 0) throw new RangeError(`serverRemaining must be ≥ 0, got ${serverRemaining}`);
		const reply = await farmCall(this.connection.redis, 'bucket correct', () =>
			CORRECT.run(this.connection.redis, [bucketKey(endpointClass)], [shape.capacity, shape.ratePerMs, serverRemaining]),
		);
		return Number(reply);
	}

	async levels(shapes: Readonly<Record<string, BucketShape>>): Promise<Record<string, number>> {
		const classes = Object.keys(shapes);
		if (classes.length === 0) return {};
		const reply = (await farmCall(this.connection.redis, 'bucket levels', () =>
			LEVELS.run(
				this.connection.redis,
				classes.map(bucketKey),
				classes.map(name => shapes[name].ratePerMs),
			),
		)) as string[];
		return Object.fromEntries(classes.map((name, index) => [name, Number(reply[index])]));
	}
}

export function bucketKey(endpointClass: string): string {
	return `bucket:${endpointClass}`;
}

function checkShape(shape: BucketShape, cost: number): void {
	if (!(shape.capacity > 0) || !(shape.ratePerMs > 0)) throw new RangeError(`a bucket needs capacity > 0 and ratePerMs > 0`);
	// A cost above the capacity would never fit: refuse it rather than wait forever.
	if (!(cost > 0) || cost > shape.capacity) throw new RangeError(`cost must be in (0, ${shape.capacity}], got ${cost}`);
}
