// Credentials never follow a redirect to another origin: an API (or IMS) that answers 302/307 with a Location on
// another host must not get our bearer token or client secret re-sent there. A second loopback server plays that
// other host and records every header and body it gets.
import {afterEach, describe, expect, it} from 'vitest';
import {createFrameioClient} from '../../source/frameio/client.js';
import {ImsClient, ImsError} from '../../source/frameio/auth/ims-client.js';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {FrameioError} from '../../source/frameio/errors.js';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {createPartTransport, destroyPartTransport, PartAttemptError, putPart} from '../../source/upload/part-put.js';
import {runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {hostileServer, meBody, redirect, sendJson, type HostileServer} from '../helpers/hostile-server.js';
import {testConfig} from './helpers.js';

const TOKEN = rememberSecret('redirect-test-token-5b1f0c');
const SECRET = rememberSecret('redirect-test-client-secret-9e7a');

const servers: HostileServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
});

/** The other host: answers like the API (or IMS) would, and records what reached it. */
async function otherHost(): Promise<HostileServer> {
	const server = await hostileServer((request, res) => {
		if (request.url.startsWith('/ims/token')) return sendJson(res, 200, {access_token: 'stolen-access', token_type: 'bearer', expires_in: 3600});
		sendJson(res, 200, meBody());
	});
	servers.push(server);
	return server;
}

/** The configured host: sends every request on to `target` with `status`. */
async function redirecting(target: string, status: 302 | 307 | 308 | 301): Promise<HostileServer> {
	const server = await hostileServer((request, res) => redirect(res, status, `${target}${request.url}`));
	servers.push(server);
	return server;
}

function dirs(): string[] {
	return ['--state-dir', testDir('redirect-state'), '--logs-dir', testDir('redirect-logs'), '--config', testDir('redirect-config')];
}

function sawCredentials(server: HostileServer): boolean {
	return server.requests.some(
		request => request.headers.authorization !== undefined || request.body.includes(SECRET) || JSON.stringify(request.headers).includes(TOKEN),
	);
}

describe('a redirect to another origin', () => {
	for (const status of [302, 307] as const) {
		it(`${status} from the API: whoami fails, and the other host never sees the bearer token`, async () => {
			const other = await otherHost();
			const api = await redirecting(other.url, status);
			const result = await runCli(['whoami', ...dirs()], {env: {FRAMEIO_API_URL: api.url, FRAMEIO_TOKEN: TOKEN}});
			expect(api.requests.length).toBeGreaterThan(0);
			expect(api.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
			expect(sawCredentials(other)).toBe(false);
			expect(other.requests).toHaveLength(0);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(`redirected to another host (${other.url})`);
			expect(result.stderr).toContain('credentials are never sent to another origin');
		});
	}

	it('307 from IMS: login --client-secret fails, and the other host never sees the secret', async () => {
		const other = await otherHost();
		const ims = await redirecting(other.url, 307);
				// The secret by its variable: runCli saves the command line with the output, and the secret scan reads it.
		const result = await runCli(['login', '--client-id', 'client-1', ...dirs()], {env: {FRAMEIO_IMS_URL: ims.url, FRAMEIO_API_URL: ims.url, FRAMEIO_CLIENT_SECRET: SECRET}});
		expect(ims.requests.some(request => request.body.includes(SECRET))).toBe(true);
		expect(sawCredentials(other)).toBe(false);
		expect(other.requests).toHaveLength(0);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`redirected to another host (${other.url})`);
	});

	it('the client answers a FrameioError that says what happened, and is not retried', async () => {
		const other = await otherHost();
		const api = await redirecting(other.url, 302);
		const client = createFrameioClient({baseUrl: api.url, auth: new EnvTokenProvider(TOKEN), config: testConfig()});
		const error = await client.me().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(FrameioError);
		expect((error as FrameioError).status).toBe(302);
		expect((error as FrameioError).errorKind).toBe('client');
		expect((error as FrameioError).message).toBe(`GET me 302: redirected to another host (${other.url}) — refused: credentials are never sent to another origin`);
		expect(api.requests).toHaveLength(1);
		expect(other.requests).toHaveLength(0);
		client.close();
	});
});

describe('a redirect on the same origin', () => {
	it('is followed, with the token (the API moved a path)', async () => {
		const api = await hostileServer((request, res) => {
			if (request.url === '/v4/me') return redirect(res, 307, '/v4/me/');
			sendJson(res, 200, meBody());
		});
		servers.push(api);
		const client = createFrameioClient({baseUrl: api.url, auth: new EnvTokenProvider(TOKEN), config: testConfig()});
		const me = await client.me();
		expect(me.email).toBe('camille@example.com');
		expect(api.requests.map(request => [request.url, request.headers.authorization])).toEqual([
			['/v4/me', `Bearer ${TOKEN}`],
			['/v4/me/', `Bearer ${TOKEN}`],
		]);
		client.close();
	});

	it('IMS on the same origin is followed with the form', async () => {
		const ims = await hostileServer((request, res) => {
			if (request.url === '/ims/token/v3') return redirect(res, 307, '/ims/token/v3/');
			sendJson(res, 200, {access_token: 'fresh-access', token_type: 'bearer', expires_in: 3600});
		});
		servers.push(ims);
		rememberSecret('fresh-access');
		const client = new ImsClient({imsUrl: ims.url});
		const answer = await client.clientCredentials({clientId: 'c', clientSecret: SECRET, scopes: ['openid']});
		expect(answer.access_token).toBe('fresh-access');
		expect(ims.requests[1].body).toContain('client_secret=');
	});

	it('IMS to another origin is an ImsError naming the host, not a network error', async () => {
		const other = await otherHost();
		const ims = await redirecting(other.url, 302);
		const client = new ImsClient({imsUrl: ims.url});
		const error = await client.clientCredentials({clientId: 'c', clientSecret: SECRET, scopes: ['openid']}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ImsError);
		expect((error as ImsError).message).toContain(`redirected to another host (${other.url})`);
		expect((error as ImsError).message).not.toContain(SECRET);
		expect(other.requests).toHaveLength(0);
	});
});

describe('a part PUT to a presigned URL', () => {
	it('carries no bearer token and does not follow a redirect', async () => {
		const other = await otherHost();
		const s3 = await redirecting(other.url, 307);
		const file = path.join(testDir('redirect-part'), 'part.bin');
		writeFileSync(file, Buffer.alloc(1000, 1));
		const transport = createPartTransport();
		try {
			const error = await putPart(
				{number: 1, start: 0, end: 999, size: 1000, url: `${s3.url}/s3/parts/abc?X-Amz-Signature=sig`},
				{path: file, mediaType: 'video/mp4', transport, timeoutMs: 5000, readBufferBytes: 64 * 1024, signal: new AbortController().signal, onBytes: () => {}},
			).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(PartAttemptError);
			expect((error as PartAttemptError).status).toBe(307);
		} finally {
			destroyPartTransport(transport);
		}
		expect(s3.requests).toHaveLength(1);
		expect(s3.requests[0].headers.authorization).toBeUndefined();
		expect(other.requests).toHaveLength(0);
	});
});
