import {afterEach, describe, expect, it} from 'vitest';
import {seededRandom} from '../../source/sandbox/ids.js';
import {resolveFaults, startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call} from './http.js';

const open: Sandbox[] = [];
async function sandboxWith(options: Parameters<typeof startSandbox>[0]): Promise<Sandbox> {
	const sandbox = await startSandbox({seed: 'empty', ...options});
	rememberSecret(sandbox.token);
	open.push(sandbox);
	return sandbox;
}
afterEach(async () => {
	await Promise.all(open.splice(0).map(sandbox => sandbox.close()));
});

describe('rate limits', () => {
	it('sends x-ratelimit-* on every /v4 response and answers 429 when a scaled bucket is empty', async () => {
		const sandbox = await sandboxWith({rateLimitScale: 0.05}); // /v4/me: 100/min → 5/min
		const remaining: string[] = [];
		for (let index = 0; index < 5; index++) {
			const reply = await call(sandbox, 'GET', '/v4/me');
			expect(reply.status).toBe(200);
			expect(reply.headers.get('x-ratelimit-limit')).toBe('5');
			expect(reply.headers.get('x-ratelimit-window')).toBe('60000');
			remaining.push(reply.headers.get('x-ratelimit-remaining')!);
		}
		expect(remaining).toEqual(['4', '3', '2', '1', '0']);
		const limited = await call(sandbox, 'GET', '/v4/me');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(limited.body.errors[0].detail).toMatch(/too many/i);
		// Buckets are per endpoint class and per account user: another class is open, another token of the same
		// user is not (a refreshed token must not get fresh buckets).
		expect((await call(sandbox, 'GET', '/v4/accounts')).status).toBe(200);
		const other = sandbox.issueAccessToken();
		rememberSecret(other);
		expect((await call(sandbox, 'GET', '/v4/me', {token: other})).status).toBe(429);
		// Errors carry the headers too.
		const unauthorized = await call(sandbox, 'GET', '/v4/me', {token: 'bogus'});
		expect(unauthorized.status).toBe(401);
		expect(unauthorized.headers.get('x-ratelimit-limit')).toBe('5');
	});

	it('leaks continuously: a drained per-second bucket refills within its window', async () => {
		const sandbox = await sandboxWith({});
		const url = `/v4/accounts/${sandbox.ids.accountId}/folders/${sandbox.ids.wipFolderId}/folders`;
		// A burst of 8 against create folder (3/s): the first 3 pass, most of the rest are refused.
		const statuses = await Promise.all(Array.from({length: 8}, (_, index) => call(sandbox, 'POST', url, {json: {data: {name: `F${index}`}}}).then(reply => reply.status)));
		const created = statuses.filter(status => status === 201).length;
		expect(created).toBeGreaterThanOrEqual(3);
		expect(statuses.filter(status => status === 429).length).toBeGreaterThan(0);
		expect(statuses.every(status => status === 201 || status === 429)).toBe(true);
		expect(sandbox.store.children(sandbox.ids.wipFolderId)).toHaveLength(created);
		await new Promise(resolve => setTimeout(resolve, 700));
		expect((await call(sandbox, 'POST', url, {json: {data: {name: 'later'}}})).status).toBe(201);
	});

	it('never answers 429 with enforceRateLimits: false', async () => {
		const sandbox = await sandboxWith({enforceRateLimits: false, rateLimitScale: 0.01});
		const statuses = await Promise.all(Array.from({length: 20}, () => call(sandbox, 'GET', '/v4/me').then(reply => reply.status)));
		expect(statuses.every(status => status === 200)).toBe(true);
	});

	it('does not rate-limit part PUTs', async () => {
		const sandbox = await sandboxWith({rateLimitScale: 0.01});
		const created = await call(sandbox, 'POST', `/v4/accounts/${sandbox.ids.accountId}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {
			json: {data: {name: 'a.bin', file_size: 20}},
		});
		const url = created.body.data.upload_urls[0].url;
		for (let index = 0; index < 10; index++) {
			const reply = await fetch(url, {method: 'PUT', body: Buffer.alloc(20), headers: {'content-type': 'application/octet-stream', 'x-amz-acl': 'private'}});
			expect(reply.status).toBe(200);
			await reply.arrayBuffer();
		}
	});
});

describe('faults', () => {
	it('resolves named profiles and refuses unknown names or bad rates', () => {
		expect(resolveFaults('flaky')).toMatchObject({errorRate: 0.05, resetRate: 0.02});
		expect(resolveFaults('none')).toEqual({});
		expect(() => resolveFaults('chaos')).toThrow(/unknown fault profile/);
		expect(() => resolveFaults({errorRate: 2})).toThrow(/between 0 and 1/);
	});

	it('injects 5xx with an errors[] body, 429 storms and resets on /v4 only', async () => {
		const sandbox = await sandboxWith({faults: {errorRate: 1}, random: () => 0.5});
		const error = await call(sandbox, 'GET', '/v4/me');
		expect(error.status).toBe(502); // floor(0.5 * 3) picks the middle of 500/502/503
		expect(error.body.errors[0].detail).toBeTruthy();
		expect(sandbox.requests.at(-1)).toMatchObject({path: '/v4/me', status: 502, faulted: 'error'});
		// IMS and the Discord sink are not faulted.
		const ims = await fetch(new URL('/ims/token/v3', sandbox.imsUrl), {method: 'POST', body: 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret', headers: {'content-type': 'application/x-www-form-urlencoded'}});
		expect(ims.status).toBe(200);
		rememberSecret((await ims.json()).access_token);

		sandbox.setFaults({rateLimitStormRate: 1});
		const storm = await call(sandbox, 'GET', '/v4/me');
		expect(storm.status).toBe(429);
		expect(storm.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(sandbox.requests.at(-1)!.faulted).toBe('rate_limit_storm');

		sandbox.setFaults({resetRate: 1});
		await expect(call(sandbox, 'GET', '/v4/me')).rejects.toThrow();
		expect(sandbox.requests.at(-1)).toMatchObject({status: 0, faulted: 'reset'});

		sandbox.setFaults('none');
		expect((await call(sandbox, 'GET', '/v4/me')).status).toBe(200);
	});

	it('delays responses by latency and marks slow spikes', async () => {
		const sandbox = await sandboxWith({faults: {latencyMs: 150}});
		const started = Date.now();
		expect((await call(sandbox, 'GET', '/v4/me')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		sandbox.setFaults({slowRate: 1, slowMs: 100});
		await call(sandbox, 'GET', '/v4/me');
		expect(sandbox.requests.at(-1)!.faulted).toBe('slow');
	});

	it('fails part PUTs at partFailureRate and lets a retry succeed', async () => {
		const sandbox = await sandboxWith({faults: {partFailureRate: 1}});
		const created = await call(sandbox, 'POST', `/v4/accounts/${sandbox.ids.accountId}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {
			json: {data: {name: 'a.mp4', file_size: 64}},
		});
		expect(created.status).toBe(201); // partFailureRate does not touch the API
		const put = () => fetch(created.body.data.upload_urls[0].url, {method: 'PUT', body: Buffer.alloc(64, 1), headers: {'content-type': 'video/mp4', 'x-amz-acl': 'private'}});
		const failed = await put();
		expect(failed.status).toBe(500);
		expect(await failed.text()).toContain('<Code>InternalError</Code>');
		expect(sandbox.requests.at(-1)!.faulted).toBe('part_failure');
		sandbox.setFaults('none');
		expect((await put()).status).toBe(200);
	});

	it('is repeatable with an injected RNG', async () => {
		const run = async () => {
			const sandbox = await sandboxWith({faults: {errorRate: 0.3, rateLimitStormRate: 0.1}, random: seededRandom(7), enforceRateLimits: false});
			const statuses: number[] = [];
			for (let index = 0; index < 60; index++) statuses.push((await call(sandbox, 'GET', '/v4/me')).status);
			return statuses;
		};
		const first = await run();
		const second = await run();
		expect(second).toEqual(first);
		const errors = first.filter(status => status >= 500).length;
		expect(errors).toBeGreaterThan(5);
		expect(errors).toBeLessThan(35);
		expect(first.filter(status => status === 429).length).toBeGreaterThan(0);
	});
});

describe('discord sink', () => {
	it('records posts (204) and answers 429 with retry_after after failNext', async () => {
		const sandbox = await sandboxWith({});
		rememberSecret(sandbox.discordWebhookUrl);
		const post = (body: unknown, url = sandbox.discordWebhookUrl) =>
			fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
		const ok = await post({content: 'hello', embeds: [{title: 'Alert'}]});
		expect(ok.status).toBe(204);
		expect(sandbox.discord.messages).toHaveLength(1);
		expect(sandbox.discord.messages[0].body).toEqual({content: 'hello', embeds: [{title: 'Alert'}]});

		sandbox.discord.failNext(2, 0.25);
		for (let index = 0; index < 2; index++) {
			const limited = await post({content: 'again'});
			expect(limited.status).toBe(429);
			expect(await limited.json()).toEqual({message: 'You are being rate limited.', retry_after: 0.25, global: false});
		}
		expect((await post({content: 'again'})).status).toBe(204);
		expect(sandbox.discord.messages).toHaveLength(2);

		const wrong = await post({content: 'x'}, sandbox.discordWebhookUrl.replace(/\/[^/]+$/, '/wrong'));
		expect(wrong.status).toBe(404);
		expect(JSON.stringify(sandbox.requests)).not.toContain(sandbox.discordWebhookUrl.split('/').at(-1));
	});
});
