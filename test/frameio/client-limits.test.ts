// The limiter against a sandbox that enforces Frame.io's leaky buckets (scaled so the test stays short).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {createFrameioClient} from '../../source/frameio/client.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {RateLimiter} from '../../source/frameio/rate-limiter.js';
import {recordEvents, scriptedServer, sendJson, testConfig} from './helpers.js';

// files.show is 10/s; at 8× the sandbox allows a burst of 80 and 80 more per second.
const SCALE = 8;
let sandbox: Sandbox;
let fileId: string;

beforeAll(async () => {
	sandbox = await startSandbox({enforceRateLimits: true, rateLimitScale: SCALE});
	rememberSecret(sandbox.token);
	const references = sandbox.store.children(sandbox.ids.rootFolderId).find(child => child.name === 'REFERENCES')!;
	fileId = sandbox.store.children(references.id).find(child => child.type === 'file')!.id;
});
afterAll(() => sandbox.close());

describe('proactive rate limiting', () => {
	it('sends a burst of 200 calls to one endpoint class with zero 429s', async () => {
		const recorder = recordEvents();
		// No retries: a single 429 would fail a call.
		const api = createFrameioClient({
			baseUrl: sandbox.url,
			auth: new EnvTokenProvider(sandbox.token),
			config: testConfig({error_handling: {max_retries: 0, request_timeout_seconds: 20}}),
			bus: recorder.bus,
			rateLimitScale: SCALE,
		});
		sandbox.clearRequests();
		const results = await Promise.allSettled(Array.from({length: 200}, () => api.file(sandbox.ids.accountId, fileId)));
		const failures = results.flatMap(result => (result.status === 'rejected' ? [String((result.reason as Error).message)] : []));
		expect(failures).toEqual([]);
		const shows = sandbox.requests.filter(record => record.path.endsWith(`/files/${fileId}`));
		expect(shows).toHaveLength(200);
		expect(shows.filter(record => record.status === 429)).toHaveLength(0);
		expect(recorder.calls().every(event => event.status === 200 && event.retries === 0)).toBe(true);
		// The limiter read the server's headers as it went.
		const snapshot = api.limiter.snapshot()['files.show'];
		expect(snapshot.limit).toBe(10 * SCALE);
		expect(snapshot.observedAt).toBeGreaterThan(0);
		expect(snapshot.queued).toBe(0);
		api.close();
	});

	it('does not count time queued in the limiter against the request timeout', async () => {
		const server = await scriptedServer((_req, res) => sendJson(res, 200, {data: {id: 'u1', name: 'N', email: 'e@example.com', avatar_url: null}}));
		const api = createFrameioClient({
			baseUrl: server.url,
			auth: new EnvTokenProvider(sandbox.token),
			config: testConfig({error_handling: {max_retries: 0, request_timeout_seconds: 0.3}}),
			// Two requests per second, no burst: the third call waits about 1 s before it is sent.
			limiter: new RateLimiter({requestsPerSecond: 2, burstSize: 1}),
		});
		const started = Date.now();
		const users = await Promise.all([api.me(), api.me(), api.me()]);
		expect(users.map(user => user.id)).toEqual(['u1', 'u1', 'u1']);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(server.count()).toBe(3);
		api.close();
		await server.close();
	});

	it('control: a client that believes the limits are 20× higher collects 429s from the same sandbox', async () => {
		const api = createFrameioClient({
			baseUrl: sandbox.url,
			auth: new EnvTokenProvider(sandbox.token),
			// No retries and no 429 waits: a single 429 fails a call.
			config: testConfig({error_handling: {max_retries: 0, rate_limit_budget_seconds: 0}}),
			rateLimitScale: SCALE * 20,
		});
		sandbox.clearRequests();
		// files.status (5/s, 40/s at this scale): a bucket the previous tests did not touch.
		const results = await Promise.allSettled(Array.from({length: 200}, () => api.fileStatus(sandbox.ids.accountId, fileId)));
		const refused = sandbox.requests.filter(record => record.status === 429);
		expect(refused.length).toBeGreaterThan(0);
		expect(results.filter(result => result.status === 'rejected')).toHaveLength(refused.length);
		api.close();
	});
});
