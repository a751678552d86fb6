// The HTTP layer of the client as the endpoints see it: a request, a page iterator, and what they answer.
import type * as z from 'zod';
import type {CircuitBreaker} from './circuit-breaker.js';
import type {BreakerGate} from './breaker-gate.js';
import type {PageEnvelope} from './types.js';
import type {Query} from './api-url.js';
import type {RateLimiter} from './rate-limiter.js';
import type {TokenProvider} from './auth/token-provider.js';

/** What a call's time was spent on (ApiCallEvent says what each measures). */
export type CallTiming = {wireMs: number; queueMs: number; retryWaitMs: number};

export type ApiResponse<T> = {status: number; headers: Record<string, string | string[] | undefined>; body: T; timing?: CallTiming};

export type RequestOptions = {
	query?: Query;
	/** Sent as JSON (bodies are wrapped in {data} by the endpoint functions). */
	json?: unknown;
	/** Name for events and messages; default: the endpoint class. */
	op?: string;
	/**
	 * Whether sending twice does no harm. Default: true for GET, PUT and DELETE, false for POST. A non-idempotent
	 * call is not retried after a timeout: the server may have done it late, and a retry would create a duplicate
	 * (a folder, an upload placeholder); the caller gets the timeout and must look before it re-creates.
	 */
	idempotent?: boolean;
	/**
	 * The shape of the answer's body we use (schemas.ts). An answer that does not match fails the call with a
	 * FrameioError (code 'response') naming the first field that is wrong; the body itself is returned unchanged.
	 */
	schema?: z.ZodType;
};

export type FrameioHttp = {
	readonly baseUrl: string;
	readonly auth: TokenProvider;
	readonly limiter: RateLimiter;
	/** This process's breaker: its state, whether it decides alone or mirrors the farm's. */
	readonly breaker: CircuitBreaker;
	/** How calls go through the breaker (the breaker itself, or the farm's shared one). */
	readonly breakerGate: BreakerGate;
	/** From now on, calls go through this gate (the composition root sets the farm's once it knows the identity). */
	useBreakerGate(gate: BreakerGate): void;
	request<T>(method: string, pathOrUrl: string | URL, options?: RequestOptions): Promise<ApiResponse<T>>;
	/** Pages of a list, following links.next to the end; each item checked against `item` when given. */
	pages<T>(path: string, query?: Query, op?: string, item?: z.ZodType): AsyncGenerator<PageEnvelope<T>, void, undefined>;
	/** Every item of a list. */
	all<T>(path: string, query?: Query, op?: string, item?: z.ZodType): Promise<T[]>;
	/** Closes the keep-alive sockets. */
	close(): void;
};
