// The sandbox's HTTP server: one node:http server on 127.0.0.1 serving the v4 API (/v4), the S3-like part
// endpoint (/s3), media links (/media), IMS (/ims), the Discord sink (/discord) and its own counters (/sandbox/stats).
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {ApiError} from './api-error.js';
import {buildApiRouter, type ApiDeps} from './api-routes.js';
import type {DiscordEmulator} from './discord.js';
import {chance, lateAnswerPlanner, planApiFault} from './faults.js';
import {sendJson} from './http-io.js';
import type {ImsEmulator} from './ims.js';
import type {MediaServer} from './media.js';
import {handlePartPut, type PartContext} from './parts.js';
import type {RateClass, RateLimiter} from './rate-limit.js';
import type {RequestLog} from './request-log.js';
import {STATS_PATH, type StatsCounter} from './stats.js';
import type {Timers} from './timers.js';
import {bearerToken, type TokenRegistry} from './tokens.js';
import type {FaultProfile, RequestRecord} from './types.js';

export type ServerDeps = {
	api: ApiDeps;
	tokens: TokenRegistry;
	limiter: RateLimiter;
	ims: ImsEmulator;
	discord: DiscordEmulator;
	media: MediaServer;
	stats: StatsCounter;
	log: RequestLog;
	timers: Timers;
	faults: () => FaultProfile;
	random: () => number;
	partBytesPerSecond?: number;
};

const SANDBOX_ACCOUNT_USER = 'demo-account-user';

const errorBody = (detail: string, title?: string) => ({errors: [{...(title ? {title} : {}), detail}]});

export function createSandboxServer(deps: ServerDeps): Server {
	const router = buildApiRouter();
	const lateAnswer = lateAnswerPlanner();

	async function api(req: IncomingMessage, res: ServerResponse, url: URL, record: RequestRecord): Promise<void> {
		const token = bearerToken(req.headers.authorization) ?? '';
		let found: ReturnType<typeof router.match>;
		try {
			found = router.match(req.method ?? 'GET', url.pathname);
		} catch {
			found = {route: null, pathMatched: false}; // a malformed %-escape in the path
		}
		const rateClass: RateClass = found.route ? found.route.handler.rateClass : 'other';
		res.on('close', () => deps.stats.answered(rateClass, res.headersSent ? res.statusCode : 0));

		const plan = planApiFault(deps.faults(), deps.random);
		if (plan.fault.kind === 'reset') {
			record.faulted = 'reset';
			req.socket.destroy();
			return;
		}
		if (plan.slow) record.faulted = 'slow';
		if (plan.delayMs > 0) await deps.timers.sleep(plan.delayMs);
		if (plan.fault.kind === 'error') {
			record.faulted = 'error';
			req.resume();
			const titles = {500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable'} as const;
			return sendJson(res, plan.fault.status, errorBody('The server could not handle the request, try again later', titles[plan.fault.status]), deps.limiter.peek(token, rateClass));
		}

		const auth = deps.tokens.check(token || undefined);
		if (auth !== 'ok') {
			req.resume();
			const detail = {missing: 'Missing bearer token', unknown: 'Invalid token', expired: 'Token expired'}[auth];
			return sendJson(res, 401, errorBody(detail, 'Unauthorized'), {...deps.limiter.peek(token, rateClass), 'www-authenticate': 'Bearer'});
		}
		if (plan.fault.kind === 'rate_limit_storm') {
			record.faulted = 'rate_limit_storm';
			req.resume();
			return sendJson(res, 429, errorBody('Too many requests', 'Too Many Requests'), deps.limiter.peek(token, rateClass, 0));
		}
		if (!found.route) {
			req.resume();
			return sendJson(res, 404, errorBody(`No route ${req.method} ${url.pathname}`, 'Not Found'), deps.limiter.peek(token, rateClass));
		}
		// Frame.io counts per account user, not per token: a refreshed token must not get fresh buckets.
		// Every token this sandbox issues belongs to its one demo user.
		const verdict = deps.limiter.take(SANDBOX_ACCOUNT_USER, rateClass);
		if (!verdict.allowed) {
			deps.stats.refusedByBucket();
			req.resume();
			return sendJson(res, 429, errorBody('Too many requests', 'Too Many Requests'), verdict.headers);
		}
		try {
			const result = await found.route.handler.run({req, url, params: found.params, deps: deps.api});
			const holdMs = lateAnswer(deps.faults(), req.method ?? 'GET', url.pathname);
			if (holdMs > 0) {
				record.faulted = 'late_answer';
				await deps.timers.sleep(holdMs);
			}
			sendJson(res, result.status, result.body, {...verdict.headers, ...result.headers});
		} catch (error) {
			req.resume();
			if (error instanceof ApiError) return sendJson(res, error.status, error.body(), verdict.headers);
			throw error;
		}
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const record = deps.log.start(req, url);
		res.on('finish', () => {
			record.status = res.statusCode;
		});
		const path = url.pathname;
		if (path === '/v4' || path.startsWith('/v4/')) return api(req, res, url, record);
		if (path.startsWith('/s3/')) {
			const context: PartContext = {
				store: deps.api.store,
				lifecycle: deps.api.lifecycle,
				injectFailure: () => chance(deps.faults().partFailureRate, deps.random),
				markFaulted: kind => {
					record.faulted = kind;
				},
				partBytesPerSecond: deps.partBytesPerSecond,
			};
			return handlePartPut(req, res, url, context);
		}
		if (path.startsWith('/media/')) return deps.media.handle(req, res, url);
		if (path === STATS_PATH) return deps.stats.handle(req, res);
		if (path.startsWith('/ims/')) return deps.ims.handle(req, res, url);
		if (path.startsWith('/discord/')) return deps.discord.handle(req, res, url);
		req.resume();
		sendJson(res, 404, errorBody(`No route ${req.method} ${path}`, 'Not Found'));
	}

	const server = createServer((req, res) => {
		handle(req, res).catch(error => {
			const message = error instanceof ApiError ? error.detail : 'Internal sandbox error';
			sendJson(res, error instanceof ApiError ? error.status : 500, errorBody(message));
		});
	});
	// Longer than common client keep-alive pools, so that a reused socket is rarely closed under the client.
	server.keepAliveTimeout = 30_000;
	return server;
}
