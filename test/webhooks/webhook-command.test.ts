// `webhook list|create|delete` through the real CLI against a sandbox: the secret is shown once, stored mode 0600 in
// the state dir and nowhere else (not in the logs, not in `list`), `delete` forgets it; usage errors exit 2.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {profileDir} from '../../source/config/profiles.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import {cli, freshDirs, sandboxEnv, spawnCli, startTestSandbox, testDir} from '../upload-commands/helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

const logsOf = (dir: string) =>
	readdirSync(dir)
		.map(name => readFileSync(path.join(dir, name), 'utf8'))
		.join('\n');

describe('webhook', () => {
	it('create shows the secret once and stores it 0600; list says it is here; delete removes both', async () => {
		const dirs = freshDirs();
		const env = sandboxEnv(sandbox);
		const empty = await cli(['webhook', 'list'], dirs, env);
		expect(empty.code).toBe(0);
		expect(empty.stdout).toContain(`No webhook in workspace ${sandbox.ids.workspaceId}`);

		const created = await cli(['webhook', 'create', '--url', 'http://127.0.0.1:9/frameio?token=abc123', '--name', 'render box', '--events', 'file.*,folder.created'], dirs, env);
		expect(created.code).toBe(0);
		const id = /^Created webhook ([0-9a-f-]{36}) \(render box\)/m.exec(created.stdout)?.[1];
		expect(id).toBeDefined();
		const secret = /^ {2}secret +([0-9a-f]+)$/m.exec(created.stdout)?.[1];
		expect(secret).toMatch(/^[0-9a-f]{64}$/);
		expect(created.stdout).toContain('url      http://127.0.0.1:9/frameio?…'); // the query may carry the receiver's token
		expect(created.stdout).toMatch(/events +file\.created, file\.deleted, file\.ready, file\.updated, file\.upload\.completed, file\.versioned, file\.copied, folder\.created$/m);

		// In the folder of the identity the token acts as (API host and user), like the cache and the upload queue.
		const file = path.join(profileDir(dirs.state, {origin: new URL(sandbox.url).origin, userId: sandbox.ids.userId}), 'webhook-secrets.json');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const stored = JSON.parse(readFileSync(file, 'utf8'));
		expect(stored.webhooks[id!]).toMatchObject({secret, workspace_id: sandbox.ids.workspaceId, name: 'render box'});
		expect(logsOf(dirs.logs)).not.toContain(secret!);

		const listed = await cli(['webhook', 'list'], dirs, env);
		expect(listed.code).toBe(0);
		expect(listed.stdout).toContain(`${id}  render box`);
		expect(listed.stdout).toContain(`secret  stored here (${file})`);
		expect(listed.stdout).not.toContain(secret!);
		const elsewhere = await cli(['webhook', 'list', '--json'], freshDirs(), env);
		expect(JSON.parse(elsewhere.stdout).webhooks).toEqual([expect.objectContaining({id, secret_stored: false})]);
		expect(elsewhere.stdout).not.toContain(secret!);

		const deleted = await cli(['webhook', 'delete', id!], dirs, env);
		expect(deleted.code).toBe(0);
		expect(deleted.stdout).toBe(`Deleted webhook ${id} and its stored secret\n`);
		expect(JSON.parse(readFileSync(file, 'utf8')).webhooks).toEqual({});
		const again = await cli(['webhook', 'delete', id!], dirs, env);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/not found/i);
		expect(logsOf(dirs.logs)).not.toContain(secret!);
	});

	it('exits 2 on usage errors, naming the problem', async () => {
		const dirs = freshDirs();
		const env = sandboxEnv(sandbox);
		for (const [args, message] of [
			[['webhook'], 'give an action: list, create, delete'],
			[['webhook', 'purge'], 'unknown action "purge"'],
			[['webhook', 'create'], 'give --url URL'],
			[['webhook', 'create', '--url', 'ftp://example.com/x'], '--url must be http or https'],
			[['webhook', 'create', '--url', 'not a url'], '--url must be an absolute http(s) URL'],
			[['webhook', 'create', '--url', 'http://127.0.0.1:9/', '--events', 'file.nope'], 'unknown event "file.nope"'],
			[['webhook', 'delete'], 'give the ID of the webhook to delete'],
			[['webhook', 'list', '--url', 'http://x/'], '--url goes with `webhook create`'],
		] as const) {
			const result = await cli([...args], dirs, env);
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr).toContain(message);
		}
	});
});

describe('watch --webhook-port', () => {
	it('runs the receiver beside the watch: a forged delivery gets a 401; bad flags exit 2', async () => {
		const dirs = freshDirs();
		const env = sandboxEnv(sandbox);
		const watch = spawnCli(['watch', testDir('watch-webhook'), '--webhook-port', '0', '--json', '--interval', '1s'], dirs, env);
		const deadline = Date.now() + 15_000;
		let url: string | undefined;
		while (!url && Date.now() < deadline) {
			url = /receiving Frame\.io webhooks on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(watch.output())?.[1];
			await new Promise(resolve => setTimeout(resolve, 50));
		}
		expect(url).toBeDefined();
		const ts = String(Math.floor(Date.now() / 1000));
		const answer = await fetch(`${url}hook`, {method: 'POST', headers: {'x-frameio-request-timestamp': ts, 'x-frameio-signature': `v0=${'0'.repeat(64)}`}, body: '{}'});
		expect(answer.status).toBe(401);
		watch.child.kill('SIGINT');
		expect(await watch.exited).toBe(0);
		expect(logsOf(dirs.logs)).toContain('webhook delivery refused (401)');

		for (const [args, message] of [
			[['--webhook-port', '70000'], '--webhook-port must be a TCP port'],
			[['--webhook-host', '0.0.0.0'], '--webhook-host goes with --webhook-port'],
		] as const) {
			const result = await cli(['watch', testDir('watch-webhook-usage'), '--once', ...args], freshDirs(), env);
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr).toContain(message);
		}
	});
});
