import {MB} from '../format/bytes.js';
import type {ApiCallEvent, AppEvent, BreakerState, EventBus, ProbeEvent, UploadEvent} from '../events/index.js';
import {errorKindOf, isFailure} from './api-errors.js';
import type {Figures, MetricsSource, SeriesName} from './figures.js';
import {SecondBuckets, type SecondBucket} from './second-bucket.js';
import {percentileOfSorted, ratio} from './stats.js';
import {TimedRing} from './timed-ring.js';

export type MetricsStoreOptions = {
	/** monitoring.slow_operation_threshold, in seconds. */
	slowOperationThresholdSeconds?: number;
	/** How far back figures() can see. Default one hour. */
	retentionSeconds?: number;
	/**
	 * Width of one bucket of counters, in ms (default 1000). The report over days uses wider buckets so that
	 * memory stays that of ~one hour of seconds; windows are then whole buckets.
	 */
	bucketMs?: number;
	/** Latest API latencies kept for median/p95. */
	latencySamples?: number;
	/** Latest completed uploads' MB/s kept for the median and the sparkline. */
	uploadSamples?: number;
	/** Latest system samples kept for the cpu/rss sparklines. */
	systemSamples?: number;
	now?: () => number;
};

const MS_PER_SECOND = 1000;

/**
 * Every figure the console, the alerts and the report read, kept in bounded memory:
 * one bucket of counters per second (per `bucketMs`) over the retention (exact counts, sums and maxima), and capped
 * rings of the latest samples for what counters cannot give (median, p95, sparklines).
 *
 * With B = bucketMs (1000 by default), a window of W ms (capped at the retention) covers the last ceil(W / B) whole
 * buckets, the current one included: an event counts when floor(at / B) lies in (floor(now / B) - ceil(W / B), floor(now / B)].
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
	private readonly bucketMs: number;
	private readonly now: () => number;

	private firstApiSlot: number | null = null;
	private firstWireSlot: number | null = null;
	private breakerState: BreakerState = 'closed';
	private breakerAt = -Infinity;
	private probeAt = -Infinity;
	private consecutiveProbeFailures = 0;
	private lastProbe: ProbeEvent | null = null;

	constructor(options: MetricsStoreOptions = {}) {
		this.bucketMs = options.bucketMs ?? MS_PER_SECOND;
		if (!(this.bucketMs >= 1)) throw new RangeError(`bucketMs must be at least 1, got ${this.bucketMs}`);
		this.buckets = new SecondBuckets(Math.max(1, Math.ceil(((options.retentionSeconds ?? 3600) * MS_PER_SECOND) / this.bucketMs)));
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
		const slot = Math.floor(event.at / this.bucketMs);
		switch (event.type) {
			case 'api': {
				const bucket = this.buckets.forWrite(slot);
				if (bucket) this.recordApi(bucket, event, slot);
				return;
			}
			case 'cache': {
				if (event.op !== 'hit' && event.op !== 'miss') return;
				const bucket = this.buckets.forWrite(slot);
				if (!bucket) return;
				const count = event.count ?? 1;
				if (event.op === 'hit') bucket.cacheHits += count;
				else bucket.cacheMisses += count;
				return;
			}
			case 'upload': {
				const bucket = this.buckets.forWrite(slot);
				if (bucket) this.recordUpload(bucket, event);
				return;
			}
			case 'upload-bytes': {
				const bucket = this.buckets.forWrite(slot);
				if (bucket) bucket.wireBytes += event.bytes;
				if (this.firstWireSlot === null || slot < this.firstWireSlot) this.firstWireSlot = slot;
				return;
			}
			case 'system': {
				const bucket = this.buckets.forWrite(slot);
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
				const bucket = this.buckets.forWrite(slot);
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
				const bucket = this.buckets.forWrite(slot);
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
			case 'webhook': {
				const bucket = this.buckets.forWrite(slot);
				if (!bucket) return;
				if (event.outcome === 'accepted') bucket.webhookAccepted++;
				else bucket.webhookRefused++;
				return;
			}
			case 'ratelimit':
				return; // headroom is the store's (console) business, not a figure over time
		}
	}

	figures(windowMs: number, now = this.now()): Figures {
		// Nothing older than the retention is kept, so a longer window is the retention.
		const slots = Math.min(Math.max(1, Math.ceil(windowMs / this.bucketMs)), this.buckets.capacity);
		const last = Math.floor(now / this.bucketMs);
		const first = last - slots + 1;
		const inWindow = (at: number) => {
			const slot = Math.floor(at / this.bucketMs);
			return slot >= first && slot <= last;
		};
		const buckets = this.buckets.range(last, slots);
		const sum = (pick: (bucket: SecondBucket) => number) => buckets.reduce((total, bucket) => total + pick(bucket), 0);
		const maxOf = (pick: (bucket: SecondBucket) => number, present: (bucket: SecondBucket) => boolean) => {
			let max: number | null = null;
			for (const bucket of buckets) if (present(bucket)) max = Math.max(max ?? -Infinity, pick(bucket));
			return max;
		};

		const total = sum(b => b.apiTotal);
		const failed = sum(b => b.apiFailed);
		const latencies = Float64Array.from(this.latencies.valuesWhere(inWindow)).sort();
		const coveredSince = (firstSlot: number | null) => ((firstSlot === null ? slots : Math.max(1, Math.min(slots, last - firstSlot + 1))) * this.bucketMs) / MS_PER_SECOND;
		const covered = coveredSince(this.firstApiSlot);
		const wireBytes = sum(b => b.wireBytes);

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
			window: {ms: slots * this.bucketMs, seconds: (slots * this.bucketMs) / MS_PER_SECOND, from: first * this.bucketMs, to: (last + 1) * this.bucketMs},
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
				queueWaitMs: {mean: ratio(sum(b => b.queueSum), total), max: maxOf(b => b.queueMax, b => b.apiTotal > 0), total: sum(b => b.queueSum)},
				retryWaitMs: {total: sum(b => b.retryWaitSum)},
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
				throughputMbps: this.firstWireSlot === null ? null : wireBytes / MB / coveredSince(this.firstWireSlot),
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
			webhooks: {deliveries: sum(b => b.webhookAccepted), refused: sum(b => b.webhookRefused)},
		};
	}

	/**
	 * A figure over the last `windowMs` as `points` values for a sparkline, oldest first, each covering windowMs / points
	 * (at least one bucket). latencyMs: mean latency of the calls in each span (0 when idle); requestRate: calls per
	 * second; uploadMbps: bytes on the wire per second, in MB/s; cpuPercent and rssMb: the mean of the samples in each
	 * span (0 when none).
	 */
	series(name: SeriesName, points: number, now = this.now(), windowMs = points * this.bucketMs): number[] {
		const spanSlots = Math.max(1, Math.round(windowMs / points / this.bucketMs));
		const count = Math.max(1, Math.min(points, Math.ceil(windowMs / (spanSlots * this.bucketMs))));
		const last = Math.floor(now / this.bucketMs);
		const firstSlot = last - count * spanSlots + 1;
		const spanSeconds = (spanSlots * this.bucketMs) / MS_PER_SECOND;
		if (name === 'cpuPercent' || name === 'rssMb') {
			const ring = name === 'cpuPercent' ? this.cpu : this.rss;
			const sums = new Float64Array(count);
			const counts = new Uint32Array(count);
			ring.forEachSince(firstSlot * this.bucketMs, (at, value) => {
				const index = Math.floor((Math.floor(at / this.bucketMs) - firstSlot) / spanSlots);
				if (index < 0 || index >= count) return;
				sums[index] += name === 'rssMb' ? value / MB : value;
				counts[index]++;
			});
			return Array.from(sums, (total, index) => (counts[index] > 0 ? total / counts[index] : 0));
		}
		const bySlot = new Map(this.buckets.range(last, count * spanSlots).map(bucket => [bucket.second, bucket]));
		const out: number[] = [];
		for (let index = 0; index < count; index++) {
			let calls = 0;
			let latency = 0;
			let wire = 0;
			for (let slot = firstSlot + index * spanSlots; slot < firstSlot + (index + 1) * spanSlots; slot++) {
				const bucket = bySlot.get(slot);
				if (!bucket) continue;
				calls += bucket.apiTotal;
				latency += bucket.latencySum;
				wire += bucket.wireBytes;
			}
			if (name === 'requestRate') out.push(calls / spanSeconds);
			else if (name === 'latencyMs') out.push(calls > 0 ? latency / calls : 0);
			else out.push(wire / MB / spanSeconds);
		}
		return out;
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

	private recordApi(bucket: SecondBucket, event: ApiCallEvent, slot: number): void {
		if (event.fromCache) {
			bucket.apiCached++;
			return;
		}
		if (this.firstApiSlot === null || slot < this.firstApiSlot) this.firstApiSlot = slot;
		bucket.apiTotal++;
		bucket.queueSum += event.queueMs ?? 0;
		bucket.queueMax = Math.max(bucket.queueMax, event.queueMs ?? 0);
		bucket.retryWaitSum += event.retryWaitMs ?? 0;
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

function newestIn(ring: TimedRing, inWindow: (at: number) => boolean): number | null {
	const newest = ring.newest();
	if (newest && inWindow(newest.at)) return newest.value;
	// Out-of-order samples are rare; fall back to a scan.
	const values = ring.valuesWhere(inWindow);
	return values.length > 0 ? values[values.length - 1] : null;
}
