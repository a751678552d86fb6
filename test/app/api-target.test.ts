import {describe, expect, it} from 'vitest';
import {resolveApiTarget} from '../../source/app/api-target.js';
import {NoCredentialsError} from '../../source/frameio/auth/token-provider.js';
import {createFrameioClient} from '../../source/frameio/client.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {testConfig} from '../frameio/helpers.js';

describe('resolveApiTarget', () => {
	it('FRAMEIO_API_URL selects a custom host; FRAMEIO_TOKEN is the token', async () => {
		const token = rememberSecret('env_token_for_target_test');
		const target = await resolveApiTarget({stateDir: testDir('state'), env: {FRAMEIO_API_URL: 'http://127.0.0.1:4000/v4/', FRAMEIO_TOKEN: ` ${token} `, FRAMEIO_IMS_URL: 'http://127.0.0.1:4000/'}});
		expect(target).toMatchObject({kind: 'custom', baseUrl: 'http://127.0.0.1:4000', imsUrl: 'http://127.0.0.1:4000', rateLimitScale: 1});
		expect(target.auth.source).toBe('env');
		expect(await target.auth.getToken()).toBe(token);
	});

	it('defaults to api.frame.io and Adobe IMS', async () => {
		const target = await resolveApiTarget({stateDir: testDir('state'), env: {FRAMEIO_TOKEN: rememberSecret('env_token_for_live_test')}});
		expect(target).toMatchObject({kind: 'live', baseUrl: 'https://api.frame.io', imsUrl: 'https://ims-na1.adobelogin.com'});
	});

	it('without credentials: throws, falls back to the sandbox, or hands out a provider that throws on use', async () => {
		const stateDir = testDir('state');
		await expect(resolveApiTarget({stateDir, env: {}})).rejects.toBeInstanceOf(NoCredentialsError);
		const none = await resolveApiTarget({stateDir, env: {}, onMissing: 'none'});
		expect(none.auth.source).toBe('none');
		await expect(none.auth.getToken()).rejects.toBeInstanceOf(NoCredentialsError);
		const fallback = await resolveApiTarget({stateDir, env: {}, onMissing: 'sandbox', sandboxOptions: {enforceRateLimits: false}});
		try {
			expect(fallback.kind).toBe('sandbox');
			expect(fallback.auth.source).toBe('sandbox');
		} finally {
			await fallback.close();
		}
	});

	it('--sandbox starts an in-process sandbox whose token works, and renews it after a 401', async () => {
		const target = await resolveApiTarget({sandbox: true, stateDir: testDir('state'), env: {FRAMEIO_TOKEN: 'ignored-with-sandbox-flag'}, sandboxOptions: {rateLimitScale: 2}});
		try {
			expect(target.kind).toBe('sandbox');
			expect(target.rateLimitScale).toBe(2);
			expect(target.baseUrl).toBe(target.sandbox!.url);
			rememberSecret(target.sandbox!.token);
			const api = createFrameioClient({baseUrl: target.baseUrl, auth: target.auth, config: testConfig(), rateLimitScale: target.rateLimitScale});
			expect((await api.me()).id).toBe(target.sandbox!.ids.userId);
			target.sandbox!.expireAllTokens();
			expect((await api.me()).id).toBe(target.sandbox!.ids.userId);
			api.close();
		} finally {
			await target.close();
		}
	});

	it('reports an invalid FRAMEIO_API_URL clearly', async () => {
		await expect(resolveApiTarget({stateDir: testDir('state'), env: {FRAMEIO_API_URL: 'api.frame.io', FRAMEIO_TOKEN: 'x'}})).rejects.toThrow(/invalid API URL "api.frame.io"/);
	});
});
