// The Frame.io v4 HTTP client: one got instance (keep-alive) whose hooks do the per-request work, and got's own retry
// with our policy (got-retry.ts).
//   beforeRequest  wait for the rate limiter, then set the bearer token and an x-request-id (runs for every
//                  request that goes on the wire, the 401 replay included)
//   afterResponse  feed x-ratelimit-* to the limiter; on a 401, refresh the token once and replay the request once
//                  (got drops this hook for the replay, so a second 401 is final: no loop)
//   beforeError    map the failure to a FrameioError (the v4 errors[] body, network, timeout)
//   beforeRetry    count the retry and log it (got-retry.ts; calculateDelay there decides whether and when)
// A call counts once in the circuit breaker, after its retries. Each call emits one ApiCallEvent, with its time on
// the wire, its wait for the rate limiter and its wait between retries apart.
import {randomUUID} from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import got, {type Got, type Options} from 'got';
import type {Logger} from 'pino';
import type {EventBus} from '../events/index.js';
import type {OptimizationConfig} from '../config/index.js';
import {parseApiBase, resolveApiUrl, withQuery, type ApiBase, type Query} from './api-url.js';
import type {TokenProvider} from './auth/token-provider.js';
import {NoCredentialsError} from './auth/token-provider.js';
import {CircuitBreaker, type BreakerPermit} from './circuit-breaker.js';
import {ownBreakerGate, type BreakerGate} from './breaker-gate.js';
import {classifyRequest} from './endpoint-classes.js';
import {createEndpoints, type Endpoints} from './endpoints.js';
import {FrameioError} from './errors.js';
import {isRedirect, toFrameioError, unfollowedRedirect, type CallInfo} from './http-error-mapping.js';
import {collectPages, iteratePages} from './paginate.js';
import {RateLimiter, readRateLimitHeaders} from './rate-limiter.js';
import {retrySettings} from './retry-policy.js';
import {callState, newCallState, stateContext} from './call-state.js';
import {countRetry, gotRetry} from './got-retry.js';
import type {ApiResponse, CallTiming, FrameioHttp, RequestOptions} from './http.js';
import type {PageEnvelope} from './types.js';
import {checkShape, tooLargeError} from './response-check.js';
import {pageSchema} from './schemas.js';
import type * as z from 'zod';

export type {ApiResponse, CallTiming, FrameioHttp, RequestOptions};

export type FrameioClientOptions = {
	/** The API host: 'https://api.frame.io' or the sandbox's url. A trailing /v4 is tolerated. */
	baseUrl: string;
	auth: TokenProvider;
	config: Pick<OptimizationConfig, 'rate_limiting' | 'error_handling'>;
	bus?: EventBus;
	/** The 'frameio.api' logger. */
	logger?: Logger;
	/** Multiplies Frame.io's published limits (a scaled sandbox). */
	rateLimitScale?: number;
	/** Share one limiter / breaker between clients of the same process and token. */
	limiter?: RateLimiter;
	breaker?: CircuitBreaker;
	/** How calls go through the breaker; default the breaker itself (breaker-gate.ts). */
	breakerGate?: BreakerGate;
	/** The first wait after a 429 (Frame.io advises 1 s, the default; tests shorten it). */
	rateLimitFirstDelayMs?: number;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	/** Jitter source, [0, 1). */
	random?: () => number;
	userAgent?: string;
};

export type FrameioClient = FrameioHttp & Endpoints;

/** error_handling.max_response_mb when the config does not say. */
export const DEFAULT_MAX_RESPONSE_MB = 64;

/** More than this many redirects in one call is a loop (got's error says so). */
export const MAX_REDIRECTS = 5;

/** Whether a Location (relative to `from`) stays on `origin`: scheme, host and port alike. */
export function sameOrigin(location: string | undefined, from: string, origin: string): boolean {
	if (!location) return false;
	try {
		return new URL(location, from).origin === origin;
	} catch {
		return false;
	}
}

export function createFrameioClient(options: FrameioClientOptions): FrameioClient {
	const core = createFrameioHttp(options);
	return Object.assign(core, createEndpoints(core));
}

export function createFrameioHttp(options: FrameioClientOptions): FrameioHttp {
	const base: ApiBase = parseApiBase(options.baseUrl);
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
	const random = options.random ?? Math.random;
	const settings = retrySettings(options.config, options.rateLimitFirstDelayMs);
	const timeoutMs = Math.round(options.config.error_handling.request_timeout_seconds * 1000);
	const maxResponseBytes = Math.round((options.config.error_handling.max_response_mb ?? DEFAULT_MAX_RESPONSE_MB) * 1024 * 1024);
	const logger = options.logger;
	const auth = options.auth;
	const limiter =
		options.limiter ??
		new RateLimiter({
			requestsPerSecond: options.config.rate_limiting.requests_per_second,
			burstSize: options.config.rate_limiting.burst_size,
			scale: options.rateLimitScale,
			bus: options.bus,
			now: options.now,
			sleep: options.sleep,
		});
	const breaker =
		options.breaker ??
		new CircuitBreaker({
			threshold: options.config.error_handling.circuit_breaker_threshold,
			timeoutMs: options.config.error_handling.circuit_breaker_timeout * 1000,
			bus: options.bus,
			now: options.now,
		});
	let gate: BreakerGate = options.breakerGate ?? ownBreakerGate(breaker);
	breaker.on((state, previous) => {
		const line = {...breaker.stats(), previous};
		if (state === 'open') logger?.warn(line, `Circuit breaker open: calls refused for ${options.config.error_handling.circuit_breaker_timeout} s`);
		else logger?.info(line, `Circuit breaker ${state}`);
	});

	const agents = {
		http: new http.Agent({keepAlive: true, maxSockets: 64}),
		https: new https.Agent({keepAlive: true, maxSockets: 64}),
	};

	const retryDeps = {settings, limiter, now, sleep, random, logger};
	const client: Got = got.extend({
		agent: agents,
		timeout: {request: timeoutMs},
		retry: gotRetry(retryDeps),
		// beforeRequest sets the bearer token on every request got sends, a redirected one included: a redirect is
		// followed only within the API's origin. Another origin's is answered as the 3xx it is (toFrameioError says
		// why); Frame.io documents no redirect to another host for the calls we make.
		followRedirect: response => sameOrigin(response.headers.location, response.url, base.origin),
		maxRedirects: MAX_REDIRECTS,
		responseType: 'json',
		headers: {'user-agent': options.userAgent ?? 'frameio-admin', accept: 'application/json'},
		hooks: {
			beforeRequest: [
				async gotOptions => {
					const state = callState(gotOptions);
					if (!state) return;
					const queuedAt = now();
					state.ticket = await limiter.acquire(state.endpointClass);
					state.queueMs += Math.max(0, now() - queuedAt);
					state.wired = false;
					const token = await auth.getToken();
					state.wired = true;
					state.wireStartedAt = now();
					state.sentToken = token;
					gotOptions.headers.authorization = `Bearer ${token}`;
					gotOptions.headers['x-request-id'] = randomUUID();
				},
			],
			afterResponse: [
				async (response, retryWithMergedOptions) => {
					const state = callState(response.request.options);
					if (!state) return response;
					state.wireMs = Math.max(0, now() - state.wireStartedAt);
					state.bytes += response.rawBody?.length ?? 0;
					if (state.ticket) limiter.complete(state.ticket, {sent: true, status: response.statusCode, headers: readRateLimitHeaders(response.headers)});
					if (response.statusCode === 401 && !state.refreshed) {
						state.refreshed = true;
						const token = await auth.refresh(state.sentToken);
						if (token) {
							logger?.info({op: state.call.op, method: state.call.method, path: state.call.path}, 'API answered 401: token refreshed, replaying the request once');
							return retryWithMergedOptions({headers: {authorization: `Bearer ${token}`}});
						}
					}
					return response;
				},
			],
			beforeRetry: [countRetry(retryDeps)],
			beforeError: [
				error => {
					const state = callState(error.options);
					return state ? toFrameioError(error, state.call) : error;
				},
			],
		},
	});

	async function request<T>(method: string, pathOrUrl: string | URL, requestOptions: RequestOptions = {}): Promise<ApiResponse<T>> {
		const upper = method.toUpperCase();
		const url = withQuery(typeof pathOrUrl === 'string' ? resolveApiUrl(base, pathOrUrl) : pathOrUrl, requestOptions.query);
		const endpointClass = classifyRequest(upper, url.pathname);
		const call: CallInfo = {op: requestOptions.op ?? endpointClass, method: upper, path: url.pathname, origin: base.origin, timeoutMs};
		const startedAt = now();
		// One state for every attempt: the 401 refresh happens once per call, not once per retry.
		const state = newCallState({endpointClass, call, idempotent: requestOptions.idempotent ?? upper !== 'POST'});

		const emit = (status: number, error?: FrameioError) => {
			const rateLimited = state.rateLimitRetries + (status === 429 ? 1 : 0);
			options.bus?.emit({
				type: 'api',
				at: now(),
				op: call.op,
				method: upper,
				status,
				ms: state.wireMs,
				queueMs: state.queueMs,
				retryWaitMs: state.retryWaitMs,
				totalMs: Math.max(0, now() - startedAt),
				bytes: state.bytes,
				retries: state.retries,
				...(rateLimited > 0 ? {rateLimited} : {}),
				fromCache: false,
				...(error ? {errorKind: error.errorKind} : {}),
			});
		};

		const permit: BreakerPermit | null = await gate.acquire();
		if (!permit) {
			const waitS = Math.ceil(breaker.retryInMs() / 1000);
			const error = new FrameioError({
				...call,
				status: 0,
				code: 'breaker_open',
				detail: `${breaker.stats().consecutiveFailures} consecutive failures; next attempt allowed in ${waitS} s`,
			});
			emit(0, error);
			throw error;
		}

		// got has no size limit: the download is cut as soon as it passes ours (or says it will, by its content-length).
		let tooLarge: {status: number} | undefined;
		let answered = 0;
		try {
			const pending = client(url, {method: upper as Options['method'], json: requestOptions.json, context: stateContext(state)});
			pending.on('request', (wire: http.ClientRequest) => {
				wire.once('response', (response: http.IncomingMessage) => {
					answered = response.statusCode ?? 0;
					const declared = Number(response.headers['content-length']);
					if (Number.isFinite(declared) && declared > maxResponseBytes && !tooLarge) {
						tooLarge = {status: answered};
						pending.cancel();
					}
				});
			});
			pending.on('downloadProgress', progress => {
				if (progress.transferred > maxResponseBytes && !tooLarge) {
					tooLarge = {status: answered};
					pending.cancel();
				}
			});
			const response = await pending;
			if (isRedirect(response.statusCode)) throw unfollowedRedirect(response, call);
			if (requestOptions.schema) checkShape(requestOptions.schema, response.body, call, response.statusCode);
			await gate.success(permit);
			emit(response.statusCode);
			logger?.debug({op: call.op, method: upper, path: call.path, status: response.statusCode, retries: state.retries, ms: state.wireMs, queueMs: state.queueMs}, 'API call');
			return {status: response.statusCode, headers: response.headers, body: response.body as T, timing: {wireMs: state.wireMs, queueMs: state.queueMs, retryWaitMs: state.retryWaitMs}};
		} catch (raw) {
			// The last attempt got no answer (reset, timeout) or no token: settle the limiter's count for it.
			if (state.ticket) limiter.complete(state.ticket, {sent: state.wired});
			if (state.wired && !state.wireMs) state.wireMs = Math.max(0, now() - state.wireStartedAt);
			const error = tooLarge ? tooLargeError(call, tooLarge.status, maxResponseBytes) : toFrameioError(raw, call);
			if (error instanceof NoCredentialsError) {
				await gate.release(permit);
				throw error;
			}
			// A retried DELETE whose first attempt did the job but lost its answer finds nothing left: that is success.
			if (upper === 'DELETE' && state.retries > 0 && error.status === 404) {
				await gate.success(permit);
				emit(204);
				return {status: 204, headers: {}, body: '' as T};
			}
			error.retries = state.retries;
			if (error.isServiceFailure) await gate.failure(permit);
			else if (error.code === 'auth' && error.status === 0) await gate.release(permit);
			else await gate.success(permit);
			emit(error.status, error);
			const level = error.status >= 400 && error.status < 500 && error.status !== 429 ? 'info' : 'warn';
			logger?.[level]({op: call.op, method: upper, path: call.path, status: error.status, code: error.code, errorKind: error.errorKind, retries: state.retries}, error.message);
			throw error;
		}
	}

	const carriedKeys = ['page_size', 'include_total_count', 'include', 'type', 'sort'];

	async function* pages<T>(path: string, query?: Query, op?: string, item?: z.ZodType): AsyncGenerator<PageEnvelope<T>, void, undefined> {
		const first = withQuery(resolveApiUrl(base, path), query);
		const carried = query ? Object.fromEntries(Object.entries(query).filter(([key]) => carriedKeys.includes(key))) : undefined;
		const schema = pageSchema(item);
		yield* iteratePages<T>(
			async url => {
				const response = await request<PageEnvelope<T>>('GET', url, {op, schema});
				return assertPage<T>(response.body, op ?? classifyRequest('GET', url.pathname), url.pathname);
			},
			base,
			first,
			carried,
		);
	}

	return {
		baseUrl: `${base.origin}${base.prefix}`,
		auth,
		limiter,
		breaker,
		get breakerGate() {
			return gate;
		},
		useBreakerGate(next: BreakerGate) {
			gate = next;
		},
		request,
		pages,
		all: <T>(path: string, query?: Query, op?: string, item?: z.ZodType) => collectPages(pages<T>(path, query, op, item)),
		close() {
			agents.http.destroy();
			agents.https.destroy();
		},
	};
}

function assertPage<T>(body: unknown, op: string, path: string): PageEnvelope<T> {
	const page = body as Partial<PageEnvelope<T>> | null;
	if (!page || typeof page !== 'object' || !Array.isArray(page.data)) {
		throw new FrameioError({status: 200, code: 'http', op, method: 'GET', path, title: 'Unexpected response', detail: 'a list without a data array'});
	}
	return {data: page.data, links: {next: page.links?.next ?? null}, total_count: page.total_count};
}
