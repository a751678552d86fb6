import {describe, expect, it} from 'vitest';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import type {OptimizationConfig} from '../../source/config/index.js';
import type {Figures} from '../../source/metrics/figures.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {assess} from '../../source/metrics/report/recommendations.js';
import {formatReport} from '../../source/metrics/report/format-report.js';
import {buildReport} from '../../source/metrics/report/build-report.js';
import type {LogSource} from '../../source/metrics/report/report-model.js';
import {api, MiB, system, upload} from '../metrics/events.js';

const T = 1_700_000_000_000;

type Shape = {latencyMs?: number; failures?: number; calls?: number; hits?: number; misses?: number; rssMb?: number; uploadsDone?: number; uploadsFailed?: number; mbps?: number; breakerOpens?: number};

/** Figures from a store fed a known mix: `calls` API calls (of which `failures` 503), cache lookups, system samples, uploads. */
function figures(shape: Shape = {}): Figures {
	const s = {latencyMs: 200, failures: 0, calls: 100, hits: 90, misses: 10, rssMb: 100, uploadsDone: 10, uploadsFailed: 0, mbps: 50, breakerOpens: 0, ...shape};
	const store = new MetricsStore({slowOperationThresholdSeconds: 5});
	for (let i = 0; i < s.calls; i++) store.record(api(T, s.latencyMs, i < s.failures ? 503 : 200));
	if (s.hits) store.record({type: 'cache', at: T, op: 'hit', key: 'k', count: s.hits});
	if (s.misses) store.record({type: 'cache', at: T, op: 'miss', key: 'k', count: s.misses});
	if (s.rssMb) store.record(system(T, s.rssMb * MiB, 5));
	for (let i = 0; i < s.uploadsDone; i++) store.record(upload(T, 'done', s.mbps));
	for (let i = 0; i < s.uploadsFailed; i++) store.record(upload(T, 'failed'));
	for (let i = 0; i < s.breakerOpens; i++) store.record({type: 'breaker', at: T, state: 'open'});
	return store.figures(60_000, T);
}

const config = (alerts: Partial<OptimizationConfig['alerts']> = {}, rest: Partial<OptimizationConfig> = {}): OptimizationConfig => ({
	...optimizationDefaults,
	...rest,
	alerts: {...optimizationDefaults.alerts, ...alerts},
});

const statusOf = (f: Figures, c: OptimizationConfig, id: string) => assess(f, c).checks.find(check => check.id === id)!.status;

describe('report recommendations', () => {
	it('"Optimal performance" when every figure is within its threshold, and only then', () => {
		const result = assess(figures(), config());
		expect(result.checks.map(check => check.status)).toEqual(Array(7).fill('ok'));
		expect(result.verdict).toBe('optimal');
		expect(result.recommendations).toEqual(['Optimal performance: every figure is within its threshold.']);
	});

	it('N/A figures are "not enough data", never optimal', () => {
		const noUploads = assess(figures({uploadsDone: 0}), config());
		expect(noUploads.verdict).toBe('not_enough_data');
		expect(noUploads.recommendations.join('\n')).not.toContain('Optimal performance');
		expect(noUploads.recommendations.join('\n')).toContain('upload speed: not enough data');
		const nothing = assess(figures({calls: 0, hits: 0, misses: 0, rssMb: 0, uploadsDone: 0}), config());
		expect(nothing.checks.map(check => check.status)).toEqual(Array(7).fill('no_data'));
		expect(nothing.verdict).toBe('not_enough_data');
	});

	it('cache hit rate: the message names the setting and its current value; the threshold comes from config', () => {
		const f = figures({hits: 42, misses: 58});
		const result = assess(f, config());
		expect(result.verdict).toBe('action_needed');
		expect(result.recommendations).toContain('cache hit rate 42 % < 70 %: raise cache_ttl.folders, now 900 s (and cache_ttl.projects, now 1800 s)');
		// a lower target makes the same figure fine; a changed TTL changes the advice
		expect(statusOf(f, config({cache_hit_rate_min: 0.4}), 'cache_hit_rate')).toBe('ok');
		const custom = assess(f, config({cache_hit_rate_min: 0.5}, {cache_ttl: {...optimizationDefaults.cache_ttl, folders: 1200}}));
		expect(custom.recommendations[0]).toBe('cache hit rate 42 % < 50 %: raise cache_ttl.folders, now 1200 s (and cache_ttl.projects, now 1800 s)');
	});

	it('each check flips exactly at its own configured threshold', () => {
		// error rate 10 %
		const errors = figures({failures: 10});
		expect(statusOf(errors, config({error_rate_max: 0.1}), 'error_rate')).toBe('ok');
		expect(statusOf(errors, config({error_rate_max: 0.09}), 'error_rate')).toBe('breach');
		// mean latency 6.2 s
		const slow = figures({latencyMs: 6200});
		expect(statusOf(slow, config({latency_mean_max_seconds: 6.2}), 'latency')).toBe('ok');
		expect(statusOf(slow, config({latency_mean_max_seconds: 6.1}), 'latency')).toBe('breach');
		// memory peak 300 MB
		const memory = figures({rssMb: 300});
		expect(statusOf(memory, config({memory_max_mb: 300}), 'memory')).toBe('ok');
		expect(statusOf(memory, config({memory_max_mb: 299}), 'memory')).toBe('breach');
		// upload failure rate 20 %
		const failing = figures({uploadsDone: 8, uploadsFailed: 2});
		expect(statusOf(failing, config({upload_failure_rate_max: 0.2}), 'upload_failure_rate')).toBe('ok');
		expect(statusOf(failing, config({upload_failure_rate_max: 0.19}), 'upload_failure_rate')).toBe('breach');
		// upload speed 3.1 MB/s
		const crawl = figures({mbps: 3.1});
		expect(statusOf(crawl, config({upload_speed_min_mbps: 3.1}), 'upload_speed')).toBe('ok');
		expect(statusOf(crawl, config({upload_speed_min_mbps: 3.2}), 'upload_speed')).toBe('breach');
	});

	it('messages say what to change, with the current values from config', () => {
		const c = config({}, {upload_optimization: {...optimizationDefaults.upload_optimization, parts_concurrency: 6}});
		const messages = assess(figures({latencyMs: 6200, mbps: 3.1, rssMb: 620, failures: 30, breakerOpens: 2}), c).recommendations.join('\n');
		expect(messages).toContain('mean upload speed 3.1 MB/s < 5 MB/s: raise upload_optimization.parts_concurrency, now 6');
		expect(messages).toContain('mean API latency 6.2 s > 5 s');
		expect(messages).toMatch(/peak memory 620 MB > 500 MB \(.*\): lower upload_optimization.max_concurrent_uploads, now 3, or upload_optimization.parts_concurrency, now 6/);
		expect(messages).toContain('error rate 30 % > 5 %: mostly server errors (5xx) (30 of 30): raise error_handling.max_retries, now 3');
		expect(messages).toContain('circuit breaker opened 2 times');
		expect(messages).not.toContain('Optimal performance');
	});

	it('the error advice follows the dominant kind of error', () => {
		const store = new MetricsStore();
		for (let i = 0; i < 10; i++) store.record(api(T, 10, 200));
		for (let i = 0; i < 3; i++) store.record(api(T, 10, 429, {errorKind: 'rate_limit'}));
		store.record(api(T, 10, 404));
		const text = assess(store.figures(60_000, T), config()).recommendations.join('\n');
		expect(text).toContain('mostly rate limited (HTTP 429) (3 of 4): lower rate_limiting.requests_per_second, now 10, or rate_limiting.burst_size, now 20');
	});
});

describe('report text', () => {
	const source: LogSource = {kind: 'logs', files: [], lines: 0, linesInWindow: 0, eventLines: 0, malformed: 0};

	it('has the seed sections in order', () => {
		const draft = buildReport({figures: figures(), source, config: config(), api: {kind: 'live', url: 'https://api.frame.io'}});
		const text = formatReport({...draft, reportFile: ''}, {slowThresholdSeconds: 5});
		const order = ['SESSION', 'API CALLS', 'UPLOADS', 'CACHE', 'SYSTEM', 'ERRORS', 'RECOMMENDATIONS'].map(title => text.indexOf(`\n${title}`));
		expect(order.every(index => index > 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(text).toContain('Success rate:   100 % (100 ok, 0 failed)');
		expect(text).toContain('Hit rate:       90 %');
		expect(text).toContain('Optimal performance');
	});

	it('an empty window reads N/A for every figure, with no zero latency, speed or rate', () => {
		const empty = new MetricsStore().figures(3_600_000, T);
		const draft = buildReport({figures: empty, source, config: config(), api: {kind: 'live', url: 'https://api.frame.io'}});
		const text = formatReport({...draft, reportFile: ''}, {slowThresholdSeconds: 5});
		for (const label of ['Success rate', 'Latency mean', 'Latency median', 'Latency p95', 'Latency max', 'Speed mean', 'Speed median', 'Failure rate', 'Hit rate', 'Hits', 'Misses', 'Memory mean', 'Memory peak', 'CPU mean', 'CPU peak', 'Rate']) {
			expect(text).toMatch(new RegExp(`\\n  ${label}: +N/A\\n`));
		}
		expect(text).not.toMatch(/\b0 ms\b|\b0 MB\/s|\b0 %/);
		expect(text).not.toContain('Optimal performance');
		expect(text).toContain('not enough data');
	});
});
