// The cache belongs to one identity (API origin + account user). A token the API refuses reads nothing from it; an
// API out of reach fails the run unless --stale-ok, and then every listing past its TTL says it is stale.
import {existsSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {cli, cliDirs, cliSandbox, sandboxEnv, type CliDirs} from './cli-rig.js';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await cliSandbox();
});
afterAll(async () => {
	await sandbox.close();
});

/** A state dir whose cache holds the demo project's tree, listed once by the right token. */
async function warmed(): Promise<CliDirs> {
	const dirs = cliDirs(
		// A folder TTL of one second: by the time the API is gone, the cached listings are past it.
		`{"rate_limiting": {"requests_per_second": 1000, "burst_size": 1000}, "error_handling": {"retry_delay_base": 0.01, "retry_delay_max": 0.05, "max_retries": 1, "request_timeout_seconds": 2}, "cache_ttl": {"folders": 1}}`,
	);
	const first = await cli(['structure', '--project-id', sandbox.ids.projectId, '--depth', '1'], dirs, sandboxEnv(sandbox));
	expect(first.code, first.stderr).toBe(0);
	expect(first.stdout).toContain('WIP_BYSHOT/');
	return dirs;
}

describe('the cache belongs to one identity', () => {
	it('keeps each user of each API host in its own folder of the state dir', async () => {
		const dirs = await warmed();
		const host = new URL(sandbox.url).host.replace(':', '_');
		expect(readdirSync(path.join(dirs.state, 'api'))).toEqual([host]);
		expect(readdirSync(path.join(dirs.state, 'api', host))).toEqual([sandbox.ids.userId]);
		expect(existsSync(path.join(dirs.state, 'api', host, sandbox.ids.userId, 'cache.json'))).toBe(true);
	});

	it('a token the API refuses reads nothing from the cache: exit 1 with the 401 reason', async () => {
		const dirs = await warmed();
		const wrong = await cli(['structure', '--project-id', sandbox.ids.projectId, '--depth', '1'], dirs, {...sandboxEnv(sandbox), FRAMEIO_TOKEN: 'wrong-token-not-a-secret'});
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toMatch(/401/);
		expect(wrong.stdout).not.toContain('WIP_BYSHOT');
		expect(wrong.stdout).toBe('');
	});

	it('an API out of reach fails the run and says how to see the cache; --stale-ok shows it, marked stale with its age', async () => {
		const dirs = await warmed();
		await new Promise(resolve => setTimeout(resolve, 1100)); // past the 1 s folder TTL
		const gone = `http://127.0.0.1:${await closedPort()}`;
		const env = {...sandboxEnv(sandbox), FRAMEIO_API_URL: gone};
		// Another host has no cache of its own, and the sandbox's host is not this one: name the cache by host.
		const refused = await cli(['structure', '--project-id', sandbox.ids.projectId, '--depth', '1'], dirs, env);
		expect(refused.code).toBe(1);
		expect(refused.stdout).toBe('');
		expect(refused.stderr).toMatch(/nothing was read from the cache/);

		// The same host, down: the sandbox's origin with the server stopped.
		const down = await cliSandbox();
		const origin = down.url;
		const warmDown = cliDirs(`{"rate_limiting": {"requests_per_second": 1000, "burst_size": 1000}, "error_handling": {"retry_delay_base": 0.01, "retry_delay_max": 0.05, "max_retries": 1, "request_timeout_seconds": 2}, "cache_ttl": {"folders": 1}}`);
		const downEnv = sandboxEnv(down);
		expect((await cli(['structure', '--project-id', down.ids.projectId, '--depth', '1'], warmDown, downEnv)).code).toBe(0);
		await down.close();
		await new Promise(resolve => setTimeout(resolve, 1100));
		const offline = await cli(['structure', '--project-id', down.ids.projectId, '--depth', '1'], warmDown, {...downEnv, FRAMEIO_API_URL: origin});
		expect(offline.code).toBe(1);
		expect(offline.stdout).toBe('');
		expect(offline.stderr).toMatch(/--stale-ok shows the cached data of 127\.0\.0\.1:\d+ as /);

		const stale = await cli(['structure', '--project-id', down.ids.projectId, '--depth', '1', '--stale-ok'], warmDown, {...downEnv, FRAMEIO_API_URL: origin});
		expect(stale.code, stale.stderr + stale.stdout).toBe(0);
		expect(stale.stderr).toMatch(/^warning: .*: showing the cache of 127\.0\.0\.1:\d+ as .*; listings past their TTL are marked stale/m);
		expect(stale.stdout).toMatch(/WIP_BYSHOT\/ .*\[stale: cached \d+s ago\]/);
		expect(stale.stdout).toMatch(/\d+ of them stale, up to \d+s old \(the API was not reached: --stale-ok\)/);
	});
});

async function closedPort(): Promise<number> {
	const {createServer} = await import('node:net');
	return new Promise(resolve => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}
