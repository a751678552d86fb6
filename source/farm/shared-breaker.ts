// One breaker for the farm: when Frame.io is down, the first nodes to see it open the breaker for all, and when the
// timeout is up exactly one node probes (it holds a probe lease) instead of every node sending its own probe.
// The rules are the local CircuitBreaker's (source/frameio/circuit-breaker.ts), applied to one Redis hash by one
// script, on the server's clock; this file does not import it, so the two are kept alike by hand.
import {randomUUID} from 'node:crypto';
import {farmCall} from './farm-error.js';
import {LUA_NOW, LUA_NUM, LuaScript} from './lua-script.js';
import type {FarmConnection} from './redis-settings.js';

export type SharedBreakerState = 'closed' | 'open' | 'half-open';

export type SharedBreakerPermit = {probe: boolean};

export type SharedBreakerSnapshot = {
	state: SharedBreakerState;
	/** Consecutive failed calls across the farm; any success resets it. */
	consecutiveFailures: number;
	/** How many times it opened (since the key was created). */
	opens: number;
	openedAt: number | null;
	/** When an open breaker lets one probe through (server time, ms). */
	retryAt: number | null;
	/** The node whose failure opened it. */
	openedBy: string | null;
	/** The node holding the probe lease, while half-open. */
	probeBy: string | null;
	lastChangeAt: number | null;
	/** The server's time when this was read. */
	at: number;
};

export type SharedBreakerDecision = {
	/** Null: refuse the call now. */
	permit: SharedBreakerPermit | null;
	/** While refused: how long until the breaker may let a call through. */
	retryInMs: number;
	snapshot: SharedBreakerSnapshot;
};

export interface SharedBreaker {
	tryAcquire(): Promise<SharedBreakerDecision>;
	/** The call got an answer that shows the service works. */
	success(permit: SharedBreakerPermit): Promise<SharedBreakerSnapshot>;
	/** The call failed in a way that counts (network, timeout, 5xx, 429 after its retries). */
	failure(permit: SharedBreakerPermit): Promise<SharedBreakerSnapshot>;
	/** The call ended without telling anything about the service: gives back a probe lease. */
	release(permit: SharedBreakerPermit): Promise<SharedBreakerSnapshot>;
	read(): Promise<SharedBreakerSnapshot>;
}

export type SharedBreakerOptions = {
	threshold: number;
	timeoutMs: number;
	/**
	 * How long a probe may stay unanswered before another node may probe (its node may have died); default 30 s,
	 * about one request's timeout.
	 */
	probeLeaseMs?: number;
};

export const BREAKER_KEY = 'breaker';
// The state lives as long as it is used; an abandoned farm's breaker goes away after a day.
const KEY_TTL_MS = 24 * 3600 * 1000;

// ARGV: op, node, owner (this process), threshold, timeoutMs, probeLeaseMs, probe (1/0).
// Replies {verdict, retryInMs, state, failures, opens, openedAt, openUntil, openedBy, probeBy, changedAt, now}.
const BREAKER = new LuaScript(`${LUA_NOW}${LUA_NUM}
local op, node, owner = ARGV[1], ARGV[2], ARGV[3]
local threshold, timeout, lease = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local probe = ARGV[7] == '1'
local h = redis.call('HGETALL', KEYS[1])
local s = {}
for i = 1, #h, 2 do s[h[i]] = h[i + 1] end
local state = s.state or 'closed'
local failures = tonumber(s.failures) or 0
local opens = tonumber(s.opens) or 0
local openedAt = tonumber(s.openedAt)
local openUntil = tonumber(s.openUntil)
local openedBy = s.openedBy or ''
local probeBy = s.probeBy or ''
local probeOwner = s.probeOwner or ''
local probeUntil = tonumber(s.probeUntil) or 0
local changedAt = tonumber(s.changedAt)
local dirty = false
local function become(next)
  if state ~= next then state = next; changedAt = now end
  dirty = true
end
local function open()
  openedAt = now; openUntil = now + timeout; openedBy = node; opens = opens + 1
  probeBy = ''; probeOwner = ''; probeUntil = 0
  become('open')
end
local function clearProbe()
  if probe and probeOwner == owner then probeBy = ''; probeOwner = ''; probeUntil = 0; dirty = true end
end
local verdict, retry = 'ok', 0
if op == 'acquire' then
  if state == 'open' and openUntil and now >= openUntil then become('half-open') end
  if state == 'open' then
    verdict, retry = 'refused', openUntil - now
  elseif state == 'half-open' then
    if probeOwner ~= '' and now < probeUntil then
      verdict, retry = 'refused', probeUntil - now
    else
      verdict = 'probe'; probeBy = node; probeOwner = owner; probeUntil = now + lease; dirty = true
    end
  else
    verdict = 'normal'
  end
elseif op == 'success' then
  clearProbe()
  if failures ~= 0 then failures = 0; dirty = true end
  -- A late answer to a call sent before the breaker opened does not close it: only the probe does.
  if state ~= 'closed' and not (state == 'open' and not probe) then
    openedAt = nil; openUntil = nil; openedBy = ''; probeBy = ''; probeOwner = ''; probeUntil = 0
    become('closed')
  end
elseif op == 'failure' then
  clearProbe()
  failures = failures + 1; dirty = true
  if state == 'half-open' or (state == 'closed' and failures >= threshold) then open() end
elseif op == 'release' then
  clearProbe()
end
if dirty then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'state', state, 'failures', failures, 'opens', opens, 'openedBy', openedBy,
    'probeBy', probeBy, 'probeOwner', probeOwner, 'probeUntil', num(probeUntil))
  if openedAt then redis.call('HSET', KEYS[1], 'openedAt', num(openedAt), 'openUntil', num(openUntil)) end
  if changedAt then redis.call('HSET', KEYS[1], 'changedAt', num(changedAt)) end
  redis.call('PEXPIRE', KEYS[1], ${KEY_TTL_MS})
end
-- An open breaker whose time is up reads as half-open even before the next call arrives.
local shown = state
if state == 'open' and openUntil and now >= openUntil then shown = 'half-open' end
return {verdict, num(retry), shown, failures, opens, openedAt and num(openedAt) or '', openUntil and num(openUntil) or '',
  openedBy, probeBy, changedAt and num(changedAt) or '', num(now)}
`);

type Reply = [string, string, SharedBreakerState, number, number, string, string, string, string, string, string];

export class RedisSharedBreaker implements SharedBreaker {
	/** This process: the probe lease is released only by the process that holds it. */
	private readonly owner = randomUUID();

	constructor(
		private readonly connection: FarmConnection,
		private readonly options: SharedBreakerOptions,
	) {
		if (!(options.threshold >= 1) || !(options.timeoutMs >= 0)) throw new RangeError('a breaker needs threshold ≥ 1 and timeoutMs ≥ 0');
	}

	async tryAcquire(): Promise<SharedBreakerDecision> {
		const reply = await this.run('acquire', false);
		const verdict = reply[0];
		return {
			permit: verdict === 'refused' ? null : {probe: verdict === 'probe'},
			retryInMs: verdict === 'refused' ? Math.max(0, Number(reply[1])) : 0,
			snapshot: snapshot(reply),
		};
	}

	async success(permit: SharedBreakerPermit): Promise<SharedBreakerSnapshot> {
		return snapshot(await this.run('success', permit.probe));
	}

	async failure(permit: SharedBreakerPermit): Promise<SharedBreakerSnapshot> {
		return snapshot(await this.run('failure', permit.probe));
	}

	async release(permit: SharedBreakerPermit): Promise<SharedBreakerSnapshot> {
		return snapshot(await this.run('release', permit.probe));
	}

	async read(): Promise<SharedBreakerSnapshot> {
		return snapshot(await this.run('read', false));
	}

	private async run(op: string, probe: boolean): Promise<Reply> {
		const {threshold, timeoutMs, probeLeaseMs = 30_000} = this.options;
		return (await farmCall(this.connection.redis, `breaker ${op}`, () =>
			BREAKER.run(this.connection.redis, [BREAKER_KEY], [op, this.connection.nodeName, this.owner, threshold, timeoutMs, probeLeaseMs, probe ? 1 : 0]),
		)) as Reply;
	}
}

function snapshot(reply: Reply): SharedBreakerSnapshot {
	const [, , state, failures, opens, openedAt, openUntil, openedBy, probeBy, changedAt, now] = reply;
	const time = (text: string) => (text === '' ? null : Number(text));
	return {
		state,
		consecutiveFailures: Number(failures),
		opens: Number(opens),
		openedAt: time(openedAt),
		retryAt: state === 'closed' ? null : time(openUntil),
		openedBy: openedBy || null,
		probeBy: probeBy || null,
		lastChangeAt: time(changedAt),
		at: Number(now),
	};
}
