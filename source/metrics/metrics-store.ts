import type {ApiCallEvent, AppEvent, BreakerState, EventBus, ProbeEvent, UploadEvent} from '../app/events.js';
import {errorKindOf, isFailure} from './api-errors.js';
import type {Figures, MetricsSource, SeriesName} from './figures.js';
import {SecondBuckets, type SecondBucket} from './second-bucket.js';
import {percentileOfSorted, ratio} from './stats.js';
import {TimedRing} from './timed-ring.js';

export type MetricsStoreOptions = {
	/** monitoring.slow_operation_threshold, in seconds. */
	slowOperationThresholdSeconds?: number;
	/** How far back figures() can see; one bucket per second. Default one hour. */
	retentionSeconds?: number;
	/** Latest API latencies kept for median/p95. */
	latencySamples?: number;
	/** Latest completed uploads' MB/s kept for the median and the sparkline. */
	uploadSamples?: number;
	/** Latest system samples kept for the cpu/rss sparklines. */
	systemSamples?: number;
	now?: () => number;
};

export const MB = 1024 * 1024;
const MS_PER_SECOND = 1000;

/**
 * Every figure the console, the alerts and the report read, kept in bounded memory:
 * one bucket of counters per second over the retention (exact counts, sums and maxima), and capped
 * rings of the latest samples for what counters cannot give (median, p95, sparklines).
 *
 * A window of W ms (capped at the retention) covers the last ceil(W / 1000) whole seconds, the current second included:
 * an event counts when floor(at / 1000) lies in (floor(now / 1000) - ceil(W / 1000), floor(now / 1000)].
 * Median and p95 of latency come from the latest `latencySamples` calls in the window; when more
 * calls than that fall in it, they describe the most recent ones (counts and means stay exact).
 */
export class MetricsStore implements MetricsSource {
	private readonly buckets: SecondBuckets;
	private readonly latencies: TimedRing;
	private readonly uploadMbps: TimedRing;
	private readonly rss: TimedRing;
	private readonly cpu: TimedRing;
	private readonly slowMs: number;
	private readonly now: () => number;

	private firstApiSecond: number | null = null;
	private breakerState: BreakerState = 'closed';
	private breakerAt = -Infinity;
	private probeAt = -Infinity;
	private consecutiveProbeFailures = 0;
	private lastProbe: ProbeEvent | null = null;

	constructor(options: MetricsStoreOptions = {}) {
		this.buckets = new SecondBuckets(options.retentionSeconds ?? 3600);
		this.latencies = new TimedRing(options.latencySamples ?? 10_000);
		this.uploadMbps = new TimedRing(options.uploadSamples ?? 1000);
		this.rss = new TimedRing(options.systemSamples ?? 720);
		this.cpu = new TimedRing(options.systemSamples ?? 720);
		this.slowMs = (options.slowOperationThresholdSeconds ?? 5) * MS_PER_SECOND;
		this.now = options.now ?? Date.now;
	}

	/** Subscribes to the bus; returns the unsubscribe function. */
	attach(bus: EventBus): () => void {
		return bus.on(event => this.record(event));
	}

	record(event: AppEvent): void {
		const second = Math.floor(event.at / MS_PER_SECOND);
		switch (event.type) {
			case 'api': {
				const bucket = this.buckets.forWrite(second);
				if (bucket) this.recordApi(bucket, event, second);
				return;
			}
			case 'cache': {
				if (event.op !== 'hit' && event.op !== 'miss') return;
				const bucket = this.buckets.forWrite(second);
				if (!bucket) return;
				const count = event.count ?? 1;
				if (event.op === 'hit') bucket.cacheHits += count;
				else bucket.cacheMisses += count;
				return;
			}
			case 'upload': {
				const bucket = this.buckets.forWrite(second);
				if (bucket) this.recordUpload(bucket, event);
				return;
			}
			case 'system': {
				const bucket = this.buckets.forWrite(second);
				if (!bucket) return;
				bucket.systemCount++;
				bucket.rssSum += event.rssBytes;
				bucket.rssMax = Math.max(bucket.rssMax, event.rssBytes);
				bucket.cpuSum += event.cpuPercent;
				bucket.cpuMax = Math.max(bucket.cpuMax, event.cpuPercent);
				this.rss.push(event.at, event.rssBytes);
				this.cpu.push(event.at, event.cpuPercent);
				return;
			}
			case 'probe': {
				const bucket = this.buckets.forWrite(second);
				if (bucket) {
					if (event.ok) bucket.probeOk++;
					else bucket.probeFailed++;
				}
				// A late (out-of-order) probe must not rewrite the current streak.
				if (event.at < this.probeAt) return;
				this.probeAt = event.at;
				this.lastProbe = event;
				this.consecutiveProbeFailures = event.ok ? 0 : this.consecutiveProbeFailures + 1;
				return;
			}
			case 'breaker': {
				const bucket = this.buckets.forWrite(second);
				if (bucket) {
					if (event.state === 'open') bucket.breakerOpens++;
					if (event.state === 'closed') bucket.breakerCloses++;
				}
				if (event.at >= this.breakerAt) {
					this.breakerAt = event.at;
					this.breakerState = event.state;
				}
				return;
			}
			case 'ratelimit':
				return; // headroom is the store's (console) business, not a figure over time
		}
	}

	figures(windowMs: number, now = this.now()): Figures {
		// Nothing older than the retention is kept, so a longer window is the retention.
		const seconds = Math.min(windowSeconds(windowMs), this.buckets.capacity);
		const last = Math.floor(now / MS_PER_SECOND);
		const first = last - seconds + 1;
		const inWindow = (at: number) => {
			const second = Math.floor(at / MS_PER_SECOND);
			return second >= first && second <= last;
		};
		const buckets = this.buckets.range(last, seconds);
		const sum = (pick: (bucket: SecondBucket) => number) => buckets.reduce((total, bucket) => total + pick(bucket), 0);
		const maxOf = (pick: (bucket: SecondBucket) => number, present: (bucket: SecondBucket) => boolean) => {
			let max: number | null = null;
			for (const bucket of buckets) if (present(bucket)) max = Math.max(max ?? -Infinity, pick(bucket));
			return max;
		};

		const total = sum(b => b.apiTotal);
		const failed = sum(b => b.apiFailed);
		const latencies = Float64Array.from(this.latencies.valuesWhere(inWindow)).sort();
		const covered = this.firstApiSecond === null ? seconds : Math.max(1, Math.min(seconds, last - this.firstApiSecond + 1));

		const client4xx: Record<string, number> = {};
		for (const bucket of buckets) {
			for (const [status, count] of bucket.client4xx) client4xx[status] = (client4xx[status] ?? 0) + count;
		}

		const done = sum(b => b.uploadDone);
		const uploadFailed = sum(b => b.uploadFailed);
		const cancelled = sum(b => b.uploadCancelled);
		const mbpsCount = sum(b => b.uploadMbpsCount);
		const mbpsInWindow = Float64Array.from(this.uploadMbps.valuesWhere(inWindow)).sort();

		const hits = sum(b => b.cacheHits);
		const misses = sum(b => b.cacheMisses);

		const systemCount = sum(b => b.systemCount);
		const hasSystem = (b: SecondBucket) => b.systemCount > 0;
		const lastRss = newestIn(this.rss, inWindow);
		const lastCpu = newestIn(this.cpu, inWindow);

		return {
			window: {ms: seconds * MS_PER_SECOND, seconds, from: first * MS_PER_SECOND, to: (last + 1) * MS_PER_SECOND},
			api: {
				total,
				ok: sum(b => b.apiOk),
				failed,
				cached: sum(b => b.apiCached),
				successRate: ratio(total - failed, total),
				latencyMs: {
					mean: ratio(sum(b => b.latencySum), total),
					median: percentileOfSorted(latencies, 0.5),
					p95: percentileOfSorted(latencies, 0.95),
					max: maxOf(b => b.latencyMax, b => b.apiTotal > 0),
				},
				slow: sum(b => b.slow),
				ratePerSec: total / covered,
			},
			uploads: {
				count: done + uploadFailed + cancelled,
				done,
				failed: uploadFailed,
				cancelled,
				bytes: sum(b => b.uploadBytes),
				mbps: {mean: ratio(sum(b => b.uploadMbpsSum), mbpsCount), median: percentileOfSorted(mbpsInWindow, 0.5)},
				failureRate: ratio(uploadFailed, done + uploadFailed),
			},
			cache: {hits, misses, hitRate: ratio(hits, hits + misses)},
			system: {
				rssBytes: {mean: ratio(sum(b => b.rssSum), systemCount), peak: maxOf(b => b.rssMax, hasSystem), last: lastRss},
				cpuPercent: {mean: ratio(sum(b => b.cpuSum), systemCount), peak: maxOf(b => b.cpuMax, hasSystem), last: lastCpu},
			},
			errors: {
				total: failed,
				rate: ratio(failed, total),
				byKind: {
					network: sum(b => b.errNetwork),
					timeout: sum(b => b.errTimeout),
					rate_limit: sum(b => b.errRateLimit),
					server: sum(b => b.errServer),
					breaker_open: sum(b => b.errBreakerOpen),
					auth: sum(b => b.errAuth),
					client4xx,
				},
			},
			probe: {
				ok: sum(b => b.probeOk),
				failed: sum(b => b.probeFailed),
				consecutiveFailures: this.consecutiveProbeFailures,
				lastMs: this.lastProbe?.ms ?? null,
				lastStatus: this.lastProbe?.status ?? null,
				lastReason: this.lastProbe?.reason ?? null,
			},
			breaker: {state: this.breakerState, opens: sum(b => b.breakerOpens), closes: sum(b => b.breakerCloses)},
		};
	}

	/**
	 * The last n values of a figure for a sparkline, oldest first.
	 * latencyMs (mean per second, 0 when idle) and requestRate (calls per second) have exactly n points,
	 * one per second up to `now`; uploadMbps (per completed upload), cpuPercent and rssMb (per system
	 * sample) have up to n points, one per sample.
	 */
	series(name: SeriesName, n: number, now = this.now()): number[] {
		switch (name) {
			case 'latencyMs':
			case 'requestRate': {
				const last = Math.floor(now / MS_PER_SECOND);
				const byName = new Map(this.buckets.range(last, n).map(bucket => [bucket.second, bucket]));
				const out: number[] = [];
				for (let second = last - n + 1; second <= last; second++) {
					const bucket = byName.get(second);
					const calls = bucket?.apiTotal ?? 0;
					out.push(name === 'requestRate' ? calls : calls > 0 ? bucket!.latencySum / calls : 0);
				}
				return out;
			}
			case 'uploadMbps':
				return this.uploadMbps.last(n);
			case 'cpuPercent':
				return this.cpu.last(n);
			case 'rssMb':
				return this.rss.last(n).map(bytes => bytes / MB);
		}
	}

	/** Internal sizes against their caps: proves memory stays bounded however many events arrive. */
	sizes(): Record<'buckets' | 'latencySamples' | 'uploadSamples' | 'rssSamples' | 'cpuSamples', {size: number; cap: number}> {
		return {
			buckets: {size: this.buckets.size, cap: this.buckets.capacity},
			latencySamples: {size: this.latencies.size, cap: this.latencies.capacity},
			uploadSamples: {size: this.uploadMbps.size, cap: this.uploadMbps.capacity},
			rssSamples: {size: this.rss.size, cap: this.rss.capacity},
			cpuSamples: {size: this.cpu.size, cap: this.cpu.capacity},
		};
	}

	private recordApi(bucket: SecondBucket, event: ApiCallEvent, second: number): void {
		if (event.fromCache) {
			bucket.apiCached++;
			return;
		}
		if (this.firstApiSecond === null || second < this.firstApiSecond) this.firstApiSecond = second;
		bucket.apiTotal++;
		bucket.latencySum += event.ms;
		bucket.latencyMax = Math.max(bucket.latencyMax, event.ms);
		if (event.ms > this.slowMs) bucket.slow++;
		this.latencies.push(event.at, event.ms);
		if (!isFailure(event)) {
			bucket.apiOk++;
			return;
		}
		bucket.apiFailed++;
		switch (errorKindOf(event)) {
			case 'network':
				bucket.errNetwork++;
				break;
			case 'timeout':
				bucket.errTimeout++;
				break;
			case 'rate_limit':
				bucket.errRateLimit++;
				break;
			case 'server':
				bucket.errServer++;
				break;
			case 'breaker_open':
				bucket.errBreakerOpen++;
				break;
			case 'auth':
				bucket.errAuth++;
				break;
			case 'client':
				bucket.client4xx.set(event.status, (bucket.client4xx.get(event.status) ?? 0) + 1);
				break;
		}
	}

	private recordUpload(bucket: SecondBucket, event: UploadEvent): void {
		if (event.outcome === 'done') {
			bucket.uploadDone++;
			bucket.uploadBytes += event.bytes;
			if (event.mbps > 0 && Number.isFinite(event.mbps)) {
				bucket.uploadMbpsSum += event.mbps;
				bucket.uploadMbpsCount++;
				this.uploadMbps.push(event.at, event.mbps);
			}
		} else if (event.outcome === 'failed') bucket.uploadFailed++;
		else bucket.uploadCancelled++;
	}
}

function windowSeconds(windowMs: number): number {
	return Math.max(1, Math.ceil(windowMs / MS_PER_SECOND));
}

function newestIn(ring: TimedRing, inWindow: (at: number) => boolean): number | null {
	const newest = ring.newest();
	if (newest && inWindow(newest.at)) return newest.value;
	// Out-of-order samples are rare; fall back to a scan.
	const values = ring.valuesWhere(inWindow);
	return values.length > 0 ? values[values.length - 1] : null;
}
