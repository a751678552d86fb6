import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

describe('the CLI entry', () => {
	it('exits 2 on an unknown command, an unknown flag and a flag given twice', async () => {
		const dirs = ['--state-dir', testDir('state'), '--logs-dir', testDir('logs')];
		const unknownCommand = await runCli(['frobnicate']);
		expect(unknownCommand.code).toBe(2);
		expect(unknownCommand.stderr).toContain('unknown command "frobnicate"');
		const unknownFlag = await runCli(['cache', 'stats', '--bogus', ...dirs]);
		expect(unknownFlag.code).toBe(2);
		const twice = await runCli(['cache', 'stats', ...dirs, '--logs-dir', testDir('logs')]);
		expect(twice.code).toBe(2);
		expect(twice.stderr).toMatch(/can only be set once[\s\S]*frameio-admin cache --help/);
	});

	it('prints every command in --help and exits 0', async () => {
		const help = await runCli(['--help']);
		expect(help.code).toBe(0);
		for (const command of ['health', 'cache', 'validate', 'structure', 'nomenclature', 'test-upload', 'upload', 'watch', 'report', 'logs', 'login', 'logout', 'whoami', 'sandbox']) {
			expect(help.stdout).toContain(`  ${command} `);
		}
	});
});

describe('every command that talks to the API leaves event lines for `report --since`', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({enforceRateLimits: false});
		rememberSecret(sandbox.token);
	});
	afterAll(() => sandbox.close());

	it('structure writes one event:api line per request', async () => {
		const logs = testDir('logs');
		const result = await runCli(['structure', '--depth', '0', '--state-dir', testDir('state'), '--logs-dir', logs], {
			env: {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: sandbox.token},
		});
		expect(result.code).toBe(0);
		const lines = readFileSync(path.join(logs, 'frameio_admin.log'), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map(line => JSON.parse(line) as {event?: string; status?: number});
		const apiLines = lines.filter(line => line.event === 'api');
		const served = sandbox.requests.filter(request => request.path.startsWith('/v4/')).length;
		expect(apiLines.length).toBeGreaterThan(0);
		expect(apiLines.length).toBe(served);
	});
});
