// Builders for the structured log lines a report reads, written as pino writes them (one JSON object a line).
import {appendFileSync, mkdirSync} from 'node:fs';
import path from 'node:path';

export type Line = Record<string, unknown>;

const base = (at: number, logger: string, level = 'info'): Line => ({level, time: new Date(at).toISOString(), pid: 1, logger});

export const apiLine = (at: number, ms: number, status = 200, extra: Line = {}): Line => ({
	...base(at, 'frameio.api'),
	event: 'api',
	op: 'folders.children',
	method: 'GET',
	status,
	ms,
	bytes: 500,
	retries: 0,
	...extra,
	msg: `GET folders.children ${status} ${ms} ms`,
});

export const uploadLine = (at: number, outcome: 'done' | 'failed' | 'cancelled', mbps: number, bytes = 10_485_760): Line => ({
	...base(at, 'frameio.upload'),
	event: 'upload',
	id: `u${at}`,
	name: 'UNDLM_SEQ01_00042_v002.mp4',
	outcome,
	bytes,
	seconds: mbps > 0 ? bytes / 1048576 / mbps : 1,
	mbps,
	msg: `Upload metrics: ${outcome}`,
});

export const cacheLine = (at: number, hits: number, misses: number): Line => ({
	...base(at, 'frameio.cache'),
	event: 'cache_summary',
	hits,
	misses,
	intervalMs: 60_000,
	msg: 'Cache summary',
});

export const systemLine = (at: number, samples: number, cpuMean: number, cpuPeak: number, rssMean: number, rssPeak: number): Line => ({
	...base(at, 'frameio.app'),
	event: 'system',
	samples,
	cpuMean,
	cpuPeak,
	rssMean,
	rssPeak,
	intervalMs: 60_000,
	msg: 'System',
});

export const breakerLine = (at: number, state: string, previous: string): Line => ({
	...base(at, 'frameio.api', state === 'open' ? 'warn' : 'info'),
	state,
	previous,
	consecutiveFailures: 5,
	msg: `Circuit breaker ${state}`,
});

export const textLine = (at: number, logger: string, level: string, msg: string): Line => ({...base(at, logger, level), msg});

/** Appends lines (objects are JSON-encoded; strings are written as they are, to make malformed lines). */
export function writeLines(file: string, lines: Array<Line | string>): void {
	mkdirSync(path.dirname(file), {recursive: true});
	appendFileSync(file, lines.map(line => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
}

export const MiB = 1024 * 1024;
