import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/events/index.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {api, MiB, probe, system, upload} from './events.js';

// A round second, so that second boundaries in these tests are easy to reason about.
const T = 1_700_000_000_000;

describe('MetricsStore figures on known inputs', () => {
	it('API: totals, success rate, mean/median/p95/max latency, slow calls', () => {
		const store = new MetricsStore({slowOperationThresholdSeconds: 0.5});
		for (const [i, ms] of [100, 200, 300, 400, 1000].entries()) store.record(api(T + i, ms, i === 4 ? 503 : 200));
		const f = store.figures(60_000, T + 999);
		expect(f.api).toMatchObject({total: 5, ok: 4, failed: 1, successRate: 0.8, slow: 1});
		expect(f.api.latencyMs.mean).toBe(400);
		expect(f.api.latencyMs.median).toBe(300);
		expect(f.api.latencyMs.p95).toBeCloseTo(880, 9);
		expect(f.api.latencyMs.max).toBe(1000);
	});

	it('uses the configured slow threshold, not a fixed one', () => {
		const strict = new MetricsStore({slowOperationThresholdSeconds: 0.15});
		const lax = new MetricsStore({slowOperationThresholdSeconds: 5});
		for (const ms of [100, 200, 300]) {
			strict.record(api(T, ms));
			lax.record(api(T, ms));
		}
		expect(strict.figures(1000, T).api.slow).toBe(2);
		expect(lax.figures(1000, T).api.slow).toBe(0);
	});

	it('rate per second over the seconds covered', () => {
		const store = new MetricsStore();
		// 10 calls spread over 5 seconds (T .. T+4s); the store is 5 s old at now
		for (let i = 0; i < 10; i++) store.record(api(T + Math.floor(i / 2) * 1000, 10));
		expect(store.figures(60_000, T + 4500).api.ratePerSec).toBe(2);
		// later, with the full 60 s window covered, the same calls are a lower rate
		expect(store.figures(60_000, T + 59_000).api.ratePerSec).toBeCloseTo(10 / 60, 9);
	});

	it('errors by kind: the producer kind first, else from the status', () => {
		const store = new MetricsStore();
		const events = [
			api(T, 5, 0),
			api(T, 5, 0, {errorKind: 'timeout'}),
			api(T, 5, 0, {errorKind: 'breaker_open'}),
			api(T, 5, 429),
			api(T, 5, 503),
			api(T, 5, 500),
			api(T, 5, 401),
			api(T, 5, 404),
			api(T, 5, 404),
			api(T, 5, 422),
			api(T, 5, 200),
			api(T, 5, 201),
		];
		for (const event of events) store.record(event);
		const f = store.figures(10_000, T);
		expect(f.errors).toEqual({
			total: 10,
			rate: 10 / 12,
			byKind: {network: 1, timeout: 1, rate_limit: 1, server: 2, breaker_open: 1, auth: 1, client4xx: {'404': 2, '422': 1}},
		});
		expect(f.api.failed).toBe(10);
	});

	it('calls served from the cache are not API calls', () => {
		const store = new MetricsStore();
		store.record(api(T, 5000, 200, {fromCache: true}));
		store.record(api(T, 100));
		const f = store.figures(1000, T);
		expect(f.api.total).toBe(1);
		expect(f.api.cached).toBe(1);
		expect(f.api.latencyMs.mean).toBe(100);
	});

	it('uploads: count, bytes, mean/median MB/s, failure rate (cancelled is not a failure)', () => {
		const store = new MetricsStore();
		store.record(upload(T, 'done', 10, 100));
		store.record(upload(T, 'done', 20, 200));
		store.record(upload(T, 'done', 60, 300));
		store.record(upload(T, 'failed', 0, 400));
		store.record(upload(T, 'cancelled', 0, 500));
		expect(store.figures(1000, T).uploads).toEqual({
			count: 5,
			done: 3,
			failed: 1,
			cancelled: 1,
			bytes: 600,
			mbps: {mean: 30, median: 20},
			failureRate: 0.25,
			throughputMbps: null,
		});
	});

	it('cache hit rate counts hits and misses only', () => {
		const store = new MetricsStore();
		for (let i = 0; i < 7; i++) store.record({type: 'cache', at: T, op: 'hit', key: 'projects_1'});
		store.record({type: 'cache', at: T, op: 'miss', key: 'folders_1', count: 3});
		store.record({type: 'cache', at: T, op: 'set', key: 'folders_1'});
		store.record({type: 'cache', at: T, op: 'purge', key: '*', count: 40});
		expect(store.figures(1000, T).cache).toEqual({hits: 7, misses: 3, hitRate: 0.7});
	});

	it('system: mean, peak and last of RSS and CPU', () => {
		const store = new MetricsStore();
		store.record(system(T, 100 * MiB, 10));
		store.record(system(T + 1000, 300 * MiB, 50));
		store.record(system(T + 2000, 200 * MiB, 30));
		const f = store.figures(60_000, T + 2000);
		expect(f.system.rssBytes).toEqual({mean: 200 * MiB, peak: 300 * MiB, last: 200 * MiB});
		expect(f.system.cpuPercent).toEqual({mean: 30, peak: 50, last: 30});
	});

	it('probe streak and breaker state', () => {
		const store = new MetricsStore();
		store.record(probe(T, true, 40));
		store.record(probe(T + 1000, false));
		store.record(probe(T + 2000, false, 75));
		let f = store.figures(60_000, T + 2000);
		expect(f.probe).toMatchObject({ok: 1, failed: 2, consecutiveFailures: 2, lastMs: 75});
		store.record(probe(T + 3000, true, 33));
		// a late, out-of-order failure does not restart the streak
		store.record(probe(T + 2500, false));
		f = store.figures(60_000, T + 3000);
		expect(f.probe).toMatchObject({ok: 2, failed: 3, consecutiveFailures: 0, lastMs: 33});

		expect(f.breaker).toEqual({state: 'closed', opens: 0, closes: 0});
		store.record({type: 'breaker', at: T + 1000, state: 'open'});
		store.record({type: 'breaker', at: T + 2000, state: 'half-open'});
		store.record({type: 'breaker', at: T + 2500, state: 'open'});
		expect(store.figures(60_000, T + 3000).breaker).toEqual({state: 'open', opens: 2, closes: 0});
		store.record({type: 'breaker', at: T + 3000, state: 'closed'});
		expect(store.figures(60_000, T + 3000).breaker).toEqual({state: 'closed', opens: 2, closes: 1});
	});

	it('null, not 0, where there are no samples', () => {
		const f = new MetricsStore().figures(300_000, T);
		expect(f.api).toMatchObject({total: 0, successRate: null, latencyMs: {mean: null, median: null, p95: null, max: null}, ratePerSec: 0});
		expect(f.uploads).toMatchObject({count: 0, mbps: {mean: null, median: null}, failureRate: null});
		expect(f.cache.hitRate).toBeNull();
		expect(f.system).toEqual({rssBytes: {mean: null, peak: null, last: null}, cpuPercent: {mean: null, peak: null, last: null}});
		expect(f.errors.rate).toBeNull();
		expect(f.probe.lastMs).toBeNull();
	});

	it('is fed by the event bus after attach(), and stops after detaching', () => {
		const bus = new EventBus();
		const store = new MetricsStore();
		const detach = store.attach(bus);
		bus.emit(api(T, 10));
		detach();
		bus.emit(api(T, 10));
		expect(store.figures(1000, T).api.total).toBe(1);
	});
});

describe('MetricsStore windows', () => {
	it('a 60 s window holds the last 60 whole seconds, the current one included', () => {
		const store = new MetricsStore();
		const now = T + 100_500; // 100.5 s after T
		store.record(api(T + 40_999, 1000, 500)); // second T+40: 61st second back, outside
		store.record(api(T + 41_000, 10)); // second T+41: first second inside
		store.record(api(T + 100_400, 30)); // current second
		store.record(api(T + 101_000, 99_999)); // in the future of `now`: outside
		const f = store.figures(60_000, now);
		expect(f.api.total).toBe(2);
		expect(f.api.failed).toBe(0);
		expect(f.api.latencyMs.max).toBe(30);
		expect(f.api.latencyMs.median).toBe(20);
		expect(f.window).toMatchObject({seconds: 60, from: T + 41_000, to: T + 101_000});
		// a wider window sees the older failure too
		expect(store.figures(120_000, now).api).toMatchObject({total: 3, failed: 1});
	});

	it('excludes old uploads, cache lookups and system samples from the window', () => {
		const store = new MetricsStore();
		store.record(upload(T, 'failed'));
		store.record(upload(T + 300_000, 'done', 42));
		store.record({type: 'cache', at: T, op: 'miss', key: 'k'});
		store.record({type: 'cache', at: T + 300_000, op: 'hit', key: 'k'});
		store.record(system(T, 900 * MiB, 99));
		store.record(system(T + 300_000, 100 * MiB, 1));
		const f = store.figures(60_000, T + 300_000);
		expect(f.uploads).toMatchObject({count: 1, failed: 0, failureRate: 0, mbps: {mean: 42, median: 42}});
		expect(f.cache).toEqual({hits: 1, misses: 0, hitRate: 1});
		expect(f.system.rssBytes.peak).toBe(100 * MiB);
		expect(f.system.cpuPercent.mean).toBe(1);
	});

	it('drops events older than the retention and caps a window at it', () => {
		const store = new MetricsStore({retentionSeconds: 10});
		store.record(api(T + 20_000, 5));
		store.record(api(T, 5)); // 20 s older than the newest second: its slot is taken
		const f = store.figures(3_600_000, T + 20_000);
		expect(f.api.total).toBe(1);
		expect(f.window.seconds).toBe(10);
	});
});

describe('MetricsStore series', () => {
	it('per-second request rate and mean latency, oldest first, zeros when idle', () => {
		const store = new MetricsStore();
		store.record(api(T, 100));
		store.record(api(T + 10, 300));
		store.record(api(T + 2000, 50));
		expect(store.series('requestRate', 4, T + 2999)).toEqual([0, 2, 0, 1]);
		expect(store.series('latencyMs', 4, T + 2999)).toEqual([0, 200, 0, 50]);
	});

	it('cpu and rss (MB): the mean of the samples in each span; upload MB/s: bytes on the wire per second', () => {
		const store = new MetricsStore();
		for (let i = 1; i <= 5; i++) store.record(system(T + i * 1000, i * MiB, i * 10));
		store.record({type: 'upload-bytes', at: T + 2000, bytes: 3 * MiB});
		store.record({type: 'upload-bytes', at: T + 2500, bytes: 1 * MiB});
		store.record({type: 'upload-bytes', at: T + 4000, bytes: 2 * MiB});
		const now = T + 5999;
		expect(store.series('cpuPercent', 3, now, 3000)).toEqual([30, 40, 50]);
		expect(store.series('rssMb', 6, now, 6000)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(store.series('uploadMbps', 6, now, 6000)).toEqual([0, 0, 4, 0, 2, 0]);
		// Over a wider window each point covers more: two seconds a point, the mean of their samples.
		expect(store.series('cpuPercent', 3, now, 6000)).toEqual([10, 25, 45]);
		expect(store.series('uploadMbps', 3, now, 6000)).toEqual([0, 2, 1]);
	});
});

describe('MetricsStore memory is bounded', () => {
	it('stays at its caps after 1 000 000 events, and still counts the window exactly', () => {
		const store = new MetricsStore({retentionSeconds: 3600, latencySamples: 10_000, uploadSamples: 1000, systemSamples: 720});
		const count = 1_000_000;
		// one event every 10 ms: 10 000 s of history, far past the one-hour retention
		for (let i = 0; i < count; i++) {
			const at = T + i * 10;
			switch (i % 4) {
				case 0:
					store.record(api(at, i % 1000, i % 40 === 0 ? 500 : 200));
					break;
				case 1:
					store.record({type: 'cache', at, op: i % 3 === 0 ? 'miss' : 'hit', key: 'k'});
					break;
				case 2:
					store.record(upload(at, 'done', 5));
					break;
				default:
					store.record(system(at, 100 * MiB, 3));
			}
		}
		expect(store.sizes()).toEqual({
			buckets: {size: 3600, cap: 3600},
			latencySamples: {size: 10_000, cap: 10_000},
			uploadSamples: {size: 1000, cap: 1000},
			rssSamples: {size: 720, cap: 720},
			cpuSamples: {size: 720, cap: 720},
		});
		const now = T + (count - 1) * 10;
		const f = store.figures(60_000, now);
		// the last 60 whole seconds hold 6000 events, a quarter of them API calls
		expect(f.api.total).toBe(1500);
		expect(f.api.failed).toBe(150);
		expect(f.uploads.done).toBe(1500);
		expect(f.cache.hits + f.cache.misses).toBe(1500);
	});
});

describe('MetricsStore with wider buckets (bucketMs, for reports over days)', () => {
	it('keeps retention / bucketMs buckets, counts the same totals, and windows in whole buckets', () => {
		const store = new MetricsStore({bucketMs: 60_000, retentionSeconds: 48 * 3600});
		expect(store.sizes().buckets.cap).toBe(48 * 60);
		const now = T + 47 * 3_600_000;
		store.record(api(T + 1000, 100)); // 47 h ago
		store.record(api(now - 90_000, 300, 503)); // 1.5 min ago: the previous bucket but one
		store.record(api(now - 1000, 200));
		const twoDays = store.figures(48 * 3_600_000, now);
		expect(twoDays.api).toMatchObject({total: 3, failed: 1});
		expect(twoDays.api.latencyMs.mean).toBe(200);
		expect(twoDays.window.ms).toBe(48 * 3_600_000);
		// a 1-minute window is the current bucket only
		const lastMinute = store.figures(60_000, now);
		expect(now % 60_000).toBe(20_000); // so now - 1 s is in the current minute
		expect(lastMinute.api.total).toBe(1);
		// the request-rate series stays in calls per second
		expect(store.series('requestRate', 1, now)[0]).toBeCloseTo(lastMinute.api.total / 60, 9);
	});
});
