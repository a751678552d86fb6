import {createHash, randomBytes} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call} from './http.js';

const CLIENT = {clientId: 'native-app'}; // public client: PKCE, no secret
const S2S = {clientId: 's2s-app', clientSecret: rememberSecret('s2s-secret-value-123')};
const REDIRECT = 'https://localhost:8443/callback';
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty', imsClients: [CLIENT, S2S], accessTokenTtlSeconds: 3600});
	rememberSecret(sandbox.token);
});
afterAll(() => sandbox.close());

function pkce() {
	const verifier = randomBytes(32).toString('base64url');
	return {verifier, challenge: createHash('sha256').update(verifier).digest('base64url')};
}

async function authorize(challenge: string, state = 'xyz'): Promise<{status: number; location: URL | null}> {
	const url = new URL('/ims/authorize/v2', sandbox.imsUrl);
	url.search = new URLSearchParams({
		client_id: CLIENT.clientId,
		redirect_uri: REDIRECT,
		response_type: 'code',
		scope: 'openid,AdobeID,offline_access',
		state,
		code_challenge: challenge,
		code_challenge_method: 'S256',
	}).toString();
	const response = await fetch(url, {redirect: 'manual'});
	await response.arrayBuffer();
	const location = response.headers.get('location');
	return {status: response.status, location: location ? new URL(location) : null};
}

async function token(form: Record<string, string>): Promise<{status: number; body: any}> {
	const response = await fetch(new URL('/ims/token/v3', sandbox.imsUrl), {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded'},
		body: new URLSearchParams(form).toString(),
	});
	const body = await response.json();
	for (const key of ['access_token', 'refresh_token']) if (body[key]) rememberSecret(body[key]);
	return {status: response.status, body};
}

describe('IMS emulation', () => {
	it('authorization code + PKCE: redirects with code and state, exchanges once for tokens the API accepts', async () => {
		const {verifier, challenge} = pkce();
		const redirect = await authorize(challenge, 'state-42');
		expect(redirect.status).toBe(302);
		expect(redirect.location!.origin + redirect.location!.pathname).toBe(REDIRECT);
		expect(redirect.location!.searchParams.get('state')).toBe('state-42');
		const code = redirect.location!.searchParams.get('code')!;
		rememberSecret(code);

		const exchanged = await token({grant_type: 'authorization_code', code, code_verifier: verifier, client_id: CLIENT.clientId, redirect_uri: REDIRECT});
		expect(exchanged.status).toBe(200);
		expect(exchanged.body).toMatchObject({token_type: 'bearer', expires_in: 3600});
		expect(exchanged.body.access_token).toEqual(expect.any(String));
		expect(exchanged.body.refresh_token).toEqual(expect.any(String));
		expect((await call(sandbox, 'GET', '/v4/me', {token: exchanged.body.access_token})).status).toBe(200);

		const replay = await token({grant_type: 'authorization_code', code, code_verifier: verifier, client_id: CLIENT.clientId, redirect_uri: REDIRECT});
		expect(replay.status).toBe(400);
		expect(replay.body.error).toBe('invalid_grant');
	});

	it('refuses a code_verifier that does not match the challenge', async () => {
		const {challenge} = pkce();
		const redirect = await authorize(challenge);
		const code = redirect.location!.searchParams.get('code')!;
		rememberSecret(code);
		const reply = await token({grant_type: 'authorization_code', code, code_verifier: pkce().verifier, client_id: CLIENT.clientId, redirect_uri: REDIRECT});
		expect(reply.status).toBe(400);
		expect(reply.body).toMatchObject({error: 'invalid_grant'});
		expect(reply.body.error_description).toMatch(/code_verifier/);
	});

	it('rotates refresh tokens: the old one is refused after use, the new one works', async () => {
		const {verifier, challenge} = pkce();
		const code = (await authorize(challenge)).location!.searchParams.get('code')!;
		rememberSecret(code);
		const first = await token({grant_type: 'authorization_code', code, code_verifier: verifier, client_id: CLIENT.clientId, redirect_uri: REDIRECT});
		const refreshed = await token({grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT.clientId});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
		expect(refreshed.body.access_token).not.toBe(first.body.access_token);
		expect((await call(sandbox, 'GET', '/v4/me', {token: refreshed.body.access_token})).status).toBe(200);

		const reused = await token({grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT.clientId});
		expect(reused.status).toBe(400);
		expect(reused.body.error).toBe('invalid_grant');
		const again = await token({grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: CLIENT.clientId});
		expect(again.status).toBe(200);
	});

	it('refresh still works after expireAllTokens(), and its new access token is accepted', async () => {
		const {verifier, challenge} = pkce();
		const code = (await authorize(challenge)).location!.searchParams.get('code')!;
		rememberSecret(code);
		const first = await token({grant_type: 'authorization_code', code, code_verifier: verifier, client_id: CLIENT.clientId, redirect_uri: REDIRECT});
		sandbox.expireAllTokens();
		expect((await call(sandbox, 'GET', '/v4/me', {token: first.body.access_token})).status).toBe(401);
		const refreshed = await token({grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT.clientId});
		expect((await call(sandbox, 'GET', '/v4/me', {token: refreshed.body.access_token})).status).toBe(200);
	});

	it('client_credentials: needs the right secret, gives no refresh token', async () => {
		const good = await token({grant_type: 'client_credentials', client_id: S2S.clientId, client_secret: S2S.clientSecret, scope: 'openid,AdobeID,frame.s2s.all'});
		expect(good.status).toBe(200);
		expect(good.body.refresh_token).toBeUndefined();
		expect((await call(sandbox, 'GET', '/v4/me', {token: good.body.access_token})).status).toBe(200);
		const bad = await token({grant_type: 'client_credentials', client_id: S2S.clientId, client_secret: 'wrong-secret'});
		expect(bad.status).toBe(401);
		const publicClient = await token({grant_type: 'client_credentials', client_id: CLIENT.clientId});
		expect(publicClient.status).toBe(401);
		const unknown = await token({grant_type: 'password', client_id: S2S.clientId});
		expect(unknown.status).toBe(400);
		expect(unknown.body.error).toBe('unsupported_grant_type');
	});

	it('issued tokens expire after expires_in', async () => {
		const short = await startSandbox({seed: 'empty', imsClients: [S2S], accessTokenTtlSeconds: 1});
		try {
			const reply = await fetch(new URL('/ims/token/v3', short.imsUrl), {
				method: 'POST',
				headers: {'content-type': 'application/x-www-form-urlencoded'},
				body: new URLSearchParams({grant_type: 'client_credentials', client_id: S2S.clientId, client_secret: S2S.clientSecret}).toString(),
			});
			const body = await reply.json();
			rememberSecret(body.access_token);
			expect(body.expires_in).toBe(1);
			expect((await call(short, 'GET', '/v4/me', {token: body.access_token})).status).toBe(200);
			await new Promise(resolve => setTimeout(resolve, 1100));
			expect((await call(short, 'GET', '/v4/me', {token: body.access_token})).status).toBe(401);
		} finally {
			await short.close();
		}
	});

	it('counts token calls in requests, without secrets', async () => {
		sandbox.clearRequests();
		await Promise.all([1, 2, 3].map(() => token({grant_type: 'client_credentials', client_id: S2S.clientId, client_secret: S2S.clientSecret})));
		const calls = sandbox.requests.filter(record => record.path === '/ims/token/v3');
		expect(calls).toHaveLength(3);
		expect(calls.every(record => record.status === 200)).toBe(true);
		expect(JSON.stringify(sandbox.requests)).not.toContain(S2S.clientSecret);
	});
});
