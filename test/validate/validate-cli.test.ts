// `frameio-admin validate` as a user runs it: config files, credentials, ids by name; exit 0 / 1 / 2; no secret.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {writeConfig} from '../health/rig.js';
import {cli, cliDirs, cliSandbox, logsText, sandboxEnv} from '../structure/cli-rig.js';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await cliSandbox();
});
afterAll(async () => {
	await sandbox.close();
});

describe('frameio-admin validate', () => {
	it('shows every config file, the credentials and each id by name; exit 0; no part of the token anywhere', async () => {
		const dirs = cliDirs();
		const result = await cli(['validate'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^ {2}ok {2}optimization {2}.*optimization\.json$/m);
		expect(result.stdout).toMatch(/^ {2}ok {2}alerts {8}.*alerts\.json not present: defaults$/m);
		expect(result.stdout).toMatch(/^ {2}ok {2}source {8}FRAMEIO_TOKEN \(environment\)$/m);
		expect(result.stdout).toContain('GET /v4/me: Camille Laurent');
		expect(result.stdout).toMatch(/^ {2}ok {2}account {7}Undlm Studio \([0-9a-f-]+\) {2}\[from FRAMEIO_ACCOUNT_ID\]$/m);
		expect(result.stdout).toMatch(/^ {2}ok {2}workspace {5}Post Production .*\[from the project's\]$/m);
		expect(result.stdout).toMatch(/^ {2}ok {2}project {7}UNDLM_DOCU .*\[from FRAMEIO_PROJECT_ID\]$/m);
		expect(result.stdout).toMatch(/^ {2}ok {2}root folder {3}UNDLM_DOCU \(/m);
		expect(result.stdout).toMatch(/\nAll valid\.\n$/);
		const everything = result.stdout + result.stderr + logsText(dirs);
		// Not the token, nor any 8-character piece of its random part.
		const random = sandbox.token.replace(/^sbx_static_/, '');
		for (let start = 0; start + 8 <= random.length; start += 4) expect(everything).not.toContain(random.slice(start, start + 8));
	});

	it('exits 1 for a project id the API does not know, with its 404 and detail, as JSON too', async () => {
		const dirs = cliDirs();
		const bad = '00000000-0000-4000-8000-00000000dead';
		const text = await cli(['validate', '--project-id', bad], dirs, sandboxEnv(sandbox));
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(/^ {2}INVALID {2}project {7}GET projects\.show 404: Not Found — Project not found {2}\[from --project-id\]$/m);
		expect(text.stdout).toMatch(/\n1 invalid\.\n$/);

		const json = await cli(['validate', '--json', '--project-id', bad], dirs, sandboxEnv(sandbox));
		expect(json.code).toBe(1);
		const report = JSON.parse(json.stdout);
		expect(report.valid).toBe(false);
		expect(report.ids.find((item: {name: string}) => item.name === 'project')).toMatchObject({status: 'invalid', source: '--project-id'});
		expect(report.config).toHaveLength(3);
	});

	it('exits 2 on a malformed config file, reporting file:line:col, and still checks the rest', async () => {
		const dirs = cliDirs();
		writeConfig(dirs.config, 'alerts.json', '{\n  // the seed writes comments\n  "channels": {"log_file": 42}\n}\n');
		const result = await cli(['validate'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(2);
		expect(result.stdout).toMatch(/^ {2}INVALID {2}alerts {8}.*alerts\.json:3:28: expected string, got number at channels\.log_file$/m);
		expect(result.stdout).toMatch(/^ {2}ok {7}project/m);
	});

	it("names each of the seed's alert keys it maps and the rule it sets (a disabled rule is a warning)", async () => {
		const dirs = cliDirs(`{
  "rate_limiting": {"requests_per_second": 1000, "burst_size": 1000},
  "alerts": {"memory_threshold": 1, "latency_threshold": 2.5, "cache_miss_threshold": 0.5} // the seed's keys
}`);
		writeConfig(dirs.config, 'alerts.json', '{"rules": {"memory": {"threshold": 800}, "cache_miss_rate": {"enabled": false}}}');
		const result = await cli(['validate'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(0);
		const pad = (name: string) => name.padEnd('alerts.cache_miss_threshold'.length);
		const lines = result.stdout.split('\n');
		expect(lines).toContainEqual(`  ok    ${pad('alerts.latency_threshold')}  sets the threshold of rule api_latency to 2.5 s (alerts.json: 5 s)  [from ${dirs.config}/optimization.json]`);
		expect(lines).toContainEqual(`  ok    ${pad('alerts.memory_threshold')}  sets the threshold of rule memory to 1 MB (alerts.json: 800 MB)  [from ${dirs.config}/optimization.json]`);
		expect(lines).toContainEqual(
			`  warn  ${pad('alerts.cache_miss_threshold')}  sets the threshold of rule cache_miss_rate to 50 % (alerts.json: 30 %), but the rule is disabled in alerts.json  [from ${dirs.config}/optimization.json]`,
		);
		expect(result.stdout).not.toContain('alerts.error_rate_threshold');
		expect(result.stdout).toMatch(/\nAll valid \(1 warning\)\.\n$/);

		const json = JSON.parse((await cli(['validate', '--json'], dirs, sandboxEnv(sandbox))).stdout);
		expect(json.config.map((item: {name: string}) => item.name)).toEqual(['optimization', 'alerts', 'nomenclature', 'alerts.latency_threshold', 'alerts.memory_threshold', 'alerts.cache_miss_threshold']);
	});

	it('exits 1 when the API refuses the token', async () => {
		const own = await cliSandbox({seed: 'empty'});
		try {
			own.expireAllTokens();
			const result = await cli(['validate'], cliDirs(), sandboxEnv(own));
			expect(result.code).toBe(1);
			expect(result.stdout).toMatch(/^ {2}INVALID {2}accepted {6}GET me 401: .*FRAMEIO_TOKEN was refused/m);
			expect(result.stdout).toMatch(/^ {2}not set {2}project {7}not checked: the credentials do not work/m);
		} finally {
			await own.close();
		}
	});

	it('exits 1 without credentials, saying how to log in', async () => {
		const result = await cli(['validate'], cliDirs(), {FRAMEIO_API_URL: sandbox.url});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^ {2}INVALID {2}source {8}no Frame\.io credentials: run `frameio-admin login`/m);
	});
});
