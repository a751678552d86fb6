// Each health check as a real probe against the sandbox over loopback HTTP, failing for the right reason.
import {rmSync, utimesSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {MissingTokenProvider} from '../../source/frameio/index.js';
import {configCheck} from '../../source/health/checks/config-check.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {byId, healthConfig, startHealthRig, writeConfig, type HealthRig} from './rig.js';

let rig: HealthRig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

const ALL = [
	'config',
	'credentials',
	'token.expiry',
	'api.me',
	'api.account',
	'api.workspace',
	'api.project',
	'upload.target',
	'cache.store',
	'nomenclature',
	'disk.logs',
	'disk.state',
	'api.breaker',
	'api.ratelimit',
	'alerts.channel',
	'farm.redis',
];

/** A loopback port nothing listens on. */
async function refusedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

describe('health checks', () => {
	it('pass on a healthy sandbox, every check present, with real reasons', async () => {
		rig = await startHealthRig();
		const results = await rig.run();
		expect(results.map(result => result.id).sort()).toEqual([...ALL].sort());
		const checks = byId(results);
		for (const id of ALL.filter(id => id !== 'alerts.channel')) expect(checks[id].status, `${id}: ${checks[id].reason}`).toBe('pass');
		expect(checks['alerts.channel'].status).toBe('warn');
		expect(checks['api.me'].reason).toMatch(/^\d+ ms; user Sandbox User/);
		expect(checks['api.account'].reason).toContain('Sandbox Account');
		expect(checks['api.project'].reason).toContain('UNDLM_DOCU');
		expect(checks['upload.target'].reason).toBe(`WIP_BYSHOT exists (${rig.sandbox.ids.wipFolderId})`);
		expect(checks['api.ratelimit'].reason).toMatch(/^tightest: /);
		expect(checks.config.reason).toContain('defaults for optimization.json, alerts.json, nomenclature.json');
		expect(results.every(result => result.ms >= 0)).toBe(true);
		// Warnings before passes.
		expect(results[0].id).toBe('alerts.channel');
	});

	it('fail with a 401 when the token expired, failing checks first', async () => {
		rig = await startHealthRig();
		rig.sandbox.expireAllTokens();
		const results = await rig.run();
		const checks = byId(results);
		expect(checks['api.me'].status).toBe('fail');
		expect(checks['api.me'].reason).toContain('401');
		expect(checks['token.expiry'].status).toBe('fail');
		expect(checks['token.expiry'].reason).toContain('refused the token (401)');
		expect(checks['api.project'].status).toBe('fail');
		expect(checks.credentials.status).toBe('pass');
		const firstPass = results.findIndex(result => result.status !== 'fail');
		expect(results.slice(firstPass).every(result => result.status !== 'fail')).toBe(true);
		expect(firstPass).toBeGreaterThanOrEqual(4);
	});

	it('fail with the connection error when the API is down', async () => {
		const port = await refusedPort();
		rig = await startHealthRig({baseUrl: `http://127.0.0.1:${port}`});
		const checks = byId(await rig.run());
		expect(checks['api.me'].status).toBe('fail');
		expect(checks['api.me'].reason).toContain('ECONNREFUSED');
		expect(checks['api.account'].reason).toContain('ECONNREFUSED');
		expect(checks['api.ratelimit'].status).toBe('warn');
		// Local checks do not depend on the API.
		expect(checks.nomenclature.status).toBe('pass');
		expect(checks['cache.store'].status).toBe('pass');
	});

	it('fail the configuration check with file:line:col when a config file is invalid', async () => {
		rig = await startHealthRig();
		writeConfig(rig.configDir, 'alerts.json', '{\n  // comment\n  "channels": {"discord": {"timeout_seconds": "ten"}}\n}\n');
		const checks = byId(await rig.run());
		expect(checks.config.status).toBe('fail');
		expect(checks.config.reason).toMatch(/alerts\.json:3:\d+: expected number, got string at channels\.discord\.timeout_seconds/);
	});

	it('the config check of one service (the console keeps it) re-reads the files only after one changed', async () => {
		const dir = testDir('config-check');
		const check = configCheck(dir);
		const signal = new AbortController().signal;
		const run = () => check.run({signal, outcomeOf: async () => undefined});
		const file = path.join(dir, 'alerts.json');
		// Whole seconds: a time read back from stat() and written again can lose a fraction of a millisecond.
		const when = 1_700_000_000;
		writeFileSync(file, '{"rules": {"memory": {"threshold": 4000}}}\n');
		utimesSync(file, when, when);
		expect((await run()).status).toBe('pass');
		// Same size, same mtime: the last verdict stands (the file is not parsed again).
		writeFileSync(file, '{"rules": {"memory": {"threshold": "40"}}}\n');
		utimesSync(file, when, when);
		expect((await run()).status).toBe('pass');
		// Any real edit changes size or mtime, and is read.
		writeFileSync(file, '{\n  "rules": {"memory": {"threshold": "four"}}\n}\n');
		const broken = await run();
		expect(broken.status).toBe('fail');
		expect(broken.reason).toMatch(/alerts\.json:2:\d+: expected number/);
		rmSync(file);
		expect((await run()).status).toBe('pass');
	});

	it('finish within the timeout when the API is slower than it', async () => {
		rig = await startHealthRig({config: healthConfig(0.6)});
		rig.sandbox.setFaults({latencyMs: 4000});
		const started = performance.now();
		const results = await rig.run();
		const elapsed = performance.now() - started;
		expect(elapsed).toBeLessThan(3000);
		const checks = byId(results);
		expect(checks['api.me']).toMatchObject({status: 'fail', reason: 'timed out after 0.6 s', ms: 600});
		expect(checks['api.project'].reason).toBe('timed out after 0.6 s');
		expect(checks.nomenclature.status).toBe('pass');
		// The expiry check gives up waiting for GET /v4/me just before the deadline and still reports.
		expect(checks['token.expiry'].status).toBe('warn');
	});

	it('fail the credential checks without credentials', async () => {
		rig = await startHealthRig({auth: () => new MissingTokenProvider()});
		const checks = byId(await rig.run());
		expect(checks.credentials).toMatchObject({status: 'fail'});
		expect(checks.credentials.reason).toContain('no Frame.io credentials');
		expect(checks['token.expiry'].status).toBe('fail');
		expect(checks['api.me'].reason).toContain('no Frame.io credentials');
	});

	it('name the flag and the variable when no project is configured', async () => {
		rig = await startHealthRig();
		const checks = byId(await rig.run({sandboxIds: false}));
		// One account is visible: it is used.
		expect(checks['api.account'].status).toBe('pass');
		expect(checks['api.project'].status).toBe('fail');
		expect(checks['api.project'].reason).toBe('no project configured: pass --project-id ID or set FRAMEIO_PROJECT_ID');
		expect(checks['upload.target'].reason).toContain('--project-id');
		expect(checks['api.workspace'].status).toBe('warn');
	});

	it('fail a project the API does not know, with its answer', async () => {
		rig = await startHealthRig();
		const checks = byId(await rig.run({ids: {projectId: '00000000-0000-0000-0000-000000000000'}}));
		expect(checks['api.project'].status).toBe('fail');
		expect(checks['api.project'].reason).toContain('404');
		expect(checks['api.project'].reason).toContain('Project not found');
	});

	it('warn when the upload target folder does not exist yet, without creating it', async () => {
		rig = await startHealthRig();
		expect(byId(await rig.run())['upload.target'].status).toBe('pass');
		// Deleted after the first run had it in a cached listing: the check looks again.
		rig.sandbox.store.deleteFolder(rig.sandbox.ids.wipFolderId);
		const checks = byId(await rig.run());
		expect(checks['upload.target'].status).toBe('warn');
		expect(checks['upload.target'].reason).toBe('WIP_BYSHOT does not exist yet (missing: WIP_BYSHOT); the first upload creates it');
		expect(rig.sandbox.store.folderCountByName(rig.sandbox.ids.rootFolderId, 'WIP_BYSHOT')).toBe(0);
		expect(rig.sandbox.requests.filter(record => record.method === 'POST')).toHaveLength(0);
	});

	it('judge disk space against the thresholds', async () => {
		rig = await startHealthRig();
		const huge = Number.MAX_SAFE_INTEGER;
		let checks = byId(await rig.run({disk: {warnBytes: huge, failBytes: 1}}));
		expect(checks['disk.logs'].status).toBe('warn');
		expect(checks['disk.logs'].reason).toMatch(/free at .*, under /);
		checks = byId(await rig.run({disk: {warnBytes: huge, failBytes: huge}}));
		expect(checks['disk.state'].status).toBe('fail');
	});

	it('fail when the circuit breaker is open', async () => {
		rig = await startHealthRig({config: {...healthConfig(), optimization: {...healthConfig().optimization, error_handling: {...healthConfig().optimization.error_handling, circuit_breaker_threshold: 1}}}});
		const permit = rig.client.breaker.tryAcquire()!;
		rig.client.breaker.failure(permit);
		const checks = byId(await rig.run());
		expect(checks['api.breaker'].status).toBe('fail');
		expect(checks['api.breaker'].reason).toMatch(/^open after 1 consecutive failures: calls refused for \d+ s more/);
		expect(checks['api.me'].reason).toContain('circuit breaker open');
	});

	it('warn when the cache hit rate is under the target', async () => {
		rig = await startHealthRig();
		for (let index = 0; index < 30; index++) rig.cache.get(`folder_missing${index}`);
		const checks = byId(await rig.run());
		expect(checks['cache.store'].status).toBe('warn');
		expect(checks['cache.store'].reason).toMatch(/hit rate 0\.0 % \(0\/3\d lookups\), below the 70 % target/);
	});

	it('check the Discord webhook shape, and send a test message only with notifyTest', async () => {
		rig = await startHealthRig();
		const url = rig.sandbox.discordWebhookUrl;
		rememberSecret(url);
		const env = {FRAMEIO_DISCORD_WEBHOOK: url};
		let checks = byId(await rig.run({env}));
		expect(checks['alerts.channel'].status).toBe('pass');
		expect(checks['alerts.channel'].reason).toContain(`Discord webhook on ${new URL(url).host}`);
		expect(rig.sandbox.discord.messages).toHaveLength(0);

		checks = byId(await rig.run({env, notifyTest: true}));
		expect(checks['alerts.channel']).toMatchObject({status: 'pass'});
		expect(checks['alerts.channel'].reason).toContain('test message delivered (HTTP 204)');
		expect(rig.sandbox.discord.messages).toHaveLength(1);
		expect(JSON.stringify(checks)).not.toContain(url.split('/').at(-1));

		checks = byId(await rig.run({env: {FRAMEIO_DISCORD_WEBHOOK: 'https://example.com/hooks/123'}}));
		expect(checks['alerts.channel'].status).toBe('fail');
		expect(checks['alerts.channel'].reason).toContain('is not a webhook URL (expected the form discord.com/api/webhooks/ID/TOKEN over https)');
	});
});
