// What the report recommends: each figure against its target in config/optimization.json (`alerts`), and for a
// figure off target, the setting to change with its current value. No number here is a threshold of its own.
import type {OptimizationConfig} from '../../config/index.js';
import type {Figures} from '../figures.js';
import {MB} from '../../format/bytes.js';
import {cpu, megabytes, mbps, millis, percent, seconds} from '../units.js';

export const checkIds = ['error_rate', 'latency', 'memory', 'cache_hit_rate', 'upload_failure_rate', 'upload_speed', 'circuit_breaker'] as const;
export type CheckId = (typeof checkIds)[number];

export type Check = {
	id: CheckId;
	/** breach: off target; no_data: nothing to judge (never counted as fine). */
	status: 'ok' | 'breach' | 'no_data';
	value: number | null;
	threshold: number;
	/** One sentence: the finding, and for a breach what to change. */
	message: string;
};

export type Verdict = 'optimal' | 'action_needed' | 'not_enough_data';

export type Assessment = {checks: Check[]; verdict: Verdict; recommendations: string[]};

export function assess(figures: Figures, config: OptimizationConfig): Assessment {
	const checks = [errorRate, latency, memory, cacheHitRate, uploadFailureRate, uploadSpeed, breaker].map(check => check(figures, config));
	const breaches = checks.filter(check => check.status === 'breach');
	const missing = checks.filter(check => check.status === 'no_data');
	const recommendations = breaches.map(check => check.message);
	let verdict: Verdict;
	if (breaches.length > 0) verdict = 'action_needed';
	else if (missing.length > 0) verdict = 'not_enough_data';
	else verdict = 'optimal';
	if (verdict === 'optimal') recommendations.push('Optimal performance: every figure is within its threshold.');
	else if (verdict === 'not_enough_data') recommendations.push('No figure is off target, but this is not an all-clear: some figures had no data.');
	for (const check of missing) recommendations.push(check.message);
	return {checks, verdict, recommendations};
}

type Rule = (figures: Figures, config: OptimizationConfig) => Check;

const errorRate: Rule = (figures, config) => {
	const threshold = config.alerts.error_rate_max;
	const value = figures.errors.rate;
	if (value === null) return noData('error_rate', threshold, 'error rate: not enough data (no API call in the window)');
	if (value <= threshold) return ok('error_rate', value, threshold, `error rate ${percent(value)} ≤ ${percent(threshold)}`);
	return breach('error_rate', value, threshold, `error rate ${percent(value)} > ${percent(threshold)}: ${errorAdvice(figures, config)}`);
};

function errorAdvice(figures: Figures, config: OptimizationConfig): string {
	const {byKind} = figures.errors;
	const handling = config.error_handling;
	const rate = config.rate_limiting;
	const kinds: Array<[string, number, string]> = [
		['rate limited (HTTP 429)', byKind.rate_limit, `lower rate_limiting.requests_per_second, now ${rate.requests_per_second}, or rate_limiting.burst_size, now ${rate.burst_size}`],
		['server errors (5xx)', byKind.server, `raise error_handling.max_retries, now ${handling.max_retries}, or error_handling.retry_delay_base, now ${seconds(handling.retry_delay_base)}, and check Frame.io's status`],
		['network errors', byKind.network, `raise error_handling.max_retries, now ${handling.max_retries}, and check the network path to the API`],
		['timeouts', byKind.timeout, `raise error_handling.request_timeout_seconds, now ${seconds(handling.request_timeout_seconds)}`],
		[
			'calls refused by the open circuit breaker',
			byKind.breaker_open,
			`the API kept failing: the breaker opens after error_handling.circuit_breaker_threshold ${handling.circuit_breaker_threshold} failures for circuit_breaker_timeout ${seconds(handling.circuit_breaker_timeout)}; fix the underlying errors first`,
		],
		['authentication failures', byKind.auth, 'refresh the credentials (frameio-admin login) or set a fresh FRAMEIO_TOKEN'],
	];
	for (const [status, count] of Object.entries(byKind.client4xx)) {
		const advice =
			status === '404'
				? 'requests name things that do not exist: check the configured IDs with frameio-admin validate'
				: status === '403'
					? 'the token lacks a permission: check the user or app scopes'
					: 'requests are refused as invalid: see frameio-admin logs --level warn for the API\'s words';
		kinds.push([`HTTP ${status}`, count, advice]);
	}
	const [name, count, advice] = kinds.reduce((top, kind) => (kind[1] > top[1] ? kind : top));
	return `mostly ${name} (${count} of ${figures.errors.total}): ${advice}`;
}

const latency: Rule = (figures, config) => {
	const thresholdS = config.alerts.latency_mean_max_seconds;
	const mean = figures.api.latencyMs.mean;
	if (mean === null) return noData('latency', thresholdS, 'API latency: not enough data (no API call in the window)');
	const value = mean / 1000;
	const waited = figures.api.queueWaitMs.mean ?? 0;
	const queueNote = waited > 0 ? ` (calls also waited ${millis(waited)} each on average for Frame.io's rate limits, which latency does not count)` : '';
	if (value <= thresholdS) return ok('latency', value, thresholdS, `mean API latency ${millis(mean)} ≤ ${seconds(thresholdS)}${queueNote}`);
	const slow = config.monitoring.slow_operation_threshold;
	return breach(
		'latency',
		value,
		thresholdS,
		`mean API latency ${millis(mean)} > ${seconds(thresholdS)} (p95 ${millis(figures.api.latencyMs.p95)}, ${figures.api.slow} calls over monitoring.slow_operation_threshold ${seconds(slow)}): ` +
			`make fewer calls by caching longer (raise cache_ttl.folders, now ${seconds(config.cache_ttl.folders)}, and cache_ttl.projects, now ${seconds(config.cache_ttl.projects)}) and check the network path to the API`,
	);
};

const memory: Rule = (figures, config) => {
	const thresholdMb = config.alerts.memory_max_mb;
	const peak = figures.system.rssBytes.peak;
	if (peak === null) return noData('memory', thresholdMb, 'memory: not enough data (no system sample in the window; the console and report --probe sample it)');
	const value = peak / MB;
	if (value <= thresholdMb) return ok('memory', value, thresholdMb, `peak memory ${megabytes(peak)} ≤ ${thresholdMb} MB`);
	const upload = config.upload_optimization;
	return breach(
		'memory',
		value,
		thresholdMb,
		`peak memory ${megabytes(peak)} > ${thresholdMb} MB (mean ${megabytes(figures.system.rssBytes.mean)}, CPU peak ${cpu(figures.system.cpuPercent.peak)}): ` +
			`lower upload_optimization.max_concurrent_uploads, now ${upload.max_concurrent_uploads}, or upload_optimization.parts_concurrency, now ${upload.parts_concurrency}`,
	);
};

const cacheHitRate: Rule = (figures, config) => {
	const threshold = config.alerts.cache_hit_rate_min;
	const value = figures.cache.hitRate;
	if (value === null) return noData('cache_hit_rate', threshold, 'cache hit rate: not enough data (no cache lookup in the window)');
	if (value >= threshold) return ok('cache_hit_rate', value, threshold, `cache hit rate ${percent(value)} ≥ ${percent(threshold)}`);
	return breach(
		'cache_hit_rate',
		value,
		threshold,
		`cache hit rate ${percent(value)} < ${percent(threshold)}: raise cache_ttl.folders, now ${seconds(config.cache_ttl.folders)} (and cache_ttl.projects, now ${seconds(config.cache_ttl.projects)})`,
	);
};

const uploadFailureRate: Rule = (figures, config) => {
	const threshold = config.alerts.upload_failure_rate_max;
	const value = figures.uploads.failureRate;
	if (value === null) return noData('upload_failure_rate', threshold, 'upload failure rate: not enough data (no finished upload in the window)');
	if (value <= threshold) return ok('upload_failure_rate', value, threshold, `upload failure rate ${percent(value)} ≤ ${percent(threshold)}`);
	return breach(
		'upload_failure_rate',
		value,
		threshold,
		`upload failure rate ${percent(value)} > ${percent(threshold)} (${figures.uploads.failed} of ${figures.uploads.done + figures.uploads.failed}): ` +
			`raise error_handling.max_retries, now ${config.error_handling.max_retries}, or upload_optimization.timeout_seconds, now ${seconds(config.upload_optimization.timeout_seconds)}`,
	);
};

const uploadSpeed: Rule = (figures, config) => {
	const threshold = config.alerts.upload_speed_min_mbps;
	const value = figures.uploads.mbps.mean;
	if (value === null) return noData('upload_speed', threshold, 'upload speed: not enough data (no completed upload in the window)');
	if (value >= threshold) return ok('upload_speed', value, threshold, `mean upload speed ${mbps(value)} ≥ ${mbps(threshold)}`);
	return breach(
		'upload_speed',
		value,
		threshold,
		`mean upload speed ${mbps(value)} < ${mbps(threshold)}: raise upload_optimization.parts_concurrency, now ${config.upload_optimization.parts_concurrency}`,
	);
};

const breaker: Rule = (figures, config) => {
	const opens = figures.breaker.opens;
	const threshold = 0;
	if (figures.api.total === 0 && opens === 0) return noData('circuit_breaker', threshold, 'circuit breaker: not enough data (no API call in the window)');
	if (opens === 0) return ok('circuit_breaker', opens, threshold, 'circuit breaker never opened');
	const handling = config.error_handling;
	return breach(
		'circuit_breaker',
		opens,
		threshold,
		`circuit breaker opened ${opens} ${opens === 1 ? 'time' : 'times'}: the API failed error_handling.circuit_breaker_threshold ${handling.circuit_breaker_threshold} times in a row, ` +
			`and calls were refused for circuit_breaker_timeout ${seconds(handling.circuit_breaker_timeout)}; see the errors above`,
	);
};

const ok = (id: CheckId, value: number, threshold: number, message: string): Check => ({id, status: 'ok', value, threshold, message});
const breach = (id: CheckId, value: number, threshold: number, message: string): Check => ({id, status: 'breach', value, threshold, message});
const noData = (id: CheckId, threshold: number, message: string): Check => ({id, status: 'no_data', value: null, threshold, message});
