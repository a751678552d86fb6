// Shared pieces of the cache tests: a config with short TTLs, a hand-driven clock, a logger that keeps its lines.
import {Writable} from 'node:stream';
import pino, {type Logger} from 'pino';
import type {ApiCacheOptions} from '../../source/cache/index.js';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';

export type CacheConfig = ApiCacheOptions['config'];

export function cacheConfig(overrides: {ttl?: Partial<CacheConfig['cache_ttl']>; invalidation?: Partial<CacheConfig['cache_invalidation']>} = {}): CacheConfig {
	return {
		cache_ttl: {...optimizationDefaults.cache_ttl, ...overrides.ttl},
		cache_invalidation: {...optimizationDefaults.cache_invalidation, ...overrides.invalidation},
	};
}

export function fakeClock(start = 1_700_000_000_000) {
	let now = start;
	return {
		now: () => now,
		advance(ms: number) {
			now += ms;
		},
	};
}

export type LogLine = {level: string; msg: string; [field: string]: unknown};

export function capturingLogger(): {logger: Logger; lines: LogLine[]} {
	const lines: LogLine[] = [];
	const stream = new Writable({
		write(chunk, _encoding, done) {
			for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
			done();
		},
	});
	const logger = pino({level: 'debug', formatters: {level: label => ({level: label})}}, stream);
	return {logger, lines};
}

/** Resolves when check() holds, polling every 20 ms; rejects after timeoutMs. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
	return Date.now() - started;
}
