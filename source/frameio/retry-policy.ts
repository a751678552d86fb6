// Which failures are worth another attempt, and how long to wait before it. The numbers come from
// config/optimization.json (error_handling + rate_limiting.backoff_factor), never from constants here.
import type {OptimizationConfig} from '../config/index.js';
import type {FrameioError} from './errors.js';

export type RetrySettings = {
	maxRetries: number;
	baseSeconds: number;
	maxSeconds: number;
	factor: number;
};

export function retrySettings(config: Pick<OptimizationConfig, 'error_handling' | 'rate_limiting'>): RetrySettings {
	return {
		maxRetries: config.error_handling.max_retries,
		baseSeconds: config.error_handling.retry_delay_base,
		maxSeconds: config.error_handling.retry_delay_max,
		factor: config.rate_limiting.backoff_factor,
	};
}

/** 408, 429 and 5xx may succeed later; every other status is the caller's problem (400/401/403/404/409/422 …). */
export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

export function isRetryable(error: FrameioError): boolean {
	if (error.code === 'network' || error.code === 'timeout') return true;
	if (error.code !== 'http') return false; // auth (401 after the one refresh), breaker_open
	return isRetryableStatus(error.status);
}

// Failures that happen before a request is sent: the server cannot have acted on it.
const notSentCauses = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether the server may have acted on a request that failed this way: a timeout, or a connection reset or closed
 * after the request went out. A call that must not run twice (a POST that creates) is retried only when it cannot
 * have: its callers re-list to find out instead (find-or-create, the upload engine).
 */
export function mayHaveReachedServer(error: FrameioError): boolean {
	if (error.code === 'timeout') return true;
	if (error.code === 'network') return !notSentCauses.has(error.causeCode ?? '');
	return false;
}

/** The ceiling of the delay before retry number `attempt` (0 = the first retry): base · factor^attempt, capped. */
export function backoffCeilingMs(attempt: number, settings: RetrySettings): number {
	return Math.min(settings.maxSeconds, settings.baseSeconds * settings.factor ** attempt) * 1000;
}

/** Full jitter: uniform in [0, ceiling). Spreads a herd of clients that failed at the same moment. */
export function backoffDelayMs(attempt: number, settings: RetrySettings, random: () => number = Math.random): number {
	return random() * backoffCeilingMs(attempt, settings);
}

/** Retry-After as seconds ("120") or an HTTP date; undefined when absent or unreadable. Result in ms, ≥ 0. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (raw === undefined || raw.trim() === '') return undefined;
	const text = raw.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * The wait before retry number `attempt`. A server's Retry-After wins over our back-off (it knows when it will
 * take requests again), but never beyond retry_delay_max: past that we give up and report the failure rather
 * than block a command for longer than the user configured.
 */
export function retryDelayMs(
	attempt: number,
	settings: RetrySettings,
	retryAfterMs: number | undefined,
	random: () => number = Math.random,
): {delayMs: number; honoured: boolean} | undefined {
	if (retryAfterMs !== undefined) {
		if (retryAfterMs > settings.maxSeconds * 1000) return undefined;
		return {delayMs: retryAfterMs, honoured: true};
	}
	return {delayMs: backoffDelayMs(attempt, settings, random), honoured: false};
}
