// The circuit breaker over real HTTP: it opens, refuses without a request reaching the server, half-opens, closes.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {createFrameioClient} from '../../source/frameio/client.js';
import {FrameioError} from '../../source/frameio/errors.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {recordEvents, seen, sleep, testConfig} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({enforceRateLimits: false});
	rememberSecret(sandbox.token);
});
afterAll(() => sandbox.close());

describe('circuit breaker', () => {
	it('opens after the configured failures, refuses fast, half-opens after the timeout and closes on success', async () => {
		const recorder = recordEvents();
		const api = createFrameioClient({
			baseUrl: sandbox.url,
			auth: new EnvTokenProvider(sandbox.token),
			config: testConfig({error_handling: {max_retries: 1, circuit_breaker_threshold: 3, circuit_breaker_timeout: 0.6}}),
			bus: recorder.bus,
		});
		sandbox.setFaults({errorRate: 1});
		for (let index = 0; index < 3; index++) {
			await expect(api.me()).rejects.toMatchObject({code: 'http', retries: 1});
			expect(api.breaker.state).toBe(index < 2 ? 'closed' : 'open');
		}
		// Each failed call counts once, after its retry: 3 calls, 6 requests.
		expect(seen(sandbox, '/v4/me')).toHaveLength(6);

		const before = sandbox.requests.length;
		const refused = await api.me().catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(FrameioError);
		expect(refused).toMatchObject({code: 'breaker_open', status: 0, errorKind: 'breaker_open'});
		expect((refused as FrameioError).message).toMatch(/^GET me: circuit breaker open, not sent — 3 consecutive failures; next attempt allowed in 1 s$/);
		expect(sandbox.requests.length).toBe(before);

		await sleep(650);
		expect(api.breaker.state).toBe('half-open');
		sandbox.setFaults({});
		expect((await api.me()).id).toBe(sandbox.ids.userId);
		expect(api.breaker.state).toBe('closed');

		const states = recorder.events.flatMap(event => (event.type === 'breaker' ? [event.state] : []));
		expect(states).toEqual(['open', 'half-open', 'closed']);
		const last = recorder.calls().at(-2);
		expect(last).toMatchObject({status: 0, errorKind: 'breaker_open', retries: 0});
		expect(api.breaker.stats()).toMatchObject({opens: 1, rejected: 1, consecutiveFailures: 0});
		api.close();
	});

	it('reopens when the half-open probe fails, and 4xx answers never open it', async () => {
		const api = createFrameioClient({
			baseUrl: sandbox.url,
			auth: new EnvTokenProvider(sandbox.token),
			config: testConfig({error_handling: {max_retries: 0, circuit_breaker_threshold: 2, circuit_breaker_timeout: 0.5}}),
		});
		for (let index = 0; index < 5; index++) await expect(api.folder(sandbox.ids.accountId, 'missing')).rejects.toMatchObject({status: 404});
		expect(api.breaker.state).toBe('closed');

		sandbox.setFaults({resetRate: 1});
		await expect(api.me()).rejects.toMatchObject({code: 'network'});
		await expect(api.me()).rejects.toMatchObject({code: 'network'});
		expect(api.breaker.state).toBe('open');
		await sleep(550);
		const before = seen(sandbox, '/v4/me').length;
		await expect(api.me()).rejects.toMatchObject({code: 'network'}); // the probe
		expect(seen(sandbox, '/v4/me')).toHaveLength(before + 1);
		expect(api.breaker.state).toBe('open');
		await expect(api.me()).rejects.toMatchObject({code: 'breaker_open'});
		sandbox.setFaults({});
		api.close();
	});
});
