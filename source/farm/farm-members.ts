// How many processes the farm counts now: the 1/N share a node falls back to when it loses Redis. Each process that
// beats (heartbeat.ts) also renews its line in one sorted set (process → expiry, on the server's clock), and one
// script drops the expired lines and counts the rest: one operation per beat, and a count that does not cost a SCAN
// over every key of the Redis (the cache's entries live there too).
import {farmCall} from './farm-error.js';
import {LUA_NOW, LUA_NUM, LuaScript} from './lua-script.js';
import type {FarmConnection} from './redis-settings.js';

export const MEMBERS_KEY = 'members';

// KEYS[1] the set; ARGV: op ('touch' | 'leave' | 'count'), member, ttlMs. Replies the live count.
const ROLL = new LuaScript(`${LUA_NOW}${LUA_NUM}
local op, member, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', num(now))
if op == 'touch' then
  redis.call('ZADD', KEYS[1], num(now + ttl), member)
  redis.call('PEXPIRE', KEYS[1], ttl)
elseif op == 'leave' then
  redis.call('ZREM', KEYS[1], member)
end
return redis.call('ZCARD', KEYS[1])
`);

export class MemberRoll {
	constructor(private readonly connection: FarmConnection) {}

	/** This process is alive for ttlMs more; resolves with how many are. */
	touch(member: string, ttlMs: number): Promise<number> {
		return this.run('touch', member, ttlMs);
	}

	leave(member: string): Promise<number> {
		return this.run('leave', member, 1);
	}

	count(): Promise<number> {
		return this.run('count', '', 1);
	}

	private async run(op: string, member: string, ttlMs: number): Promise<number> {
		const reply = await farmCall(this.connection.redis, `members ${op}`, () => ROLL.run(this.connection.redis, [MEMBERS_KEY], [op, member, Math.ceil(ttlMs)]));
		return Number(reply);
	}
}
