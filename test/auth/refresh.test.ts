// Token refresh over real HTTP against the sandbox's IMS, which rotates refresh tokens (a used one is dead at once).
import {statSync} from 'node:fs';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {CredentialsStore} from '../../source/config/credentials.js';
import {ImsClient} from '../../source/frameio/auth/ims-client.js';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {StoredTokenProvider} from '../../source/frameio/auth/stored-token.js';
import type {TokenProvider} from '../../source/frameio/auth/token-provider.js';
import {createFrameioClient} from '../../source/frameio/client.js';
import {FrameioError} from '../../source/frameio/errors.js';
import {createLogging, type Logging} from '../../source/log/logger.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {seen, scriptedServer, sendJson, testConfig} from '../frameio/helpers.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {imsCalls, readAll, remember, removeStores, s2sLogin, userLogin} from './helpers.js';

const S2S_SECRET = rememberSecret(`s2s-secret-${Math.random().toString(36).slice(2)}`);
let sandbox: Sandbox;
let logging: Logging;
let logsDir: string;

beforeAll(async () => {
	sandbox = await startSandbox({
		enforceRateLimits: false,
		imsClients: [{clientId: 'sandbox-client'}, {clientId: 's2s-client', clientSecret: S2S_SECRET}],
	});
	rememberSecret(sandbox.token);
	logsDir = testDir('logs');
	logging = createLogging({logsDir, debug: true});
});
afterEach(removeStores);
afterAll(async () => {
	await sandbox.close();
	logging.close();
});

function client(auth: TokenProvider) {
	return createFrameioClient({baseUrl: sandbox.url, auth, config: testConfig(), logger: logging.get('frameio.api')});
}

function provider(store: CredentialsStore) {
	return new StoredTokenProvider({store, logger: logging.get('frameio.app')});
}

describe('401 → refresh → replay', () => {
	it('refreshes once, replays once, and persists the rotated refresh token', async () => {
		const {store, credentials} = await userLogin(sandbox);
		expect(credentials.refreshToken).toBeTruthy();
		const auth = provider(store);
		const api = client(auth);
		expect((await api.me()).id).toBe(sandbox.ids.userId);

		sandbox.expireAllTokens();
		const start = sandbox.requests.length;
		expect((await api.me()).id).toBe(sandbox.ids.userId);
		expect(seen(sandbox, '/v4/me', start).map(record => record.status)).toEqual([401, 200]);
		expect(imsCalls(sandbox, start)).toHaveLength(1);

		const stored = store.read()!;
		remember(stored);
		expect(stored.accessToken).not.toBe(credentials.accessToken);
		expect(stored.refreshToken).toBeTruthy();
		expect(stored.refreshToken).not.toBe(credentials.refreshToken);
		expect(statSync(store.path).mode & 0o777).toBe(0o600);

		// The persisted refresh token is the live one: a fresh "process" reading the file can refresh again.
		sandbox.expireAllTokens();
		const again = client(provider(store));
		expect((await again.me()).id).toBe(sandbox.ids.userId);
		remember(store.read()!);
		api.close();
		again.close();
	});

	it('does not loop when the refreshed token is refused too', async () => {
		let refreshes = 0;
		const stubborn: TokenProvider = {
			source: 'stored',
			getToken: async () => 'sbx_not_a_valid_token_1',
			refresh: async () => {
				refreshes++;
				return 'sbx_not_a_valid_token_2';
			},
			expiresAt: () => null,
		};
		const api = client(stubborn);
		const start = sandbox.requests.length;
		const error = await api.me().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(FrameioError);
		expect(error).toMatchObject({status: 401, code: 'auth', errorKind: 'auth', retries: 0});
		expect((error as FrameioError).message).toBe('GET me 401: Unauthorized — Invalid token');
		expect(refreshes).toBe(1);
		expect(seen(sandbox, '/v4/me', start)).toHaveLength(2);
		api.close();
	});

	it('sends once when the token cannot be refreshed (FRAMEIO_TOKEN)', async () => {
		const api = client(new EnvTokenProvider(rememberSecret('sbx_unknown_env_token_value')));
		const start = sandbox.requests.length;
		await expect(api.me()).rejects.toMatchObject({status: 401, code: 'auth'});
		expect(seen(sandbox, '/v4/me', start)).toHaveLength(1);
		api.close();
	});

	it('fails clearly, once, when IMS refuses the stored refresh token', async () => {
		const {store, credentials} = await userLogin(sandbox);
		const auth = provider(store);
		const api = client(auth);
		sandbox.expireAllTokens();
		await api.me(); // rotates: credentials.refreshToken is now dead
		remember(store.read()!);
		store.write({...store.read()!, refreshToken: credentials.refreshToken});
		sandbox.expireAllTokens();
		const start = sandbox.requests.length;
		const error = await client(provider(store))
			.me()
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({code: 'auth'});
		expect((error as Error).message).toMatch(/could not refresh the stored user token: Adobe IMS refused the refresh_token request \(400 invalid_grant\).*run `frameio-admin login` again/);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		expect(seen(sandbox, '/v4/me', start)).toHaveLength(1);
		api.close();
	});
});

describe('single-flight refresh', () => {
	it('20 concurrent calls with an expired stored token make exactly one IMS call', async () => {
		const {store} = await userLogin(sandbox);
		store.write({...store.read()!, expiresAt: Date.now() - 1000});
		sandbox.expireAllTokens();
		const api = client(provider(store));
		const start = sandbox.requests.length;
		const users = await Promise.all(Array.from({length: 20}, () => api.me()));
		expect(users.every(user => user.id === sandbox.ids.userId)).toBe(true);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		// Refreshed before sending: not one 401.
		expect(seen(sandbox, '/v4/me', start).map(record => record.status)).toEqual(Array(20).fill(200));
		remember(store.read()!);
		api.close();
	});

	it('20 concurrent 401s (tokens revoked server-side) make exactly one IMS call', async () => {
		const {store} = await userLogin(sandbox);
		const api = client(provider(store));
		await api.me();
		sandbox.expireAllTokens();
		const start = sandbox.requests.length;
		const users = await Promise.all(Array.from({length: 20}, () => api.me()));
		expect(users).toHaveLength(20);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		const statuses = seen(sandbox, '/v4/me', start).map(record => record.status);
		expect(statuses.filter(status => status === 200)).toHaveLength(20);
		remember(store.read()!);
		api.close();
	});

	it('two processes sharing the credentials file refresh once between them', async () => {
		const {store} = await userLogin(sandbox);
		const first = client(provider(store));
		const second = client(provider(store));
		sandbox.expireAllTokens();
		const start = sandbox.requests.length;
		await Promise.all([...Array.from({length: 5}, () => first.me()), ...Array.from({length: 5}, () => second.me())]);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		remember(store.read()!);
		first.close();
		second.close();
	});
});

describe('refresh timing and sources', () => {
	it('refreshes proactively within 5 minutes of expiry, not before', async () => {
		const {store} = await userLogin(sandbox);
		store.write({...store.read()!, expiresAt: Date.now() + 10 * 60_000, obtainedAt: Date.now() - 60 * 60_000});
		let start = sandbox.requests.length;
		const early = provider(store);
		const token = await early.getToken();
		expect(imsCalls(sandbox, start)).toHaveLength(0);
		expect(token).toBe(store.read()!.accessToken);

		store.write({...store.read()!, expiresAt: Date.now() + 4 * 60_000});
		start = sandbox.requests.length;
		const late = provider(store);
		const renewed = await late.getToken();
		rememberSecret(renewed);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		expect(renewed).not.toBe(token);
		expect(late.expiresAt()! - Date.now()).toBeGreaterThan(23 * 3_600_000);
		remember(store.read()!);
	});

	it('keeps using a still-valid token when IMS is unreachable at refresh time', async () => {
		const {store, credentials} = await userLogin(sandbox);
		const down = await scriptedServer(() => undefined);
		await down.close();
		store.write({...credentials, imsUrl: down.url, expiresAt: Date.now() + 60_000});
		const auth = provider(store);
		expect(await auth.getToken()).toBe(credentials.accessToken);
		const api = client(auth);
		expect((await api.me()).id).toBe(sandbox.ids.userId);
		api.close();
	});

	it('never drops the stored refresh token when IMS answers without one', async () => {
		const {store, credentials} = await userLogin(sandbox);
		sandbox.expireAllTokens();
		const live = rememberSecret(sandbox.issueAccessToken(3600));
		// An IMS that renews the access token but sends no refresh token.
		const ims = await scriptedServer((_req, res) => sendJson(res, 200, {access_token: live, token_type: 'bearer', expires_in: 3600}));
		store.write({...credentials, imsUrl: ims.url});
		const api = client(provider(store));
		expect((await api.me()).id).toBe(sandbox.ids.userId);
		expect(ims.count()).toBe(1);
		const stored = store.read()!;
		expect(stored.accessToken).toBe(live);
		expect(stored.refreshToken).toBe(credentials.refreshToken);
		api.close();
		await ims.close();
	});

	it('renews server-to-server credentials with a new client-credentials call', async () => {
		const {store, credentials} = await s2sLogin(sandbox, 's2s-client', S2S_SECRET);
		expect(credentials).toMatchObject({kind: 's2s', scopes: ['openid', 'AdobeID', 'frame.s2s.all']});
		expect(credentials.refreshToken).toBeUndefined();
		const api = client(provider(store));
		sandbox.expireAllTokens();
		const start = sandbox.requests.length;
		expect((await api.me()).id).toBe(sandbox.ids.userId);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		const stored = store.read()!;
		remember(stored);
		expect(stored.accessToken).not.toBe(credentials.accessToken);
		expect(stored.clientSecret).toBe(S2S_SECRET);
		api.close();
	});

	it('reports IMS errors without secrets', async () => {
		const ims = new ImsClient({imsUrl: sandbox.imsUrl});
		const error = await ims.clientCredentials({clientId: 's2s-client', clientSecret: rememberSecret('wrong-secret-value-123'), scopes: ['openid']}).catch((caught: unknown) => caught);
		expect((error as Error).message).toBe('Adobe IMS refused the client_credentials request (401 invalid_client) — Invalid client_secret');
	});
});

describe('logs', () => {
	it('hold no token, refresh token or client secret', () => {
		logging.flush();
		const text = readAll(logsDir);
		expect(text).toContain('Access token refreshed');
		expect(text).toContain('API answered 401: token refreshed, replaying the request once');
		expect(text).not.toContain(S2S_SECRET);
		expect(text).not.toMatch(/sbx_ims_(at|rt)_/);
		expect(text).not.toContain(sandbox.token);
	});
});
