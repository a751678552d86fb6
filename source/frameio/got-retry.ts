// Our retry policy, expressed in got's own retry: `calculateDelay` decides whether and when (retry-policy.ts has the
// rules: network errors, timeouts, 408, 429 and 5xx; a POST only when it cannot have reached the server; the
// server's Retry-After up to retry_delay_max; otherwise full-jitter back-off), `beforeRetry` counts and logs.
// A 429 has its own schedule and budget (rateLimitDelayMs), outside max_retries: got's own limit is set out of
// reach, and max_retries is counted here, on the other failures only.
//
// One thing got cannot express: waiting on a clock we are given. The wait happens inside calculateDelay, on the
// client's `sleep` (tests observe and shorten it), and got is told to wait 1 ms more, the smallest delay it reads as
// "retry". Everything else (the attempt loop, a fresh request per attempt with beforeRequest run again) is got's.
import type {RequestError, RetryOptions} from 'got';
import type {Logger} from 'pino';
import {callState} from './call-state.js';
import {FrameioError} from './errors.js';
import {toFrameioError} from './http-error-mapping.js';
import type {RateLimiter} from './rate-limiter.js';
import {isRetryable, mayHaveReachedServer, rateLimitDelayMs, retryDelayMs, type RetrySettings} from './retry-policy.js';

export type GotRetryDeps = {
	settings: RetrySettings;
	limiter: RateLimiter;
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
	logger?: Logger;
};

/** got reads a delay of 0 as "do not retry"; after our own wait, this is all it adds. */
const GOT_RETRY_NOW_MS = 1;
/** got's own attempt limit, out of reach: calculateDelay enforces max_retries and the 429 budget itself. */
const GOT_LIMIT = 100_000;

export function gotRetry(deps: GotRetryDeps): Partial<RetryOptions> {
	return {
		limit: GOT_LIMIT,
		// Every method and status reaches calculateDelay, which applies our rules (got's defaults leave out POST).
		methods: ['GET', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'POST', 'PATCH'],
		statusCodes: [408, 413, 429, 500, 502, 503, 504, 521, 522, 524],
		async calculateDelay({error, computedValue}) {
			// afterResponse asked for the 401 replay (retryWithMergedOptions): got's own decision, not a retry of ours.
			if (error.name === 'RetryError') return computedValue;
			const state = callState(error.options);
			if (!state) return 0;
			// An attempt that got no answer still holds its limiter ticket (an answer settled it in afterResponse).
			if (state.ticket) deps.limiter.complete(state.ticket, {sent: state.wired});
			if (state.wired) state.wireMs = Math.max(0, deps.now() - state.wireStartedAt);
			const failure = toFrameioError(error, state.call);
			if (!(failure instanceof FrameioError)) return 0; // no credentials: nothing to retry
			if (!isRetryable(failure) || (!state.idempotent && mayHaveReachedServer(failure))) return 0;
			const retryAfterMs = failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000;
			// A 429 never reached the handler: even a POST is safe to send again.
			const rateLimited = failure.status === 429 ? rateLimitDelayMs(state.rateLimitRetries, deps.settings, state.rateLimitWaitMs, retryAfterMs, deps.random) : undefined;
			let delay = rateLimited;
			if (!delay) {
				// A 429 past its budget (or with the budget off) is an ordinary failure: max_retries decides.
				if (failure.status === 429 && deps.settings.rateLimitBudgetSeconds > 0) return 0;
				if (state.failureRetries >= deps.settings.maxRetries) return 0;
				delay = retryDelayMs(state.failureRetries, deps.settings, retryAfterMs, deps.random);
				if (!delay) return 0;
			}
			state.nextDelay = {...delay, rateLimited: rateLimited !== undefined};
			if (rateLimited) state.rateLimitRetries++;
			else state.failureRetries++;
			const startedAt = deps.now();
			await deps.sleep(delay.delayMs);
			const waited = Math.max(0, deps.now() - startedAt);
			state.retryWaitMs += waited;
			// The budget counts the scheduled wait: a test clock that does not move still ends the schedule.
			if (rateLimited) state.rateLimitWaitMs += Math.max(waited, delay.delayMs);
			return GOT_RETRY_NOW_MS;
		},
	};
}

/** got's beforeRetry hook: count the retry on the call, and say why in the log. */
export function countRetry(deps: Pick<GotRetryDeps, 'settings' | 'logger'>) {
	return (error: RequestError) => {
		const state = callState(error.options);
		// The 401 replay goes through got's retry path too; it is a refresh, not a retry.
		if (!state || error.name === 'RetryError') return;
		state.retries++;
		const {call} = state;
		const failure = toFrameioError(error, call);
		const status = failure instanceof FrameioError ? failure.status : 0;
		const code = failure instanceof FrameioError ? (failure.causeCode ?? failure.code) : 'auth';
		const delayMs = Math.round(state.nextDelay?.delayMs ?? 0);
		const rateLimited = state.nextDelay?.rateLimited ?? false;
		const line = {op: call.op, method: call.method, path: call.path, status, code, attempt: state.retries, of: deps.settings.maxRetries, delayMs, retryAfter: state.nextDelay?.honoured ?? false};
		if (rateLimited) {
			const budget = deps.settings.rateLimitBudgetSeconds;
			deps.logger?.warn(
				{...line, rateLimited: true, waitedMs: Math.round(state.rateLimitWaitMs), budgetSeconds: budget},
				`Rate limited: ${call.method} ${call.op} answered 429; waiting ${delayMs} ms before trying again (${Math.round(state.rateLimitWaitMs / 1000)} of ${budget} s of 429 waits used)`,
			);
			return;
		}
		deps.logger?.warn(
			line,
			`Retrying ${call.method} ${call.op} after ${status || code} (retry ${state.failureRetries}/${deps.settings.maxRetries} in ${delayMs} ms)`,
		);
	};
}
