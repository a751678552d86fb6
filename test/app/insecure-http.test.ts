// Plain http:// to a host that is not this machine would carry the token (or the client secret) in clear: every
// command and the console refuse it with exit 2 and the reason, unless --allow-insecure-http says the network is
// trusted. Loopback stays allowed (the sandbox). The refused hosts are never contacted (no test reaches the internet:
// the refusal comes before any request).
import {describe, expect, it} from 'vitest';
import {resolveApiTarget} from '../../source/app/api-target.js';
import {createRuntime} from '../../source/app/console-runtime.js';
import {InsecureTransportError, isLoopbackHost} from '../../source/frameio/api-url.js';
import {parseConsoleArgs} from '../../source/ui/start-console.js';
import {runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

const TOKEN = rememberSecret('insecure-http-test-token-77c2');
const SECRET = rememberSecret('insecure-http-test-secret-41d0');

function dirs(): string[] {
	return ['--state-dir', testDir('insecure-state'), '--logs-dir', testDir('insecure-logs'), '--config', testDir('insecure-config')];
}

describe('plain http to another machine', () => {
	it('whoami: exit 2, naming the variable and the flag; the token is never used', async () => {
		const result = await runCli(['whoami', ...dirs()], {env: {FRAMEIO_API_URL: 'http://api.example.test', FRAMEIO_TOKEN: TOKEN}});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('FRAMEIO_API_URL http://api.example.test is plain http to a host that is not this machine');
		expect(result.stderr).toContain('--allow-insecure-http');
		expect(result.stdout).toBe('');
	});

	it('health does not say PASS: exit 2 with the reason', async () => {
		const result = await runCli(['health', ...dirs()], {env: {FRAMEIO_API_URL: 'http://10.20.30.40:8080', FRAMEIO_TOKEN: TOKEN}});
		expect(result.code).toBe(2);
		expect(result.stdout).not.toMatch(/PASS/);
		expect(result.stderr).toContain('FRAMEIO_API_URL http://10.20.30.40:8080 is plain http');
	});

	it('login: FRAMEIO_IMS_URL on http is refused before the secret is sent', async () => {
		const result = await runCli(['login', '--client-id', 'client-1', ...dirs()], {env: {FRAMEIO_IMS_URL: 'http://ims.example.test', FRAMEIO_CLIENT_SECRET: SECRET}});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('FRAMEIO_IMS_URL http://ims.example.test is plain http');
	});

	it('the console refuses it too', async () => {
		const args = parseConsoleArgs(['--state-dir', testDir('insecure-console'), '--logs-dir', testDir('insecure-console-logs'), '--config', testDir('insecure-console-config')], {});
		expect(args.allowInsecureHttp).toBeUndefined();
		await expect(createRuntime({...args, env: {FRAMEIO_API_URL: 'http://api.example.test', FRAMEIO_TOKEN: TOKEN}})).rejects.toBeInstanceOf(InsecureTransportError);
		expect(parseConsoleArgs(['--allow-insecure-http'], {}).allowInsecureHttp).toBe(true);
	});

	it('--allow-insecure-http accepts it (nothing is contacted to decide)', async () => {
		const target = await resolveApiTarget({stateDir: testDir('insecure-allowed'), env: {FRAMEIO_API_URL: 'http://api.example.test', FRAMEIO_IMS_URL: 'http://ims.example.test', FRAMEIO_TOKEN: TOKEN}, allowInsecureHttp: true});
		expect(target).toMatchObject({kind: 'custom', baseUrl: 'http://api.example.test', imsUrl: 'http://ims.example.test'});
		await expect(resolveApiTarget({stateDir: testDir('insecure-refused'), env: {FRAMEIO_API_URL: 'http://api.example.test', FRAMEIO_TOKEN: TOKEN}})).rejects.toBeInstanceOf(InsecureTransportError);
	});

	it('loopback and https stay allowed', async () => {
		for (const url of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000', 'https://api.example.test']) {
			const target = await resolveApiTarget({stateDir: testDir('insecure-ok'), env: {FRAMEIO_API_URL: url, FRAMEIO_TOKEN: TOKEN}});
			expect(target.kind).toBe('custom');
		}
		expect(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', '::1'].every(isLoopbackHost)).toBe(true);
		expect(['10.0.0.1', '128.0.0.1', 'localhost.example.com', '127.0.0.1.nip.io', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
	});
});
