// login, logout and whoami as a user runs them, against a sandbox on loopback: the main paths through the built CLI
// (dist/) as real processes, the many error cases through the command modules in this process (runCommand).
import {spawn} from 'node:child_process';
import {existsSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import got from 'got';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {CLI, runCli, type CliResult} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {scriptedServer} from '../frameio/helpers.js';
import {readAll, remember, removeStores, trackedStore} from './helpers.js';
import {runCommand} from './run-command.js';

const S2S_SECRET = rememberSecret(`cli-s2s-secret-${Math.random().toString(36).slice(2)}`);
let sandbox: Sandbox;
let logsDir: string;
let configDir: string;
let env: Record<string, string>;

beforeAll(async () => {
	sandbox = await startSandbox({enforceRateLimits: false, imsClients: [{clientId: 'sandbox-client'}, {clientId: 's2s-client', clientSecret: S2S_SECRET}]});
	rememberSecret(sandbox.token);
	logsDir = testDir('logs');
	configDir = testDir('config');
	// Short retries, so that the outage test does not wait for the default back-off.
	writeFileSync(path.join(configDir, 'optimization.json'), JSON.stringify({error_handling: {max_retries: 1, retry_delay_base: 0.01, retry_delay_max: 0.05}}));
	env = {FRAMEIO_API_URL: sandbox.url, FRAMEIO_IMS_URL: sandbox.imsUrl};
});
afterAll(async () => {
	removeStores();
	await sandbox.close();
});

const dirs = (stateDir: string) => ['--state-dir', stateDir, '--logs-dir', logsDir, '--config', configDir];

/** How many of the secrets in play appear in a command's output (a count, so a failure never prints one). */
function leaks(result: CliResult, stateDir: string): number {
	const store = trackedStore(stateDir);
	const credentials = store.exists() ? store.read() : null;
	if (credentials) remember(credentials);
	const output = result.stdout + result.stderr;
	return [credentials?.accessToken, credentials?.refreshToken, S2S_SECRET, sandbox.token].filter(secret => secret && output.includes(secret)).length;
}

/** Runs `login` interactively: reads the authorize URL it prints, plays the browser, pastes the redirect back. */
async function interactiveLogin(stateDir: string, tamper: (redirect: string) => string = redirect => redirect): Promise<CliResult> {
	const child = spawn(process.execPath, [CLI, 'login', '--client-id', 'sandbox-client', ...dirs(stateDir)], {
		env: {...process.env, FRAMEIO_TOKEN: undefined, ...env},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => (stdout += chunk));
	let answered = false;
	child.stderr.on('data', async chunk => {
		stderr += chunk;
		const match = /(http:\/\/127\.0\.0\.1:\d+\/ims\/authorize\/v2\?\S+)/.exec(stderr);
		if (match && !answered && /press Enter/.test(stderr)) {
			answered = true;
			const response = await got(match[1], {followRedirect: false, throwHttpErrors: false});
			child.stdin.write(`${tamper(response.headers.location!)}\n`);
		}
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	clearTimeout(timer);
	writeFileSync(path.join(testDir('cli-output'), 'command.txt'), `login (interactive)\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
	return {code, stdout, stderr};
}

describe.concurrent('as a real process', () => {
	it('login (PKCE): prints the authorize URL, takes the pasted redirect URL, stores 0600 credentials; whoami shows no token', async ({expect}) => {
		const stateDir = trackedStore().stateDir;
		const result = await interactiveLogin(stateDir);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('Open this URL in a browser and sign in with your Adobe ID');
		expect(result.stderr).toMatch(/code_challenge_method=S256/);
		expect(result.stdout).toContain('Logged in as Camille Laurent <camille.laurent@undlm-studio.example> (user login)');
		expect(result.stdout).toMatch(/expires: {3}in (1439|1440) min/);
		expect(result.stdout).toContain('refresh:   yes');
		const file = path.join(stateDir, 'credentials.json');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(existsSync(path.join(stateDir, 'login-pending.json'))).toBe(false);
		expect(leaks(result, stateDir)).toBe(0);

		const whoami = await runCli(['whoami', ...dirs(stateDir)], {env});
		expect(whoami.code).toBe(0);
		expect(whoami.stdout).toContain('Camille Laurent <camille.laurent@undlm-studio.example>');
		expect(whoami.stdout).toContain(`token:    stored credentials (user login, ${file})`);
		expect(whoami.stdout).toMatch(/expires: {2}in 14(39|40) min/);
		expect(leaks(whoami, stateDir)).toBe(0);
	});

	it('login (server-to-server) with FRAMEIO_CLIENT_SECRET', async ({expect}) => {
		const stateDir = trackedStore().stateDir;
		const result = await runCli(['login', '--client-id', 's2s-client', '--json', ...dirs(stateDir)], {env: {...env, FRAMEIO_CLIENT_SECRET: S2S_SECRET}});
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({loggedIn: true, kind: 's2s', refreshToken: false, name: 'Camille Laurent'});
		const store = trackedStore(stateDir);
		expect(store.read()).toMatchObject({kind: 's2s', clientId: 's2s-client', scopes: ['openid', 'AdobeID', 'frame.s2s.all']});
		expect(statSync(store.path).mode & 0o777).toBe(0o600);
		expect(leaks(result, stateDir)).toBe(0);
	});

	it('whoami with FRAMEIO_TOKEN', async ({expect}) => {
		const result = await runCli(['whoami', ...dirs(trackedStore().stateDir)], {env: {...env, FRAMEIO_TOKEN: sandbox.token}});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('token:    FRAMEIO_TOKEN (environment)');
		expect(result.stdout).toContain('expires:  unknown');
		expect(result.stdout).not.toContain(sandbox.token);
	});

	it('whoami without credentials: names `frameio-admin login` and FRAMEIO_TOKEN, exit 2', async ({expect}) => {
		const result = await runCli(['whoami', ...dirs(trackedStore().stateDir)], {env});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('no Frame.io credentials: run `frameio-admin login`, or set FRAMEIO_TOKEN');
	});
});

describe('login in process', () => {
	it('works in two steps (--print-url, then --redirect-url), and refuses a finish without a start', async () => {
		// A first run: the state dir does not exist yet.
		const stateDir = path.join(trackedStore().stateDir, 'first-run', 'state');
		const early = await runCommand(['login', '--redirect-url', 'https://localhost/callback?code=abcdefgh&state=x', ...dirs(stateDir)], {env});
		expect(early.code).toBe(2);
		expect(early.stderr).toContain('no login in progress');

		const first = await runCommand(['login', '--print-url', '--client-id', 'sandbox-client', ...dirs(stateDir)], {env});
		expect(first.code).toBe(0);
		const authorizeUrl = first.stdout.trim();
		expect(authorizeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ims\/authorize\/v2\?client_id=sandbox-client&/);
		expect(first.stderr).toContain('frameio-admin login --redirect-url');
		expect(statSync(path.join(stateDir, 'login-pending.json')).mode & 0o777).toBe(0o600);
		const redirect = (await got(authorizeUrl, {followRedirect: false, throwHttpErrors: false})).headers.location!;

		const forged = await runCommand(['login', '--redirect-url', redirect.replace(/state=[^&]+/, 'state=forged'), ...dirs(stateDir)], {env});
		expect(forged.code).toBe(2);
		expect(forged.stderr).toContain('the state in the pasted URL does not match this login');

		const second = await runCommand(['login', '--redirect-url', redirect, '--json', ...dirs(stateDir)], {env});
		expect(second.code).toBe(0);
		expect(JSON.parse(second.stdout)).toMatchObject({loggedIn: true, kind: 'user', name: 'Camille Laurent', refreshToken: true});
		expect(existsSync(path.join(stateDir, 'login-pending.json'))).toBe(false);
		expect(leaks(second, stateDir)).toBe(0);
	});

	it('--sandbox runs the whole flow against the built-in IMS without storing anything', async () => {
		const stateDir = trackedStore().stateDir;
		const result = await runCommand(['login', '--sandbox', ...dirs(stateDir)]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Logged in as Camille Laurent');
		expect(result.stdout).toContain('stored:    no (sandbox login)');
		expect(existsSync(path.join(stateDir, 'credentials.json'))).toBe(false);
	});

	it('reports a wrong client secret as IMS said it, exit 1', async () => {
		const result = await runCommand(['login', '--client-id', 's2s-client', ...dirs(trackedStore().stateDir)], {
			env: {...env, FRAMEIO_CLIENT_SECRET: rememberSecret('not-the-right-secret-42')},
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('Adobe IMS refused the client_credentials request (401 invalid_client) — Invalid client_secret');
		expect(result.stderr).not.toContain('not-the-right-secret-42');
	});

	it('needs a client id, exit 2', async () => {
		const result = await runCommand(['login', ...dirs(trackedStore().stateDir)], {env});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--client-id (or FRAMEIO_CLIENT_ID) is required');
	});
});

describe('whoami in process', () => {
	it('works on the in-process sandbox', async () => {
		const result = await runCommand(['whoami', '--sandbox', '--json', ...dirs(trackedStore().stateDir)]);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({name: 'Camille Laurent', api: {kind: 'sandbox'}, token: {source: 'sandbox', expiresInMinutes: null}});
	});

	it('a refused token: the API detail, exit 1', async () => {
		const result = await runCommand(['whoami', ...dirs(trackedStore().stateDir)], {env: {...env, FRAMEIO_TOKEN: rememberSecret('sbx_revoked_or_unknown_token')}});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('GET me 401: Unauthorized — Invalid token (FRAMEIO_TOKEN was refused');
	});

	it('an API that is down: names the host, exit 1', async () => {
		const down = await scriptedServer(() => undefined);
		await down.close();
		const result = await runCommand(['whoami', ...dirs(trackedStore().stateDir)], {env: {FRAMEIO_API_URL: down.url, FRAMEIO_TOKEN: sandbox.token}});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`GET me: network error ECONNREFUSED — cannot reach ${down.url} (connection refused) [after 1 retry]`);
	});
});

describe('logout', () => {
	it('removes the stored credentials, and succeeds when there are none', async () => {
		const stateDir = trackedStore().stateDir;
		trackedStore(stateDir).write({
			kind: 's2s',
			clientId: 's2s-client',
			clientSecret: S2S_SECRET,
			accessToken: rememberSecret('at_for_logout_test_0123'),
			expiresAt: Date.now() + 60_000,
			imsUrl: sandbox.imsUrl,
			scopes: ['openid'],
		});
		const first = await runCommand(['logout', ...dirs(stateDir)]);
		expect(first.code).toBe(0);
		expect(first.stdout).toContain(`Logged out: removed ${path.join(stateDir, 'credentials.json')}`);
		expect(existsSync(path.join(stateDir, 'credentials.json'))).toBe(false);
		const second = await runCommand(['logout', '--json', ...dirs(stateDir)], {env: {FRAMEIO_TOKEN: sandbox.token}});
		expect(second.code).toBe(0);
		expect(JSON.parse(second.stdout)).toEqual({removed: false, file: path.join(stateDir, 'credentials.json'), frameioTokenStillSet: true});
	});
});

describe('logs of every command above', () => {
	it('hold no secret', () => {
		const text = readAll(logsDir);
		expect(text).toContain('Logged in');
		expect(text).not.toContain(S2S_SECRET);
		expect(text).not.toContain(sandbox.token);
		expect(text).not.toMatch(/sbx_ims_(at|rt)_/);
		expect(text).not.toMatch(/sbx_code_/);
	});
});
