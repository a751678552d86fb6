import type {BreakerState} from '../events/index.js';
import type {AlertRuleName} from '../config/alerts-schema.js';
import {megabytes, percent, seconds} from './units.js';
import type {Figures} from './figures.js';
import {MB} from '../format/bytes.js';

/**
 * The fewest samples in a rule's window before its ratio or mean can fire: a single failed call
 * out of two is not a 50 % error rate worth waking someone for. Below it the rule reads "no data".
 */
export const MIN_SAMPLES = {
	/** API calls, for error_rate and api_latency. */
	apiCalls: 10,
	/**
	 * Cache lookups (hits + misses), for cache_miss_rate. Every process starts with a cold cache (the console on the
	 * sandbox with an empty one), and its first listings all miss: with 10, the demo raised this alert at every start.
	 */
	cacheLookups: 100,
	/** Finished uploads (done + failed), for upload_failure_rate. */
	uploads: 1,
} as const;

export type RuleReading = {
	/** The rule's own value in its own unit; null when there is not enough data to judge. */
	value: number | null;
	firing: boolean;
};

export type RuleDefinition = {
	title: string;
	/** Reads the rule's value from figures over the rule's window and compares it with the rule's own threshold. */
	read(figures: Figures, threshold: number): RuleReading;
	formatValue(value: number): string;
	formatThreshold(threshold: number): string;
	/** "API error rate 7.5 % > 5 %"; the window is appended by the caller. */
	summary(value: number | null, threshold: number, firing: boolean): string;
	/** Whether the window matters for this rule (state rules ignore it). */
	windowed: boolean;
	/**
	 * The figure comes from the sampler (one sample per monitoring.system_metrics_interval), not from events as they
	 * happen: its window must hold the newest sample however the sampler's and the evaluation's timers fall.
	 */
	sampled?: boolean;
	/** The seed's "Action recommandée": one concrete thing to do when the rule fires, on the host it fired on. */
	action: string;
};

const breakerValue: Record<BreakerState, number> = {closed: 0, 'half-open': 0.5, open: 1};

/** Memory readings are in MB; units.ts writes bytes. */
const megabytesOf = (mb: number) => megabytes(mb * MB);

const above = (value: number | null, threshold: number): RuleReading => ({value, firing: value !== null && value > threshold});

const comparison = (title: string, format: (value: number) => string) => (value: number | null, threshold: number, firing: boolean) =>
	value === null ? `${title}: not enough data (threshold ${format(threshold)})` : `${title} ${format(value)} ${firing ? '>' : '≤'} ${format(threshold)}`;

export const ruleDefinitions: Record<AlertRuleName, RuleDefinition> = {
	error_rate: {
		title: 'API error rate',
		windowed: true,
		action: 'run `frameio-admin logs --level error --since 10m` on this host to see which calls fail (5xx, 429, network, auth), then `frameio-admin health` before re-running failed uploads',
		read: (f, threshold) => above(f.api.total >= MIN_SAMPLES.apiCalls ? f.api.failed / f.api.total : null, threshold),
		formatValue: percent,
		formatThreshold: percent,
		summary: comparison('API error rate', percent),
	},
	api_latency: {
		title: 'API latency',
		windowed: true,
		action: 'check the network path to api.frame.io; see the queue-wait figure before raising TTLs',
		read: (f, threshold) =>
			above(f.api.total >= MIN_SAMPLES.apiCalls && f.api.latencyMs.mean !== null ? f.api.latencyMs.mean / 1000 : null, threshold),
		formatValue: seconds,
		formatThreshold: seconds,
		summary: comparison('Mean API latency', seconds),
	},
	memory: {
		title: 'Process memory',
		windowed: true,
		sampled: true,
		action: 'restart the long-running command on this host (watch and upload resume their queue); if it comes back, lower upload_optimization.max_concurrent_uploads or parts_concurrency',
		read: (f, threshold) => above(f.system.rssBytes.last === null ? null : f.system.rssBytes.last / MB, threshold),
		formatValue: megabytesOf,
		formatThreshold: megabytesOf,
		summary: comparison('Process memory', megabytesOf),
	},
	cache_miss_rate: {
		title: 'Cache miss rate',
		windowed: true,
		action: 'run `frameio-admin cache stats` on this host: if entries expire before they are read again, raise cache_ttl.folders and cache_ttl.structure',
		read(f, threshold) {
			const lookups = f.cache.hits + f.cache.misses;
			return above(lookups >= MIN_SAMPLES.cacheLookups ? f.cache.misses / lookups : null, threshold);
		},
		formatValue: percent,
		formatThreshold: percent,
		summary: comparison('Cache miss rate', percent),
	},
	upload_failure_rate: {
		title: 'Upload failure rate',
		windowed: true,
		action: 'run `frameio-admin logs --logger frameio.upload --level warn` on this host for each failed file\'s reason, then the same upload command again: it retries the failed files',
		read(f, threshold) {
			const finished = f.uploads.done + f.uploads.failed;
			return above(finished >= MIN_SAMPLES.uploads ? f.uploads.failed / finished : null, threshold);
		},
		formatValue: percent,
		formatThreshold: percent,
		summary: comparison('Upload failure rate', percent),
	},
	api_unreachable: {
		title: 'API unreachable',
		windowed: false,
		action: 'run `frameio-admin health` on this host: it tells DNS, proxy, TLS and token failures apart; queued uploads wait and resume on their own',
		read(f, threshold) {
			const value = f.probe.consecutiveFailures;
			// At least one failure: a threshold of 0 must not fire on a healthy API.
			return {value, firing: value >= Math.max(1, threshold)};
		},
		formatValue: value => String(value),
		formatThreshold: threshold => String(threshold),
		summary: (value, threshold, firing) =>
			firing
				? `API unreachable: ${value} consecutive failed probes (≥ ${threshold})`
				: `API reachable again (${value ?? 0} consecutive failed probes < ${threshold})`,
	},
	circuit_breaker_open: {
		title: 'Circuit breaker open',
		windowed: false,
		action: 'wait error_handling.circuit_breaker_timeout for the half-open trial; if it opens again, run `frameio-admin logs --logger frameio.api --level warn` on this host for the failing calls',
		// Half-open is still firing: the breaker is only testing the API, and resolving there would
		// flap (resolved, then open again) on every failed trial request.
		read: f => ({value: breakerValue[f.breaker.state], firing: f.breaker.state !== 'closed'}),
		formatValue: value => (value >= 1 ? 'open' : value > 0 ? 'half-open' : 'closed'),
		formatThreshold: () => 'open',
		summary: (value, _threshold, firing) =>
			firing
				? `Circuit breaker ${value !== null && value < 1 ? 'half-open' : 'open'}: API calls are short-circuited`
				: 'Circuit breaker closed again',
	},
};
