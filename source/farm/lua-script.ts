// A server-side script sent by its SHA1 (EVALSHA), with one EVAL when the server does not know it yet (a fresh or
// restarted Redis answers NOSCRIPT). ioredis' defineCommand does the same, but adds untyped methods to the client;
// this keeps the call typed and the script next to the class that owns it.
import {createHash} from 'node:crypto';
import type {Redis} from 'ioredis';

export type LuaArg = string | number;

/** Every script of the farm, so that a connection can load them all when it connects. */
const scripts = new Set<LuaScript>();

export class LuaScript {
	readonly sha: string;

	constructor(readonly source: string) {
		this.sha = createHash('sha1').update(source).digest('hex');
		scripts.add(this);
	}

	/** Keys are given without the farm prefix: ioredis adds its keyPrefix to EVAL's keys. */
	async run(redis: Redis, keys: readonly string[], args: readonly LuaArg[]): Promise<unknown> {
		try {
			return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
		} catch (error) {
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			return redis.eval(this.source, keys.length, ...keys, ...args);
		}
	}
}

/**
 * The server's clock in milliseconds (with microseconds), read inside a script so that every node agrees on one
 * time whatever its own clock says. Redis 5+ replicates a script's effects, not the script, so TIME is allowed
 * before writes; replicate_commands() asks for that on the older servers that still need it.
 */
export const LUA_NOW = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local _time = redis.call('TIME')
local now = tonumber(_time[1]) * 1000 + tonumber(_time[2]) / 1000
`;

/** Lua's tostring keeps 14 digits; a level or a time stored as text needs all of them. */
export const LUA_NUM = `local function num(x) return string.format('%.17g', x) end
`;

/**
 * SCRIPT LOAD of every script, on a fresh or restarted Redis: the first call of each is then one EVALSHA, not
 * NOSCRIPT and an EVAL, so that a correction of the shared bucket does not arrive a round trip late. Never throws.
 */
export async function loadScripts(redis: Redis): Promise<void> {
	await Promise.all([...scripts].map(script => redis.script('LOAD', script.source).catch(() => undefined)));
}
