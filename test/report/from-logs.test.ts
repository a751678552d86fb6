import {utimesSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {figuresFromLogs} from '../../source/metrics/report/from-logs.js';
import {testDir} from '../helpers/secret-scan.js';
import {apiLine, breakerLine, cacheLine, MiB, systemLine, textLine, uploadLine, writeLines} from './log-lines.js';

const T = Date.parse('2025-01-07T14:30:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

/** The known log of these tests: some lines in logs/frameio_admin.log.1, the rest in the current file. */
function knownLogs(): string {
	const dir = testDir('report-known');
	writeLines(path.join(dir, 'frameio_admin.log.1'), [
		apiLine(T - 2 * HOUR, 99_999), // before the window
		apiLine(T - 50 * MIN, 100),
		apiLine(T - 49 * MIN, 200),
		'not json at all',
		cacheLine(T - 45 * MIN, 30, 10),
		systemLine(T - 44 * MIN, 4, 10, 40, 100 * MiB, 160 * MiB),
		uploadLine(T - 40 * MIN, 'done', 10),
		uploadLine(T - 39 * MIN, 'done', 20),
		breakerLine(T - 38 * MIN, 'open', 'closed'),
		breakerLine(T - 37 * MIN, 'half-open', 'open'),
		breakerLine(T - 37 * MIN, 'closed', 'half-open'),
	]);
	writeLines(path.join(dir, 'frameio_admin.log'), [
		apiLine(T - 30 * MIN, 300),
		apiLine(T - 20 * MIN, 400),
		apiLine(T - 10 * MIN, 6000, 503, {errorKind: 'server', retries: 3}),
		apiLine(T - 9 * MIN, 50, 404, {errorKind: 'client'}),
		'{"level":"info","time":"garbage","msg":"x"}',
		'{"level":"info","ti',
		{...apiLine(T - 8 * MIN, 1), ms: 'fast'},
		textLine(T - 8 * MIN, 'frameio.structure', 'info', 'Cache hit: projects_123456'),
		cacheLine(T - 5 * MIN, 40, 20),
		systemLine(T - 4 * MIN, 2, 20, 30, 200 * MiB, 220 * MiB),
		uploadLine(T - 3 * MIN, 'done', 30),
		uploadLine(T - 2 * MIN, 'failed', 0),
		apiLine(T + MIN, 77_777), // after the window's end
	]);
	return dir;
}

describe('figuresFromLogs: a window of known log lines', () => {
	it('has the expected numbers in every section, ignoring lines outside the window and malformed ones', async () => {
		const logsDir = knownLogs();
		const {figures: f, source} = await figuresFromLogs({logsDir, windowMs: HOUR, now: T, slowOperationThresholdSeconds: 5});

		expect(f.api).toMatchObject({total: 6, ok: 4, failed: 2, slow: 1});
		expect(f.api.successRate).toBeCloseTo(4 / 6, 9);
		expect(f.api.latencyMs.mean).toBeCloseTo(7050 / 6, 9);
		expect(f.api.latencyMs.median).toBe(250);
		expect(f.api.latencyMs.p95).toBeCloseTo(4600, 9);
		expect(f.api.latencyMs.max).toBe(6000);

		expect(f.uploads).toMatchObject({count: 4, done: 3, failed: 1, cancelled: 0, bytes: 3 * 10 * MiB});
		expect(f.uploads.mbps.mean).toBeCloseTo(20, 9);
		expect(f.uploads.mbps.median).toBeCloseTo(20, 9);
		expect(f.uploads.failureRate).toBeCloseTo(0.25, 9);

		expect(f.cache).toEqual({hits: 70, misses: 30, hitRate: 0.7});

		// 4 samples with mean 10 and 2 with mean 20; peaks 40 and 220 MiB
		expect(f.system.cpuPercent.mean).toBeCloseTo(80 / 6, 9);
		expect(f.system.cpuPercent.peak).toBe(40);
		expect(f.system.rssBytes.mean).toBeCloseTo((800 * MiB) / 6, 3);
		expect(f.system.rssBytes.peak).toBe(220 * MiB);

		expect(f.errors.total).toBe(2);
		expect(f.errors.rate).toBeCloseTo(2 / 6, 9);
		expect(f.errors.byKind).toMatchObject({server: 1, network: 0, rate_limit: 0, client4xx: {'404': 1}});
		expect(f.breaker.opens).toBe(1);
		expect(f.breaker.closes).toBe(1);

		expect(f.window).toEqual({ms: HOUR, seconds: 3600, from: T - HOUR, to: T});
		expect(source.files.map(file => path.basename(file))).toEqual(['frameio_admin.log.1', 'frameio_admin.log']);
		// 11 + 13 lines; 3 unparseable, 1 api line with a bad field
		expect(source.lines).toBe(24);
		expect(source.malformed).toBe(4);
		// in the window: 24 - 3 malformed - 2 outside
		expect(source.linesInWindow).toBe(19);
		// everything in the window but the plain text line and the bad api line
		expect(source.eventLines).toBe(17);
	});

	it('a shorter window sees only its own lines', async () => {
		const logsDir = knownLogs();
		const {figures: f} = await figuresFromLogs({logsDir, windowMs: 15 * MIN, now: T, slowOperationThresholdSeconds: 5});
		expect(f.api.total).toBe(2);
		expect(f.api.latencyMs.median).toBe(3025);
		expect(f.cache).toEqual({hits: 40, misses: 20, hitRate: 40 / 60});
		expect(f.uploads).toMatchObject({done: 1, failed: 1});
		expect(f.system.cpuPercent.peak).toBe(30);
		expect(f.breaker.opens).toBe(0);
	});

	it('uses the configured slow-operation threshold', async () => {
		const logsDir = knownLogs();
		const strict = await figuresFromLogs({logsDir, windowMs: HOUR, now: T, slowOperationThresholdSeconds: 0.25});
		expect(strict.figures.api.slow).toBe(3);
	});

	it('empty or missing logs give null figures (N/A), not zeros, and no crash', async () => {
		for (const logsDir of [testDir('report-empty'), path.join(testDir('report-missing'), 'nope')]) {
			const {figures: f, source} = await figuresFromLogs({logsDir, windowMs: HOUR, now: T, slowOperationThresholdSeconds: 5});
			expect(f.api.total).toBe(0);
			expect(f.api.successRate).toBeNull();
			expect(f.api.latencyMs).toEqual({mean: null, median: null, p95: null, max: null});
			expect(f.uploads.mbps).toEqual({mean: null, median: null});
			expect(f.uploads.failureRate).toBeNull();
			expect(f.cache.hitRate).toBeNull();
			expect(f.system.rssBytes.mean).toBeNull();
			expect(f.system.cpuPercent.peak).toBeNull();
			expect(f.errors.rate).toBeNull();
			expect(source).toMatchObject({files: [], lines: 0, malformed: 0});
		}
	});

	it('a two-day window counts lines across both days (coarser buckets, same totals)', async () => {
		const dir = testDir('report-2d');
		writeLines(path.join(dir, 'frameio_admin.log.2'), [apiLine(T - 49 * HOUR, 1), apiLine(T - 47 * HOUR, 10)]);
		writeLines(path.join(dir, 'frameio_admin.log.1'), [apiLine(T - 24 * HOUR, 20, 500, {errorKind: 'server'})]);
		writeLines(path.join(dir, 'frameio_admin.log'), [apiLine(T - 1000, 30), cacheLine(T - 1000, 9, 1)]);
		const {figures: f, source} = await figuresFromLogs({logsDir: dir, windowMs: 48 * HOUR, now: T, slowOperationThresholdSeconds: 5});
		expect(f.api.total).toBe(3);
		expect(f.api.failed).toBe(1);
		expect(f.api.latencyMs.mean).toBe(20);
		expect(f.cache.hitRate).toBe(0.9);
		expect(f.window.ms).toBe(48 * HOUR);
		expect(source.files).toHaveLength(3);
	});

	it('does not open a rotated file last written before the window', async () => {
		const dir = testDir('report-mtime');
		const old = path.join(dir, 'frameio_admin.log.1');
		// The line claims to be recent, but the file was last written two hours ago: it is skipped unread.
		writeLines(old, [apiLine(T - MIN, 10)]);
		utimesSync(old, new Date(T - 2 * HOUR), new Date(T - 2 * HOUR));
		writeLines(path.join(dir, 'frameio_admin.log'), [apiLine(T - MIN, 20)]);
		utimesSync(path.join(dir, 'frameio_admin.log'), new Date(T), new Date(T));
		const {figures: f, source} = await figuresFromLogs({logsDir: dir, windowMs: HOUR, now: T, slowOperationThresholdSeconds: 5});
		expect(source.files.map(file => path.basename(file))).toEqual(['frameio_admin.log']);
		expect(f.api.total).toBe(1);
		expect(f.api.latencyMs.mean).toBe(20);
	});
});
