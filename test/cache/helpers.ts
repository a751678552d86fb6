// Shared pieces of the cache tests: a config with short TTLs, a hand-driven clock, a logger that keeps its lines.
import {existsSync, readFileSync} from 'node:fs';
import {Writable} from 'node:stream';
import pino, {type Logger} from 'pino';
import {parseOp} from '../../source/cache/cache-ops.js';
import {CacheState, OpMerge} from '../../source/cache/cache-state.js';
import {cacheJournalPath, type ApiCacheOptions} from '../../source/cache/index.js';
import {decodeSnapshot, parseJournalHead} from '../../source/cache/snapshot-codec.js';
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

/**
 * The keys the files hold, as a fresh process would load them: the snapshot plus its journal (the journal alone
 * when there is no snapshot; a journal of an older generation is already in the snapshot).
 */
export function persistedKeys(snapshotFile: string): string[] {
	return [...persistedState(snapshotFile).keys()].sort();
}

export function persistedState(snapshotFile: string): CacheState {
	const state = new CacheState();
	let gen: number | undefined;
	if (existsSync(snapshotFile)) {
		const data = decodeSnapshot(readFileSync(snapshotFile, 'utf8'));
		state.merge(data, -Infinity);
		gen = data.gen;
	}
	const journal = cacheJournalPath(snapshotFile);
	if (existsSync(journal)) {
		const [head, ...lines] = readFileSync(journal, 'utf8').split('\n');
		const journalGen = parseJournalHead(head)?.gen;
		if (journalGen === undefined) throw new Error(`${journal}: no journal header`);
		if (gen === undefined || journalGen >= gen) {
			const merge = new OpMerge(state, -Infinity);
			for (const line of lines) {
				const op = parseOp(line);
				if (op) merge.apply(op);
			}
			merge.finish();
		}
	}
	return state;
}
