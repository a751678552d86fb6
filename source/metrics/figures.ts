import type {BreakerState} from '../events/index.js';

/** Mean/median/… are null when the window holds no sample (a report prints N/A); counts are 0. */
export type Figures = {
	window: {ms: number; seconds: number; from: number; to: number};
	api: {
		total: number;
		ok: number;
		failed: number;
		/** Calls answered from the cache (fromCache); not counted in total or latency. */
		cached: number;
		successRate: number | null;
		/** Time on the wire of the attempt that answered: what the network and Frame.io took, nothing we waited for. */
		latencyMs: {mean: number | null; median: number | null; p95: number | null; max: number | null};
		/** Time calls waited for our rate limiter before going out (summed over attempts), apart from latency. */
		queueWaitMs: {mean: number | null; max: number | null; total: number};
		/** Time calls waited between retries (back-off, or the server's Retry-After). */
		retryWaitMs: {total: number};
		/** Calls slower than monitoring.slow_operation_threshold. */
		slow: number;
		/** total / seconds covered (the window, or less when the store is younger than the window). */
		ratePerSec: number;
	};
	uploads: {
		count: number;
		done: number;
		failed: number;
		cancelled: number;
		/** Bytes of the uploads that completed. */
		bytes: number;
		/** Per finished file: its bytes over its time. */
		mbps: {mean: number | null; median: number | null};
		/** Bytes that went on the wire in the window (files in flight included) over the window's seconds, in MB/s. */
		throughputMbps: number | null;
		/** failed / (done + failed); cancelled uploads are the user's choice, not failures. */
		failureRate: number | null;
	};
	cache: {hits: number; misses: number; hitRate: number | null};
	system: {
		rssBytes: {mean: number | null; peak: number | null; last: number | null};
		cpuPercent: {mean: number | null; peak: number | null; last: number | null};
	};
	errors: {
		total: number;
		/** errors / API calls, null when there were no calls. */
		rate: number | null;
		byKind: {
			network: number;
			timeout: number;
			rate_limit: number;
			server: number;
			breaker_open: number;
			auth: number;
			client4xx: Record<string, number>;
		};
	};
	probe: {ok: number; failed: number; consecutiveFailures: number; lastMs: number | null; lastStatus: number | null; lastReason: string | null};
	breaker: {state: BreakerState; opens: number; closes: number};
	/** Webhook deliveries the receiver accepted (signed and fresh), and those it refused (401/400/413). */
	webhooks: {deliveries: number; refused: number};
};

/** What the alert engine and the report need from a metrics source. */
export type MetricsSource = {
	figures(windowMs: number, now?: number): Figures;
};

export const seriesNames = ['latencyMs', 'requestRate', 'uploadMbps', 'cpuPercent', 'rssMb'] as const;
export type SeriesName = (typeof seriesNames)[number];
