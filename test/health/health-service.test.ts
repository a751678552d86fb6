// The runner: concurrency, one deadline for the whole run, failures first, thrown errors become failures.
// Plus the rate-limit check against a loopback server that reports little headroom.
import {describe, expect, it} from 'vitest';
import {createFrameioClient, EnvTokenProvider} from '../../source/frameio/index.js';
import {meCheck, rateLimitCheck} from '../../source/health/checks/api-checks.js';
import {HealthService, type HealthCheck} from '../../source/health/index.js';
import {scriptedServer, sendJson} from '../frameio/helpers.js';
import {healthConfig} from './rig.js';

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function check(id: string, run: HealthCheck['run']): HealthCheck {
	return {id, name: `check ${id}`, run};
}

describe('HealthService', () => {
	it('runs checks concurrently and sorts failures first, then warnings, keeping check order within each', async () => {
		let inFlight = 0;
		let most = 0;
		const checks = ['a', 'b', 'c', 'd', 'e'].map((id, index) =>
			check(id, async () => {
				most = Math.max(most, ++inFlight);
				await wait(100);
				inFlight--;
				return {status: (['pass', 'fail', 'warn', 'fail', 'pass'] as const)[index], reason: `reason ${id}`};
			}),
		);
		const results = await new HealthService(checks, {timeoutMs: 5000}).run();
		expect(most).toBe(5);
		expect(results.map(result => `${result.status}:${result.id}`)).toEqual(['fail:b', 'fail:d', 'warn:c', 'pass:a', 'pass:e']);
		expect(results[0]).toMatchObject({name: 'check b', reason: 'reason b'});
		expect(results.every(result => result.ms >= 90)).toBe(true);
	});

	it('turns a thrown error into a failure with its message, redacted', async () => {
		const results = await new HealthService([check('boom', async () => { throw new Error('disk on fire'); })], {timeoutMs: 1000}).run();
		expect(results).toEqual([{id: 'boom', name: 'check boom', status: 'fail', reason: 'disk on fire', ms: expect.any(Number)}]);
	});

	it('fails a check still running at the deadline and returns on time; dependents stop waiting just before', async () => {
		let aborted = false;
		const hang = check('hang', run => new Promise(resolve => run.signal.addEventListener('abort', () => {
			aborted = true;
			resolve({status: 'pass', reason: 'too late'});
		})));
		const dependent = check('dependent', async run => {
			const outcome = await run.outcomeOf('hang');
			return outcome ? {status: 'pass', reason: 'saw it'} : {status: 'warn', reason: 'hang did not finish'};
		});
		const begin = performance.now();
		const results = await new HealthService([hang, dependent, check('quick', async () => ({status: 'pass', reason: 'ok'}))], {timeoutMs: 500}).run();
		const elapsed = performance.now() - begin;
		expect(elapsed).toBeGreaterThanOrEqual(490);
		expect(elapsed).toBeLessThan(1500);
		expect(results.map(result => [result.id, result.status, result.reason])).toEqual([
			['hang', 'fail', 'timed out after 0.5 s'],
			['dependent', 'warn', 'hang did not finish'],
			['quick', 'pass', 'ok'],
		]);
		expect(aborted).toBe(true);
	});

	it('rejects when the caller aborts', async () => {
		const controller = new AbortController();
		const pending = new HealthService([check('slow', async () => (await wait(300), {status: 'pass', reason: 'late'}))], {timeoutMs: 5000}).run(controller.signal);
		controller.abort(new Error('user left'));
		await expect(pending).rejects.toThrow('user left');
	});
});

describe('rate-limit headroom check', () => {
	it('warns when the server says little is left, and fails at zero', async () => {
		let remaining = 7;
		const server = await scriptedServer((req, res) => {
			sendJson(res, 200, {data: {id: 'u1', name: 'Probe', email: 'probe@example.com', avatar_url: null}}, {
				'x-ratelimit-limit': '100',
				'x-ratelimit-remaining': String(remaining),
				'x-ratelimit-window': '60000',
			});
		});
		try {
			const config = healthConfig();
			const client = createFrameioClient({baseUrl: server.url, auth: new EnvTokenProvider('probe-token-not-a-secret'), config: config.optimization});
			const shared = {};
			const service = () => new HealthService([meCheck(client, shared, 5000), rateLimitCheck(client)], {timeoutMs: 5000});
			let results = await service().run();
			expect(results.find(result => result.id === 'api.ratelimit')).toMatchObject({status: 'warn', reason: 'tightest: me 7/100 left per 1 min (under 20 %)'});
			remaining = 0;
			results = await service().run();
			expect(results.find(result => result.id === 'api.ratelimit')).toMatchObject({status: 'fail'});
			expect(results.find(result => result.id === 'api.ratelimit')!.reason).toContain('me 0/100 left');
			client.close();
		} finally {
			await server.close();
		}
	});
});
