// What one logical call carries through its wire attempts: got copies its `context` shallowly for every retry, so
// the state is held by reference under one key and every hook of every attempt sees the same object.
import type {Options} from 'got';
import type {EndpointClass} from './endpoint-classes.js';
import type {CallInfo} from './http-error-mapping.js';
import type {RateTicket} from './rate-limiter.js';

export type CallState = {
	endpointClass: EndpointClass;
	call: CallInfo;
	/** Whether sending it twice does no harm (see RequestOptions.idempotent). */
	idempotent: boolean;
	/** The 401 refresh happens once per call, not once per attempt. */
	refreshed: boolean;
	ticket?: RateTicket;
	/** The current attempt got past the token and went to the wire. */
	wired: boolean;
	sentToken?: string;
	bytes: number;
	/** Retries done so far (beforeRetry counts them), 429 waits included. */
	retries: number;
	/** Retries after failures other than a waited-out 429: max_retries bounds these. */
	failureRetries: number;
	/** Tries again after a 429, and the time waited for them (rate_limit_budget_seconds bounds it). */
	rateLimitRetries: number;
	rateLimitWaitMs: number;
	/** The delay chosen for the retry about to happen, whether it was the server's Retry-After, and whether a 429 caused it. */
	nextDelay?: {delayMs: number; honoured: boolean; rateLimited: boolean};
	// The three figures of a call's time, apart (ApiCallEvent says what each measures).
	queueMs: number;
	retryWaitMs: number;
	/** When the current attempt went on the wire, and how long the last finished attempt took there. */
	wireStartedAt: number;
	wireMs: number;
};

const STATE_KEY = 'frameioCall';

export function newCallState(init: Pick<CallState, 'endpointClass' | 'call' | 'idempotent'>): CallState {
	return {...init, refreshed: false, wired: false, bytes: 0, retries: 0, failureRetries: 0, rateLimitRetries: 0, rateLimitWaitMs: 0, queueMs: 0, retryWaitMs: 0, wireStartedAt: 0, wireMs: 0};
}

export function stateContext(state: CallState): Record<string, unknown> {
	return {[STATE_KEY]: state};
}

export function callState(options: {context: Options['context']} | undefined): CallState | undefined {
	return (options?.context as Record<string, unknown> | undefined)?.[STATE_KEY] as CallState | undefined;
}
