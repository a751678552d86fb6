import {describe, expect, it} from 'vitest';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import {FrameioError} from '../../source/frameio/errors.js';
import {backoffCeilingMs, backoffDelayMs, isRetryable, parseRetryAfter, rateLimitDelayMs, retryDelayMs, retrySettings, type RetrySettings} from '../../source/frameio/retry-policy.js';

const error = (status: number, code: FrameioError['code'] = 'http') => new FrameioError({status, code, op: 'me', method: 'GET', path: '/v4/me'});

describe('retry policy', () => {
	it('retries network errors, timeouts, 408, 429 and 5xx only', () => {
		for (const status of [408, 429, 500, 502, 503, 504]) expect(isRetryable(error(status)), String(status)).toBe(true);
		for (const status of [400, 401, 403, 404, 409, 422]) expect(isRetryable(error(status)), String(status)).toBe(false);
		expect(isRetryable(error(0, 'network'))).toBe(true);
		expect(isRetryable(error(0, 'timeout'))).toBe(true);
		expect(isRetryable(error(401, 'auth'))).toBe(false);
		expect(isRetryable(error(0, 'breaker_open'))).toBe(false);
	});

	it('takes its numbers from the config', () => {
		const settings = retrySettings({
			...optimizationDefaults,
			error_handling: {...optimizationDefaults.error_handling, max_retries: 7, retry_delay_base: 0.5, retry_delay_max: 9, rate_limit_budget_seconds: 120},
			rate_limiting: {...optimizationDefaults.rate_limiting, backoff_factor: 3},
		});
		expect(settings).toEqual({maxRetries: 7, baseSeconds: 0.5, maxSeconds: 9, factor: 3, rateLimitBudgetSeconds: 120, rateLimitFirstDelayMs: 1000});
		// base · factor^attempt, capped at max
		expect([0, 1, 2, 3].map(attempt => backoffCeilingMs(attempt, settings))).toEqual([500, 1500, 4500, 9000]);
	});

	const base: RetrySettings = {maxRetries: 3, baseSeconds: 1, maxSeconds: 30, factor: 2, rateLimitBudgetSeconds: 600, rateLimitFirstDelayMs: 1000};

	it('draws a full-jitter delay between 0 and the ceiling', () => {
		const settings = base;
		expect(backoffDelayMs(2, settings, () => 0)).toBe(0);
		expect(backoffDelayMs(2, settings, () => 0.5)).toBe(2000);
		expect(backoffDelayMs(2, settings, () => 0.999)).toBeCloseTo(3996, 0);
	});

	it('reads Retry-After as seconds or an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(['1.5'], now)).toBe(1500);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('honours Retry-After over the back-off, up to retry_delay_max', () => {
		const settings = {...base, maxSeconds: 5};
		expect(retryDelayMs(0, settings, 4000, () => 0)).toEqual({delayMs: 4000, honoured: true});
		expect(retryDelayMs(0, settings, 6000, () => 0)).toBeUndefined();
		expect(retryDelayMs(1, settings, undefined, () => 0.5)).toEqual({delayMs: 1000, honoured: false});
	});

	it('waits out a 429 as Frame.io advises: at least 1 s, then doubling, each wait at most a minute, within the budget', () => {
		const settings = {...base, rateLimitBudgetSeconds: 300};
		const schedule: number[] = [];
		let waited = 0;
		for (let previous = 0; ; previous++) {
			const delay = rateLimitDelayMs(previous, settings, waited, undefined, () => 0);
			if (!delay) break;
			schedule.push(delay.delayMs);
			waited += delay.delayMs;
		}
		expect(schedule.slice(0, 8)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
		// Every wait fits the budget; the next one would not.
		expect(waited).toBeLessThanOrEqual(300_000);
		expect(waited + 60_000).toBeGreaterThan(300_000);
		// Jitter only lengthens a wait, by up to a quarter.
		expect(rateLimitDelayMs(0, settings, 0, undefined, () => 0.999)!.delayMs).toBeGreaterThan(1240);
		expect(rateLimitDelayMs(0, settings, 0, undefined, () => 0.999)!.delayMs).toBeLessThan(1250);
	});

	it("takes a longer Retry-After over the schedule, gives up past the budget, and leaves a 429 to max_retries when the budget is 0", () => {
		expect(rateLimitDelayMs(0, base, 0, 7000, () => 0)).toEqual({delayMs: 7000, honoured: true});
		expect(rateLimitDelayMs(3, base, 0, 2000, () => 0)).toEqual({delayMs: 8000, honoured: false});
		expect(rateLimitDelayMs(0, {...base, rateLimitBudgetSeconds: 5}, 4500, undefined, () => 0)).toBeUndefined();
		expect(rateLimitDelayMs(0, {...base, rateLimitBudgetSeconds: 5}, 0, 6000, () => 0)).toBeUndefined();
		expect(rateLimitDelayMs(0, {...base, rateLimitBudgetSeconds: 0}, 0, undefined, () => 0)).toBeUndefined();
	});
});
