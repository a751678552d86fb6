// Every answer is bounded and checked: a huge body is cut at error_handling.max_response_mb, HTML or a body cut
// short is said to be so (with its first bytes, printable), a redirect loop ends, and an answer that is not the shape
// Frame.io documents fails its call naming the field, instead of "GET me 200: Error" or whoami printing
// "undefined <undefined>". Each case is a loopback server answering like a broken or hostile API.
import {afterEach, describe, expect, it} from 'vitest';
import {createFrameioClient, type FrameioClient} from '../../source/frameio/client.js';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {FrameioError} from '../../source/frameio/errors.js';
import {ImsClient, ImsError} from '../../source/frameio/auth/ims-client.js';
import {loadConfig} from '../../source/config/index.js';
import {ConfigError} from '../../source/config/config-error.js';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {hostileServer, meBody, redirect, sendEndless, sendHtml, sendJson, sendTruncated, type Handler, type HostileServer} from '../helpers/hostile-server.js';
import {testConfig} from './helpers.js';

const TOKEN = rememberSecret('hostile-answers-token-0d4e');
const MiB = 1024 * 1024;

const servers: HostileServer[] = [];
const clients: FrameioClient[] = [];
afterEach(async () => {
	for (const client of clients.splice(0)) client.close();
	for (const server of servers.splice(0)) await server.close();
});

async function serve(handler: Handler): Promise<HostileServer> {
	const server = await hostileServer(handler);
	servers.push(server);
	return server;
}

function clientFor(server: HostileServer, maxResponseMb?: number): FrameioClient {
	const config = testConfig({error_handling: {max_retries: 1, ...(maxResponseMb ? {max_response_mb: maxResponseMb} : {})}});
	const client = createFrameioClient({baseUrl: server.url, auth: new EnvTokenProvider(TOKEN), config});
	clients.push(client);
	return client;
}

async function failure(pending: Promise<unknown>): Promise<FrameioError> {
	const error = await pending.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(FrameioError);
	return error as FrameioError;
}

function dirs(): string[] {
	return ['--state-dir', testDir('hostile-state'), '--logs-dir', testDir('hostile-logs'), '--config', testDir('hostile-config')];
}

describe('an answer that is not JSON', () => {
	it('HTML with 200: whoami exits 1 quoting its first bytes, printable', async () => {
		const server = await serve((_request, res) => sendHtml(res, 200, '<html><head><title>\u001b]0;pwned\u0007Maintenance</title></head><body>' + 'x'.repeat(500) + '</body></html>'));
		const result = await runCli(['whoami', ...dirs()], {env: {FRAMEIO_API_URL: server.url, FRAMEIO_TOKEN: TOKEN}});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('GET me 200: not JSON (text/html): "<html><head><title>\\x1b]0;pwned\\x07Maintenance</title></head>');
		expect(result.stderr).not.toContain('\u001b');
		expect(result.stderr).not.toContain('x'.repeat(100));
		expect(result.stdout).toBe('');
	});

	it('an empty 200 is said to be empty', async () => {
		const server = await serve((_request, res) => {
			res.writeHead(200, {'content-type': 'application/json', 'content-length': '0'});
			res.end();
		});
		const error = await failure(clientFor(server).me());
		expect(error.message).toBe('GET me 200: an empty answer where JSON was expected');
	});

	it('a 502 page from a proxy says what it was', async () => {
		const server = await serve((_request, res) => sendHtml(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>'));
		const error = await failure(clientFor(server).me());
		expect(error.status).toBe(502);
		expect(error.message).toContain('GET me 502: Bad Gateway — not JSON (text/html): "<html><body><h1>502 Bad Gateway</h1></body></html>"');
	});
});

describe('an answer cut short', () => {
	it('with a content-length: the connection closed early, said so (after the retries)', async () => {
		const body = JSON.stringify(meBody());
		const server = await serve((_request, res) => sendTruncated(res, body, 20));
		const error = await failure(clientFor(server).me());
		expect(error.code).toBe('network');
		expect(error.message).toContain('was cut short');
		expect(error.retries).toBe(1);
	});

	it('without one: the JSON does not parse, and the message quotes where it stopped', async () => {
		const server = await serve((_request, res) => {
			res.writeHead(200, {'content-type': 'application/json'});
			res.end('{"data":{"id":"user-1","na');
		});
		const error = await failure(clientFor(server).me());
		expect(error.message).toBe('GET me 200: not JSON (application/json): "{"data":{"id":"user-1","na"');
	});
});

describe('a huge answer', () => {
	it('is cut at max_response_mb while it streams: the server sends little more than the limit', async () => {
		const server = await serve((_request, res) => sendEndless(res, 1536 * MiB));
		const error = await failure(clientFor(server, 1).me());
		expect(error.message).toBe('GET me 200: the answer is larger than 1 MiB (error_handling.max_response_mb): not read');
		expect(error.errorKind).toBe('server');
		// The socket was closed: the server could not push the 1.5 GB.
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(server.bytesSent()).toBeLessThan(32 * MiB);
	});

	it('announced by its content-length is refused before it is read', async () => {
		const server = await serve((_request, res) => sendEndless(res, 1536 * MiB, true));
		const error = await failure(clientFor(server, 2).me());
		expect(error.message).toContain('larger than 2 MiB');
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(server.bytesSent()).toBeLessThan(32 * MiB);
	});

	it('from IMS: cut at 1 MiB', async () => {
		const server = await serve((_request, res) => sendEndless(res, 1536 * MiB));
		const error = await new ImsClient({imsUrl: server.url}).clientCredentials({clientId: 'c', clientSecret: rememberSecret('hostile-ims-secret-61aa'), scopes: ['openid']}).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ImsError);
		expect((error as ImsError).message).toBe(`Adobe IMS at ${server.url} answered more than 1024 KiB: not read`);
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(server.bytesSent()).toBeLessThan(32 * MiB);
	});

	it('the default limit is 64 MiB, and the setting is bounded', () => {
		const dir = testDir('hostile-bounds');
		writeFileSync(path.join(dir, 'optimization.json'), JSON.stringify({error_handling: {max_response_mb: 4096}}));
		expect(() => loadConfig(dir)).toThrow(ConfigError);
		expect(() => loadConfig(dir)).toThrow(/expected at most 1024 MiB .* at error_handling.max_response_mb/);
		expect(loadConfig(testDir('hostile-defaults')).optimization.error_handling.max_response_mb).toBe(64);
	});
});

describe('a redirect loop', () => {
	it('ends after a few hops with a clear error', async () => {
		const server = await serve((request, res) => redirect(res, 302, request.url === '/v4/me' ? '/v4/me/' : '/v4/me'));
		const error = await failure(clientFor(server).me());
		expect(error.message).toBe(`GET me 302: too many redirects — a redirect loop (the last one to ${server.url})`);
		expect(server.requests.length).toBeLessThanOrEqual(6);
	});
});

describe('an answer of the wrong shape', () => {
	it('whoami: exit 1 naming the missing field, never "undefined <undefined>"', async () => {
		const server = await serve((_request, res) => sendJson(res, 200, {data: {id: 'user-1', name: 'Camille'}}));
		const result = await runCli(['whoami', ...dirs()], {env: {FRAMEIO_API_URL: server.url, FRAMEIO_TOKEN: TOKEN}});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('GET me 200: the answer is not the shape Frame.io documents: data.email is missing');
		expect(result.stdout).not.toContain('undefined');
	});

	it('a field of the wrong type, a list item, an unknown kind of child', async () => {
		const server = await serve((request, res) => {
			if (request.url === '/v4/me') return sendJson(res, 200, meBody({email: 42}));
			if (request.url.startsWith('/v4/accounts?')) return sendJson(res, 200, {data: [{id: 'a1', display_name: 'A'}, {id: 'a2'}], links: {next: null}});
			if (request.url.includes('/children')) return sendJson(res, 200, {data: [{id: 'x', name: 'n', type: 'playlist'}], links: {next: null}});
			if (request.url.includes('/status')) return sendJson(res, 200, {data: {upload_complete: 'yes', upload_failed: false}});
			sendJson(res, 200, {data: 'nothing'});
		});
		const client = clientFor(server);
		expect((await failure(client.me())).message).toBe('GET me 200: the answer is not the shape Frame.io documents: data.email: expected string, got number 42');
		expect((await failure(client.accounts())).message).toContain('data[1].display_name is missing');
		expect((await failure(client.children('acc', 'folder'))).message).toContain('data[0].type');
		expect((await failure(client.fileStatus('acc', 'file'))).message).toContain('data.upload_complete: expected boolean, got string "yes"');
		expect((await failure(client.project('acc', 'p'))).message).toContain('data: expected object, got string "nothing"');
	});

	it('an answer that matches is returned as it came, extra fields included', async () => {
		const server = await serve((_request, res) => sendJson(res, 200, meBody({adobe_user_id: 'adobe-1'})));
		const me = await clientFor(server).me();
		expect(me).toEqual({id: 'user-1', name: 'Camille Laurent', email: 'camille@example.com', avatar_url: null, adobe_user_id: 'adobe-1'});
	});
});
