// Retries over real loopback HTTP: how many requests reach the server is counted on the server side.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {createFrameioClient, type FrameioClientOptions} from '../../source/frameio/client.js';
import {FrameioError} from '../../source/frameio/errors.js';
import {RateLimiter} from '../../source/frameio/rate-limiter.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {recordEvents, scriptedServer, seen, sendJson, sleep, testConfig, type ConfigOverrides} from './helpers.js';

let sandbox: Sandbox;
let A: string;

beforeAll(async () => {
	sandbox = await startSandbox({enforceRateLimits: false});
	rememberSecret(sandbox.token);
	A = sandbox.ids.accountId;
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.setFaults({}));

function client(overrides: ConfigOverrides = {}, extra: Partial<FrameioClientOptions> = {}, baseUrl = sandbox.url) {
	const recorder = recordEvents();
	const delays: number[] = [];
	const config = testConfig(overrides);
	const api = createFrameioClient({
		baseUrl,
		auth: new EnvTokenProvider(sandbox.token),
		config,
		bus: recorder.bus,
		// The limiter gets its own clock so that `delays` holds the retry back-offs only.
		limiter: new RateLimiter({requestsPerSecond: 1000, burstSize: 1000}),
		sleep: ms => {
			delays.push(ms);
			return sleep(ms);
		},
		...extra,
	});
	return {api, delays, ...recorder};
}

async function failure(promise: Promise<unknown>): Promise<FrameioError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof FrameioError) return error;
		throw error;
	}
	throw new Error('expected the call to fail');
}

describe('retries with the configured numbers', () => {
	it('max_retries 2 → exactly 3 requests, with growing full-jitter delays from base and factor', async () => {
		sandbox.setFaults({errorRate: 1});
		const start = sandbox.requests.length;
		const {api, delays, calls: events} = client({error_handling: {max_retries: 2, retry_delay_base: 0.01, retry_delay_max: 1}, rate_limiting: {backoff_factor: 3}}, {random: () => 0.999});
		const error = await failure(api.me());
		expect(seen(sandbox, '/v4/me', start)).toHaveLength(3);
		expect([500, 502, 503]).toContain(error.status);
		expect(error.retries).toBe(2);
		// ceilings 10 ms then 30 ms (base 0.01 s · 3^attempt), drawn at 99.9 %
		expect(delays.map(ms => Math.round(ms * 100) / 100)).toEqual([9.99, 29.97]);
		expect(events()).toEqual([expect.objectContaining({op: 'me', method: 'GET', status: error.status, retries: 2, fromCache: false, errorKind: 'server'})]);
		api.close();
	});

	it('max_retries 0 → one request; max_retries 4 → five', async () => {
		sandbox.setFaults({errorRate: 1});
		for (const maxRetries of [0, 4]) {
			const start = sandbox.requests.length;
			const {api} = client({error_handling: {max_retries: maxRetries}});
			const error = await failure(api.me());
			expect(error.retries).toBe(maxRetries);
			expect(seen(sandbox, '/v4/me', start)).toHaveLength(maxRetries + 1);
			api.close();
		}
	});

	it('caps each delay at retry_delay_max', async () => {
		sandbox.setFaults({errorRate: 1});
		const {api, delays} = client({error_handling: {max_retries: 4, retry_delay_base: 0.01, retry_delay_max: 0.02}, rate_limiting: {backoff_factor: 10}}, {random: () => 0.999});
		await failure(api.me());
		expect(delays.map(ms => Math.round(ms * 100) / 100)).toEqual([9.99, 19.98, 19.98, 19.98]);
		api.close();
	});

	it('recovers when a later attempt succeeds, after a 5xx and after a reset connection', async () => {
		for (const faults of [{errorRate: 1}, {resetRate: 1}]) {
			sandbox.setFaults(faults);
			const start = sandbox.requests.length;
			const {api, calls: events} = client({error_handling: {max_retries: 3}}, {
				sleep: async ms => {
					sandbox.setFaults({}); // the outage ends during the back-off
					await sleep(ms);
				},
			});
			const me = await api.me();
			expect(me.id).toBe(sandbox.ids.userId);
			expect(seen(sandbox, '/v4/me', start)).toHaveLength(2);
			expect(events()).toEqual([expect.objectContaining({op: 'me', status: 200, retries: 1})]);
			expect(events()[0].errorKind).toBeUndefined();
			api.close();
		}
	});

	it('retries a timeout, then reports it as a timeout', async () => {
		sandbox.setFaults({slowRate: 1, slowMs: 1500});
		const start = sandbox.requests.length;
		const {api} = client({error_handling: {max_retries: 1, request_timeout_seconds: 0.2}});
		const error = await failure(api.me());
		expect(error.code).toBe('timeout');
		expect(error.errorKind).toBe('timeout');
		expect(error.message).toMatch(/timed out — no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.20 s/);
		expect(seen(sandbox, '/v4/me', start)).toHaveLength(2);
		api.close();
	});

	it('names the host when nothing listens there', async () => {
		const closed = await scriptedServer(() => undefined);
		await closed.close();
		const {api} = client({error_handling: {max_retries: 1}}, {}, closed.url);
		const error = await failure(api.me());
		expect(error).toMatchObject({code: 'network', causeCode: 'ECONNREFUSED', retries: 1, status: 0});
		expect(error.message).toContain(`cannot reach ${closed.url} (connection refused)`);
		api.close();
	});
});

describe('calls that must not run twice', () => {
	it('a POST that timed out is not retried: the server may still do it', async () => {
		sandbox.setFaults({slowRate: 1, slowMs: 600});
		const start = sandbox.requests.length;
		const {api} = client({error_handling: {max_retries: 3, request_timeout_seconds: 0.2}});
		const error = await failure(api.createFolder(A, sandbox.ids.wipFolderId, 'LATE_FOLDER'));
		expect(error).toMatchObject({code: 'timeout', retries: 0});
		expect(seen(sandbox, `/v4/accounts/${A}/folders/${sandbox.ids.wipFolderId}/folders`, start)).toHaveLength(1);
		api.close();
	});

	it('a POST whose connection dropped after it was sent is not retried either', async () => {
		const server = await scriptedServer(req => req.socket.destroy()); // received (maybe done), the answer lost
		const {api} = client({error_handling: {max_retries: 3}}, {}, server.url);
		const error = await failure(api.createFolder(A, 'parent', 'DROPPED_FOLDER'));
		expect(error).toMatchObject({code: 'network', retries: 0});
		expect(server.count()).toBe(1);
		api.close();
		await server.close();
	});

	it('a POST that could not connect is retried: it never reached the server', async () => {
		const closed = await scriptedServer(() => {});
		await closed.close();
		const {api} = client({error_handling: {max_retries: 2}}, {}, closed.url);
		const error = await failure(api.createFolder(A, 'parent', 'NEVER_SENT'));
		expect(error).toMatchObject({code: 'network', causeCode: 'ECONNREFUSED', retries: 2});
		api.close();
	});

	it('a POST refused with a 5xx is retried, and creates one folder', async () => {
		sandbox.setFaults({errorRate: 1});
		const {api} = client({error_handling: {max_retries: 2}}, {
			sleep: async ms => {
				sandbox.setFaults({});
				await sleep(ms);
			},
		});
		const folder = await api.createFolder(A, sandbox.ids.wipFolderId, 'RETRIED_FOLDER');
		expect(sandbox.store.children(sandbox.ids.wipFolderId).filter(child => child.name === 'RETRIED_FOLDER')).toHaveLength(1);
		await api.deleteFolder(A, folder.id);
		api.close();
	});

	it('a retried DELETE that finds nothing left counts as done', async () => {
		const server = await scriptedServer((req, res, count) => {
			if (count === 1) return req.socket.destroy(); // done, but the answer is lost
			sendJson(res, 404, {errors: [{detail: 'Folder not found'}]});
		});
		const {api, calls} = client({error_handling: {max_retries: 2}}, {}, server.url);
		await api.deleteFolder(A, 'f1');
		expect(server.count()).toBe(2);
		expect(calls()).toEqual([expect.objectContaining({op: 'folders.delete', status: 204, retries: 1})]);
		// A first-attempt 404 is still an error.
		await expect(api.deleteFolder(A, 'f2')).rejects.toMatchObject({status: 404});
		api.close();
		await server.close();
	});
});

describe('no retry on client errors', () => {
	it('400, 403, 404 and 422 are sent once, with the API detail in the error', async () => {
		const {api} = client({error_handling: {max_retries: 3}});
		const root = sandbox.ids.rootFolderId;
		const cases: Array<{call: () => Promise<unknown>; status: number; path: string; detail: RegExp}> = [
			{call: () => api.request('POST', `accounts/${A}/folders/${root}/folders`), status: 400, path: `/v4/accounts/${A}/folders/${root}/folders`, detail: /Request body is required/},
			{call: () => api.deleteFolder(A, root), status: 403, path: `/v4/accounts/${A}/folders/${root}`, detail: /root folder cannot be deleted/},
			{call: () => api.folder(A, '00000000-0000-4000-8000-000000000000'), status: 404, path: `/v4/accounts/${A}/folders/00000000-0000-4000-8000-000000000000`, detail: /Folder not found/},
			{call: () => api.createFolder(A, root, ''), status: 422, path: `/v4/accounts/${A}/folders/${root}/folders`, detail: /name must be a string/},
		];
		for (const item of cases) {
			const start = sandbox.requests.length;
			const error = await failure(item.call());
			expect(error.status).toBe(item.status);
			expect(error.retries).toBe(0);
			expect(error.message).toMatch(item.detail);
			expect(seen(sandbox, item.path, start)).toHaveLength(1);
		}
		const invalid = await failure(api.createFolder(A, root, ''));
		expect(invalid.pointer).toBe('/data/name');
		expect(invalid.message).toBe(`POST folders.create 422: Invalid value — name must be a string of 1 to 255 characters (at /data/name)`);
		api.close();
	});

	it('409 is sent once (a scripted loopback server, since the sandbox never conflicts)', async () => {
		const server = await scriptedServer((_req, res) => sendJson(res, 409, {errors: [{title: 'Conflict', detail: 'Name already taken'}]}));
		const {api} = client({error_handling: {max_retries: 3}}, {}, server.url);
		const error = await failure(api.me());
		expect(error).toMatchObject({status: 409, retries: 0, title: 'Conflict', detail: 'Name already taken'});
		expect(server.count()).toBe(1);
		api.close();
		await server.close();
	});
});

describe('429 and Retry-After', () => {
	it('rides out a 429 storm and still answers every call, with max_retries 0: a 429 is waited out, not a retry', async () => {
		let draw = 0;
		const seeded = () => ((draw = (draw * 9301 + 49297) % 233280) / 233280);
		// A 429 means "your bucket is full": the limiter then waits a request's worth of refill. At the published
		// 100/min that is 0.6 s per 429; a sandbox at 60× keeps the test short.
		const stormy = await startSandbox({enforceRateLimits: false, rateLimitScale: 60, random: seeded, faults: {rateLimitStormRate: 0.5}});
		rememberSecret(stormy.token);
		try {
			const recorder = recordEvents();
			const api = createFrameioClient({
				baseUrl: stormy.url,
				auth: new EnvTokenProvider(stormy.token),
				config: testConfig({error_handling: {max_retries: 0, retry_delay_base: 0.005, retry_delay_max: 0.05}}),
				bus: recorder.bus,
				rateLimitScale: 60,
				// Frame.io's 1 s first wait, shortened; the doubling and the budget are the real ones.
				rateLimitFirstDelayMs: 5,
			});
			const results = await Promise.all(Array.from({length: 20}, () => api.me()));
			expect(results.every(me => me.id === stormy.ids.userId)).toBe(true);
			const tooMany = stormy.requests.filter(record => record.status === 429);
			expect(tooMany.length).toBeGreaterThan(0);
			expect(stormy.requests.filter(record => record.path === '/v4/me')).toHaveLength(20 + tooMany.length);
			expect(recorder.calls().reduce((sum, event) => sum + event.retries, 0)).toBe(tooMany.length);
			expect(recorder.calls().reduce((sum, event) => sum + (event.rateLimited ?? 0), 0)).toBe(tooMany.length);
			expect(recorder.events.some(event => event.type === 'ratelimit' && event.remaining === 0)).toBe(true);
			api.close();
		} finally {
			await stormy.close();
		}
	});

	it('waits what Retry-After says instead of its own back-off', async () => {
		const server = await scriptedServer((_req, res, count) => {
			if (count === 1) return sendJson(res, 429, {errors: [{detail: 'Slow down'}]}, {'retry-after': '1'});
			sendJson(res, 200, {data: {id: 'u1', name: 'N', email: 'e@example.com', avatar_url: null}});
		});
		const recorded: number[] = [];
		const {api} = client({error_handling: {max_retries: 2, retry_delay_max: 5}}, {random: () => 0, sleep: async ms => void recorded.push(ms)}, server.url);
		expect((await api.me()).id).toBe('u1');
		expect(recorded).toEqual([1000]);
		expect(server.count()).toBe(2);
		api.close();
		await server.close();
	});

	it('waits 1 s after a 429, then twice as long each time, and fails the call once its 429 budget is spent', async () => {
		const server = await scriptedServer((_req, res) => sendJson(res, 429, {errors: [{detail: 'Too many requests'}]}));
		const recorded: number[] = [];
		const {api} = client({error_handling: {max_retries: 0, rate_limit_budget_seconds: 10}}, {random: () => 0, sleep: async ms => void recorded.push(ms)}, server.url);
		const error = await failure(api.me());
		// 1 + 2 + 4 s fit in 10 s; 8 more would not.
		expect(recorded).toEqual([1000, 2000, 4000]);
		expect(error).toMatchObject({status: 429, retries: 3});
		expect(server.count()).toBe(4);
		api.close();
		await server.close();
	});

	it('gives up rather than wait a Retry-After longer than retry_delay_max', async () => {
		const server = await scriptedServer((_req, res) => sendJson(res, 503, {errors: [{detail: 'Maintenance'}]}, {'retry-after': '120'}));
		const {api} = client({error_handling: {max_retries: 3, retry_delay_max: 30}}, {}, server.url);
		const error = await failure(api.me());
		expect(error).toMatchObject({status: 503, retries: 0, retryAfterSeconds: 120});
		expect(server.count()).toBe(1);
		api.close();
		await server.close();
	});
});
