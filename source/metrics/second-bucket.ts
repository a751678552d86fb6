/**
 * Counters for everything that happened within one wall-clock second (or one bucket of the store's bucketMs).
 * Reused in place, never reallocated.
 */
export class SecondBucket {
	second = -1; // epoch second (bucket index) this bucket holds; -1 when unused

	apiTotal = 0;
	apiOk = 0;
	apiFailed = 0;
	apiCached = 0;
	latencySum = 0;
	latencyMax = 0;
	slow = 0;
	/** Rate-limiter waits and retry back-offs of the calls, apart from their latency. */
	queueSum = 0;
	queueMax = 0;
	retryWaitSum = 0;

	errNetwork = 0;
	errTimeout = 0;
	errRateLimit = 0;
	errServer = 0;
	errBreakerOpen = 0;
	errAuth = 0;
	// status → count; HTTP 4xx statuses bound it to at most 100 keys
	readonly client4xx = new Map<number, number>();

	uploadDone = 0;
	uploadFailed = 0;
	uploadCancelled = 0;
	uploadBytes = 0;
	uploadMbpsSum = 0;
	uploadMbpsCount = 0;
	/** Upload bytes that went on the wire (finished or not). */
	wireBytes = 0;

	cacheHits = 0;
	cacheMisses = 0;

	systemCount = 0;
	rssSum = 0;
	rssMax = 0;
	cpuSum = 0;
	cpuMax = 0;

	probeOk = 0;
	probeFailed = 0;

	breakerOpens = 0;
	breakerCloses = 0;

	webhookAccepted = 0;
	webhookRefused = 0;

	reset(second: number): void {
		this.second = second;
		this.apiTotal = this.apiOk = this.apiFailed = this.apiCached = 0;
		this.latencySum = this.latencyMax = this.slow = 0;
		this.queueSum = this.queueMax = this.retryWaitSum = 0;
		this.errNetwork = this.errTimeout = this.errRateLimit = this.errServer = this.errBreakerOpen = this.errAuth = 0;
		this.client4xx.clear();
		this.uploadDone = this.uploadFailed = this.uploadCancelled = this.uploadBytes = 0;
		this.uploadMbpsSum = this.uploadMbpsCount = this.wireBytes = 0;
		this.cacheHits = this.cacheMisses = 0;
		this.systemCount = this.rssSum = this.rssMax = this.cpuSum = this.cpuMax = 0;
		this.probeOk = this.probeFailed = 0;
		this.breakerOpens = this.breakerCloses = 0;
		this.webhookAccepted = this.webhookRefused = 0;
	}
}

/**
 * One bucket per second for the last `capacity` seconds, in a ring indexed by epoch second.
 * An event older than the ring holds is dropped (its slot already belongs to a newer second).
 */
export class SecondBuckets {
	private readonly buckets: SecondBucket[];

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
		this.buckets = Array.from({length: capacity}, () => new SecondBucket());
	}

	get size(): number {
		return this.buckets.length;
	}

	/** The bucket for `second`, recycling the slot if it held an older second; null if `second` is too old. */
	forWrite(second: number): SecondBucket | null {
		const bucket = this.buckets[second % this.capacity];
		if (bucket.second === second) return bucket;
		if (bucket.second > second) return null;
		bucket.reset(second);
		return bucket;
	}

	/** The buckets of seconds (last - n, last], oldest first; seconds with no bucket are skipped. */
	range(last: number, n: number): SecondBucket[] {
		const out: SecondBucket[] = [];
		const count = Math.min(n, this.capacity);
		for (let second = last - count + 1; second <= last; second++) {
			if (second < 0) continue;
			const bucket = this.buckets[second % this.capacity];
			if (bucket.second === second) out.push(bucket);
		}
		return out;
	}
}
