import * as z from 'zod';
import {DAY, HOUR, hours, MINUTE, seconds, secondsOrZero} from './durations.js';

const ttl = seconds(7 * DAY);
const ratio = z.number().min(0).max(1);

export const optimizationSchema = z.strictObject({
	cache_ttl: z.strictObject({
		projects: ttl,
		folders: ttl,
		structure: ttl,
		nomenclature: ttl,
		files: ttl,
	}),
	cache_invalidation: z.strictObject({
		auto_invalidate_on_error: z.boolean(),
		cleanup_interval_hours: hours(7 * 24),
		max_cache_age_hours: hours(14 * 24),
	}),
	rate_limiting: z.strictObject({
		// The wait between two requests is 1/rate: below one request per 100 s it is no longer a ceiling but an outage.
		requests_per_second: z.number().min(0.01, {message: 'expected at least 0.01 (one request every 100 s)'}),
		burst_size: z.number().int().positive(),
		backoff_factor: z.number().min(1),
	}),
	upload_optimization: z.strictObject({
		chunk_size: z.number().int().positive(),
		max_concurrent_uploads: z.number().int().positive(),
		parts_concurrency: z.number().int().positive(),
		timeout_seconds: seconds(6 * HOUR),
		status_poll_deadline_seconds: seconds(DAY),
		wait_for_transcode: z.boolean(),
	}),
	uploads: z.strictObject({
		version_stacking: z.boolean(),
	}),
	monitoring: z.strictObject({
		system_metrics_interval: seconds(HOUR),
		slow_operation_threshold: seconds(HOUR),
		health_timeout_seconds: seconds(HOUR),
		refresh_interval_seconds: seconds(HOUR),
	}),
	// Prometheus /metrics of the long-running processes (console, watch, upload); --metrics-port wins over port.
	metrics: z.strictObject({
		// null: not served. 0 is for --metrics-port (any free port): Prometheus could not find it.
		port: z.number().int().min(1).max(65_535).nullable(),
		// An address or a host name to bind; 0.0.0.0 opens it to the network.
		host: z
			.string()
			.trim()
			.min(1)
			.max(253)
			.regex(/^[A-Za-z0-9.:%\-]+$/, {message: 'expected an address or a host name, e.g. 127.0.0.1 or 0.0.0.0'}),
	}),
	error_handling: z.strictObject({
		max_retries: z.number().int().min(0),
		retry_delay_base: secondsOrZero(HOUR),
		retry_delay_max: secondsOrZero(HOUR),
		request_timeout_seconds: seconds(HOUR),
		circuit_breaker_threshold: z.number().int().positive(),
		circuit_breaker_timeout: seconds(DAY),
		// The largest API answer read into memory. Frame.io's largest (a page of 100 items with includes) is well
		// under 1 MiB; past the bound a runaway or hostile server could grow the process by gigabytes.
		max_response_mb: z
			.number()
			.min(1, {message: 'expected at least 1 MiB (a page of 100 items must fit)'})
			.max(1024, {message: 'expected at most 1024 MiB (1 GiB)'})
			.optional(),
		// A 429 is waited out (1 s, then doubling) instead of counting against max_retries: this is the most one call
		// may wait for 429s in total before the call fails. 0 turns the wait off (a 429 is then an ordinary retry).
		rate_limit_budget_seconds: secondsOrZero(6 * HOUR),
	}),
	farm: z.strictObject({
		// Empty: farm mode off. FRAMEIO_REDIS_URL wins over it.
		redis_url: z.string().max(2048, {message: 'expected a redis:// or rediss:// URL of at most 2048 characters'}),
		// Empty: the host name. FRAMEIO_NODE_NAME wins over it.
		node_name: z.string().max(64, {message: 'expected at most 64 characters'}),
		heartbeat_interval_seconds: seconds(MINUTE).min(0.2, {message: 'expected at least 0.2 s'}),
		folder_lock_ttl_seconds: seconds(10 * MINUTE).min(1, {message: 'expected at least 1 s'}),
	}),
	alerts: z.strictObject({
		error_rate_max: ratio,
		latency_mean_max_seconds: seconds(HOUR),
		memory_max_mb: z.number().positive(),
		cache_hit_rate_min: ratio,
		upload_failure_rate_max: ratio,
		upload_speed_min_mbps: z.number().min(0),
		// The seed's live-alert keys: each sets the threshold of one rule of alerts.json (seed-alert-keys.ts).
		error_rate_threshold: ratio.optional(),
		latency_threshold: z.number().positive().optional(),
		memory_threshold: z.number().positive().optional(),
		cache_miss_threshold: ratio.optional(),
	}),
});

export type OptimizationConfig = z.infer<typeof optimizationSchema>;

/** The defaults, the same values config/optimization.json ships with. */
export const optimizationDefaults: OptimizationConfig = {
	cache_ttl: {projects: 1800, folders: 900, structure: 3600, nomenclature: 7200, files: 300},
	cache_invalidation: {auto_invalidate_on_error: true, cleanup_interval_hours: 6, max_cache_age_hours: 24},
	rate_limiting: {requests_per_second: 10, burst_size: 20, backoff_factor: 2},
	upload_optimization: {
		chunk_size: 1024 * 1024,
		max_concurrent_uploads: 3,
		parts_concurrency: 4,
		timeout_seconds: 300,
		status_poll_deadline_seconds: 600,
		wait_for_transcode: false,
	},
	uploads: {version_stacking: true},
	monitoring: {
		system_metrics_interval: 5,
		slow_operation_threshold: 5,
		health_timeout_seconds: 10,
		refresh_interval_seconds: 2,
	},
	metrics: {port: null, host: '127.0.0.1'},
	error_handling: {
		max_retries: 3,
		retry_delay_base: 1,
		retry_delay_max: 30,
		request_timeout_seconds: 30,
		circuit_breaker_threshold: 5,
		circuit_breaker_timeout: 60,
		max_response_mb: 64,
		rate_limit_budget_seconds: 600,
	},
	farm: {redis_url: '', node_name: '', heartbeat_interval_seconds: 5, folder_lock_ttl_seconds: 15},
	alerts: {
		error_rate_max: 0.05,
		latency_mean_max_seconds: 5,
		memory_max_mb: 500,
		cache_hit_rate_min: 0.7,
		upload_failure_rate_max: 0.1,
		upload_speed_min_mbps: 5,
	},
};
