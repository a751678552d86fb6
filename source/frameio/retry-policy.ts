// Which failures are worth another attempt, and how long to wait before it. The numbers come from
// config/optimization.json (error_handling + rate_limiting.backoff_factor), never from constants here.
import type {OptimizationConfig} from '../config/index.js';
import type {FrameioError} from './errors.js';

export type RetrySettings = {
	maxRetries: number;
	baseSeconds: number;
	maxSeconds: number;
	factor: number;
	/** error_handling.rate_limit_budget_seconds: the most one call waits for 429s; 0 = a 429 is an ordinary retry. */
	rateLimitBudgetSeconds: number;
	/** The first wait after a 429 (Frame.io advises at least 1 s; tests shorten it). */
	rateLimitFirstDelayMs: number;
};

/** Frame.io's advice for a 429: pause at least a second, then double. */
export const RATE_LIMIT_FIRST_DELAY_MS = 1000;
/** One wait after a 429 is never longer than this (the budget bounds them all together). */
export const RATE_LIMIT_MAX_DELAY_MS = 60_000;

export function retrySettings(config: Pick<OptimizationConfig, 'error_handling' | 'rate_limiting'>, rateLimitFirstDelayMs = RATE_LIMIT_FIRST_DELAY_MS): RetrySettings {
	return {
		maxRetries: config.error_handling.max_retries,
		baseSeconds: config.error_handling.retry_delay_base,
		maxSeconds: config.error_handling.retry_delay_max,
		factor: config.rate_limiting.backoff_factor,
		rateLimitBudgetSeconds: config.error_handling.rate_limit_budget_seconds,
		rateLimitFirstDelayMs,
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

/**
 * The wait before the next try of a call that got a 429, its `previous`-th so far (0 = the first 429), having already
 * waited `waitedMs` for 429s. A 429 says "your bucket is full", not "the service failed": independent processes that
 * share one account user (no farm mode) collect them by design, and a file must not be refused for it. So a 429 has
 * its own schedule, outside max_retries: at least rateLimitFirstDelayMs (1 s), doubling, at least what Retry-After
 * says, each wait at most a minute, all of them together within rate_limit_budget_seconds. Jitter only lengthens a
 * wait (by up to a quarter), so that processes refused at the same moment do not all come back at the same moment.
 * Undefined: the budget is spent (the call fails), or off (the caller treats the 429 as an ordinary retry).
 */
export function rateLimitDelayMs(
	previous: number,
	settings: RetrySettings,
	waitedMs: number,
	retryAfterMs: number | undefined,
	random: () => number = Math.random,
): {delayMs: number; honoured: boolean} | undefined {
	const budgetMs = settings.rateLimitBudgetSeconds * 1000;
	if (budgetMs <= 0) return undefined;
	const first = Math.max(1, settings.rateLimitFirstDelayMs);
	const scheduled = Math.min(RATE_LIMIT_MAX_DELAY_MS, first * 2 ** Math.min(previous, 30)) * (1 + random() * 0.25);
	const honoured = retryAfterMs !== undefined && retryAfterMs > scheduled;
	const delayMs = honoured ? retryAfterMs : scheduled;
	if (waitedMs + delayMs > budgetMs) return undefined;
	return {delayMs, honoured};
}
