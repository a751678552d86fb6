// Alerts once per farm: when 40 nodes see Frame.io fail, the admin gets one Discord message naming the 40 nodes,
// not 40 messages. Each node evaluates its rules as today and reports to Redis that a rule holds (or no longer
// holds) on it; one script decides, for the whole farm, whether this is the moment to raise (first firing of an
// episode, or a reminder once the cooldown has passed) or to resolve (no node holds it any more), and tells the
// one node whose report made it so. The timing rules are the local AlertEngine's (source/metrics/alert-engine.ts).
//
// Per rule: `alert:<rule>` (hash: active, notified, since), `alert:<rule>:holders` (sorted set: process → expiry)
// and `alert:<rule>:cooldown` (a key whose life is the cooldown, set only if absent). A holder that stops
// reporting (its node died) expires from the set; sweep() then resolves the episode.
import {randomUUID} from 'node:crypto';
import {farmCall} from './farm-error.js';
import {LUA_NOW, LUA_NUM, LuaScript} from './lua-script.js';
import type {FarmConnection} from './redis-settings.js';

export type FarmAlertAction =
	/** This node sends the firing message (first of the episode, or a reminder after the cooldown). */
	| 'raise'
	/** This node sends the resolved message: no node holds the condition any more. */
	| 'resolve'
	| 'none';

export type FarmAlertTransition = {
	action: FarmAlertAction;
	/** The nodes the condition holds on now (for the message), sorted. */
	nodes: string[];
	/** When the farm's episode started (server time), null when none is active. */
	since: number | null;
};

export type HoldOptions = {
	/** The rule's cooldown: 0 means one firing per episode, no reminders. */
	cooldownMs: number;
	/** How long this report stands unless renewed; default 30 s. Report again well within it while it holds. */
	holdTtlMs?: number;
};

export interface AlertDedupe {
	/** The rule's condition holds on this node. */
	hold(rule: string, options: HoldOptions): Promise<FarmAlertTransition>;
	/** The rule's condition no longer holds on this node. */
	clear(rule: string): Promise<FarmAlertTransition>;
	/** Drops reports that expired (their nodes died); resolves the episode if none is left. */
	sweep(rule: string): Promise<FarmAlertTransition>;
}

// Expired holders drop out before anything is decided.
// KEYS: hash, holders, cooldown. ARGV: op, member, holdTtlMs, cooldownMs.
// Replies {action, since or '', member...}.
const ALERT = new LuaScript(`${LUA_NOW}${LUA_NUM}
local op, member = ARGV[1], ARGV[2]
local holdTtl, cooldown = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', num(now))
local active = redis.call('HGET', KEYS[1], 'active') == '1'
local notified = redis.call('HGET', KEYS[1], 'notified') == '1'
local since = tonumber(redis.call('HGET', KEYS[1], 'since'))
local action = 'none'
if op == 'hold' then
  redis.call('ZADD', KEYS[2], num(now + holdTtl), member)
  redis.call('PEXPIRE', KEYS[2], holdTtl)
  if not active then
    active = true; notified = false; since = now
  end
  local due
  if cooldown > 0 then
    due = redis.call('SET', KEYS[3], member, 'NX', 'PX', cooldown) ~= false
  else
    due = not notified
  end
  if due then action = 'raise'; notified = true end
  redis.call('HSET', KEYS[1], 'active', '1', 'notified', notified and '1' or '0', 'since', num(since))
  redis.call('PEXPIRE', KEYS[1], 86400000)
else
  if op == 'clear' then redis.call('ZREM', KEYS[2], member) end
  if active and redis.call('ZCARD', KEYS[2]) == 0 then
    if notified then action = 'resolve' end
    redis.call('HSET', KEYS[1], 'active', '0', 'notified', '0')
    redis.call('HDEL', KEYS[1], 'since')
    since = nil
  end
end
local out = {action, since and num(since) or ''}
for _, holder in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do out[#out + 1] = holder end
return out
`);

export class RedisAlertDedupe implements AlertDedupe {
	/** Holders are processes (node/instance): two processes of one node do not clear each other's report. */
	private readonly member: string;

	constructor(
		private readonly connection: FarmConnection,
		options: {instance?: string} = {},
	) {
		this.member = `${encodeURIComponent(connection.nodeName)}/${options.instance ?? randomUUID().slice(0, 8)}`;
	}

	hold(rule: string, options: HoldOptions): Promise<FarmAlertTransition> {
		const holdTtlMs = options.holdTtlMs ?? 30_000;
		if (!(holdTtlMs >= 1) || !(options.cooldownMs >= 0)) throw new RangeError('holdTtlMs must be ≥ 1 and cooldownMs ≥ 0');
		return this.run('hold', rule, holdTtlMs, options.cooldownMs);
	}

	clear(rule: string): Promise<FarmAlertTransition> {
		return this.run('clear', rule, 1, 0);
	}

	sweep(rule: string): Promise<FarmAlertTransition> {
		return this.run('sweep', rule, 1, 0);
	}

	private async run(op: string, rule: string, holdTtlMs: number, cooldownMs: number): Promise<FarmAlertTransition> {
		const base = alertKey(rule);
		const reply = (await farmCall(this.connection.redis, `alert ${op}`, () =>
			ALERT.run(this.connection.redis, [base, `${base}:holders`, `${base}:cooldown`], [op, this.member, Math.ceil(holdTtlMs), Math.ceil(cooldownMs)]),
		)) as string[];
		const [action, since, ...members] = reply;
		const nodes = [...new Set(members.map(member => decodeURIComponent(member.slice(0, member.lastIndexOf('/')))))].sort();
		return {action: action as FarmAlertAction, nodes, since: since === '' ? null : Number(since)};
	}
}

export function alertKey(rule: string): string {
	return `alert:${encodeURIComponent(rule)}`;
}
