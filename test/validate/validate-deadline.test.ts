// `validate` against an API that never answers (issue 12): it took 123 s (30 s request timeout × 4 attempts, then
// the ids). It stops at monitoring.health_timeout_seconds, as `health` does, and says which checks timed out.
import {createServer, type Server} from 'node:http';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

let server: Server;
let url: string;
let requests = 0;
beforeAll(async () => {
	// Accepts every connection and request, and never answers.
	server = createServer(() => {
		requests++;
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise(resolve => server.close(resolve));
});

describe('validate against an API that never answers', () => {
	it('stops at monitoring.health_timeout_seconds with "timed out", exit 1', async () => {
		const config = testDir('deadline-config');
		// The default request timeout (30 s) and retries (3): only the deadline can end this run in time.
		writeFileSync(path.join(config, 'optimization.json'), '{"monitoring": {"health_timeout_seconds": 2}}');
		const token = rememberSecret('validate-deadline-token-0123456789');
		const started = performance.now();
		const result = await runCli(
			['validate', '--account-id', 'a1', '--project-id', 'p1', '--config', config, '--state-dir', testDir('deadline-state'), '--logs-dir', testDir('deadline-logs')],
			{env: {FRAMEIO_API_URL: url, FRAMEIO_TOKEN: token}, timeoutMs: 25_000},
		);
		const ms = performance.now() - started;
		expect(result.code).toBe(1);
		expect(ms).toBeGreaterThan(1900);
		expect(ms).toBeLessThan(6000);
		expect(requests).toBeGreaterThan(0);
		expect(result.stdout).toMatch(/^ {2}INVALID {2}accepted {6}GET \/v4\/me: timed out after 2 s \(monitoring\.health_timeout_seconds\)$/m);
		expect(result.stdout).toMatch(/^ {2}not set {2}project {7}not checked: timed out {2}\[from --project-id\]$/m);
	});
});
