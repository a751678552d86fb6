// `frameio-admin health` as a user runs it: text and JSON, exit 0 / 1 / 2, the right reason for each failure, and
// within the configured timeout when the API hangs.
import {createServer} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {cli, cliDirs, cliSandbox, logsText, sandboxEnv} from '../structure/cli-rig.js';
import {writeConfig} from './rig.js';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await cliSandbox({seed: 'empty'});
});
afterAll(async () => {
	await sandbox.close();
});

type JsonCheck = {id: string; name: string; status: string; reason: string; ms: number};
const check = (checks: JsonCheck[], id: string) => checks.find(each => each.id === id)!;

describe('frameio-admin health', () => {
	it('passes on the in-process sandbox: every check printed with a duration and a summary, exit 0', async () => {
		const result = await cli(['health', '--sandbox'], cliDirs());
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^PASS {2}GET \/v4\/me round trip +\d+ ms {2}\d+ ms; user Camille Laurent/m);
		expect(result.stdout).toMatch(/^PASS {2}Upload target folder +\d+ ms {2}WIP_BYSHOT exists/m);
		expect(result.stdout).toMatch(/^WARN {2}Alert channel/m);
		expect(result.stdout).toMatch(/\n16 checks: 15 pass, 1 warn, 0 fail \(\d+\.\d s\)\n$/);
	});

	it('exits 1 with the 401 when the token expired, and prints no part of it', async () => {
		const dirs = cliDirs();
		const own = await cliSandbox({seed: 'empty'});
		try {
			own.expireAllTokens();
			const result = await cli(['health', '--json'], dirs, sandboxEnv(own));
			expect(result.code).toBe(1);
			const report = JSON.parse(result.stdout);
			expect(report.status).toBe('fail');
			expect(check(report.checks, 'api.me').reason).toContain('401');
			expect(check(report.checks, 'token.expiry').status).toBe('fail');
			expect(report.checks[0].status).toBe('fail');
			const secretPart = own.token.slice(-12);
			expect(result.stdout + result.stderr + logsText(dirs)).not.toContain(secretPart);
		} finally {
			await own.close();
		}
	});

	it('exits 1 with the connection error when the API is down', async () => {
		const server = createServer();
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		await new Promise<void>(resolve => server.close(() => resolve()));
		const token = rememberSecret('health-cli-token-for-a-dead-api-7f3a');
		const result = await cli(['health'], cliDirs(), {FRAMEIO_API_URL: `http://127.0.0.1:${port}`, FRAMEIO_TOKEN: token, FRAMEIO_PROJECT_ID: sandbox.ids.projectId, FRAMEIO_ACCOUNT_ID: sandbox.ids.accountId});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^FAIL {2}GET \/v4\/me round trip .*ECONNREFUSED/m);
		expect(result.stdout).toMatch(/^FAIL {2}Project reachable .*ECONNREFUSED/m);
	});

	it('exits 2 on an invalid config file, and still lists every check with the config one failing', async () => {
		const dirs = cliDirs();
		writeConfig(dirs.config, 'nomenclature.json', '{\n  "case": "shouting"\n}\n');
		const result = await cli(['health', '--json'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(2);
		const report = JSON.parse(result.stdout);
		expect(report.checks).toHaveLength(16);
		const config = check(report.checks, 'config');
		expect(config.status).toBe('fail');
		expect(config.reason).toMatch(/nomenclature\.json:2:11: .*case/);
		expect(check(report.checks, 'api.me').status).toBe('pass');
	});

	it('finishes within monitoring.health_timeout_seconds when the API hangs', async () => {
		const dirs = cliDirs('{"rate_limiting": {"requests_per_second": 1000, "burst_size": 1000}, "monitoring": {"health_timeout_seconds": 1}}');
		const slow = await cliSandbox({seed: 'empty'});
		slow.setFaults({latencyMs: 15_000});
		try {
			const started = Date.now();
			const result = await cli(['health'], dirs, sandboxEnv(slow));
			expect(Date.now() - started).toBeLessThan(12_000);
			expect(result.code).toBe(1);
			expect(result.stdout).toMatch(/^FAIL {2}GET \/v4\/me round trip +1000 ms {2}timed out after 1 s$/m);
			expect(result.stdout).toMatch(/^PASS {2}Nomenclature patterns/m);
		} finally {
			await slow.close();
		}
	});

	it('--notify-test sends one test message to the webhook, whose URL never shows', async () => {
		const dirs = cliDirs();
		const url = rememberSecret(sandbox.discordWebhookUrl);
		const before = sandbox.discord.messages.length;
		const result = await cli(['health', '--notify-test'], dirs, {...sandboxEnv(sandbox), FRAMEIO_DISCORD_WEBHOOK: url});
		expect(result.stdout).toMatch(/^PASS {2}Alert channel .*test message delivered \(HTTP 204\)/m);
		expect(result.code).toBe(0);
		expect(sandbox.discord.messages.length - before).toBe(1);
		expect(JSON.stringify(sandbox.discord.messages.at(-1)!.body)).toContain('frameio-admin health: test message');
		expect(result.stdout + result.stderr + logsText(dirs)).not.toContain(url.split('/').at(-1));
	});

	it('exits 2 on an unknown argument', async () => {
		const result = await cli(['health', 'now'], cliDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('unexpected argument "now"');
	});
});
