// Turning farm mode on: FRAMEIO_REDIS_URL or farm.redis_url, FRAMEIO_NODE_NAME or farm.node_name; bad values are a
// setup error that never repeats the password.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveFarmSettings} from '../../source/config/farm-settings.js';
import {loadConfig} from '../../source/config/index.js';
import {nodeName} from '../../source/config/node-name.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {cli, freshDirs, startTestSandbox, testDir} from '../upload-commands/helpers.js';

describe('farm settings', () => {
	it('one node name for alerts and the farm: FRAMEIO_NODE_NAME, then farm.node_name, then the host name', () => {
		expect(nodeName({FRAMEIO_NODE_NAME: 'env-node'}, () => 'host', 'cfg-node')).toBe('env-node');
		expect(nodeName({}, () => 'host', 'cfg-node')).toBe('cfg-node');
		expect(nodeName({}, () => 'host')).toBe('host');
		expect(resolveFarmSettings({env: {FRAMEIO_REDIS_URL: 'redis://h'}, config: {node_name: 'cfg-node'}, hostname: 'host'})?.nodeName).toBe('cfg-node');
		expect(resolveFarmSettings({env: {}, config: {redis_url: '', node_name: 'cfg-node'}})).toBeNull();
	});

	it('bounds farm.heartbeat_interval_seconds and farm.folder_lock_ttl_seconds in config/optimization.json', () => {
		const dir = testDir('farm-bounds');
		writeFileSync(path.join(dir, 'optimization.json'), '{"farm": {"heartbeat_interval_seconds": 0.05}}');
		expect(() => loadConfig(dir)).toThrow(/at least 0\.2 s, got 0\.05 at farm\.heartbeat_interval_seconds/);
		writeFileSync(path.join(dir, 'optimization.json'), '{"farm": {"folder_lock_ttl_seconds": 3600}}');
		expect(() => loadConfig(dir)).toThrow(/at most 600 s.* at farm\.folder_lock_ttl_seconds/);
		writeFileSync(path.join(dir, 'optimization.json'), '{"farm": {"redis_url": "redis://cfg:6379", "node_name": "render-07"}}');
		expect(loadConfig(dir).optimization.farm).toMatchObject({redis_url: 'redis://cfg:6379', node_name: 'render-07', heartbeat_interval_seconds: 5});
	});
});

describe('a Redis URL that cannot be used', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(() => sandbox?.close());

	it('is a setup error (exit 2) naming where it came from, never the password', async () => {
		const password = rememberSecret('farm-pass-9d2f7');
		const env = {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: sandbox.token, FRAMEIO_PROJECT_ID: sandbox.ids.projectId, FRAMEIO_REDIS_URL: `http://:${password}@redis-host:6379`};
		const result = await cli(['structure', '--depth', '1'], freshDirs(), env);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('FRAMEIO_REDIS_URL must start with redis:// or rediss://');
		expect(result.stdout + result.stderr).not.toContain(password);
	});

	it('a Redis that does not answer: the command works alone, and says so', async () => {
		const dirs = freshDirs();
		const env = {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: sandbox.token, FRAMEIO_PROJECT_ID: sandbox.ids.projectId, FRAMEIO_REDIS_URL: 'redis://127.0.0.1:1'};
		const result = await cli(['health', '--json'], dirs, env);
		const report = JSON.parse(result.stdout) as {checks: Array<{id: string; status: string; reason: string}>};
		const farm = report.checks.find(check => check.id === 'farm.redis')!;
		expect(farm.status).toBe('warn');
		expect(farm.reason).toMatch(/^Redis (lost|not reached yet) since .*working alone at the whole of each rate-limit bucket/);
		// Everything else still ran against the API.
		expect(report.checks.find(check => check.id === 'api.me')!.status).toBe('pass');
	});
});
