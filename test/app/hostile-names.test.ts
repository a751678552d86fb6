// Server text never drives the terminal, on every surface of the CLI: a sandbox seeded with names carrying an OSC
// title sequence, a colour, BEL, CR, LF and a bidi override (folders, files, the user, the account, a webhook), and a
// loopback API whose error title and detail carry them. Each printed line holds no control character and no line is
// forged; `--json` keeps the exact value.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {cli, cliDirs, cliSandbox, sandboxEnv, type CliDirs} from '../structure/cli-rig.js';
import {hostileServer, sendJson, type HostileServer} from '../helpers/hostile-server.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

/** What a hostile server names things: a window title, red, a bell, a forged line, a reversed extension. */
const EVIL = (tag: string) => `${tag}\u001b]0;PWNED\u0007\u001b[41m\rforged ${tag} line\n\u202Egpj.mp4`;
const SHOWN = (tag: string) => `${tag}\\x1b]0;PWNED\\x07\\x1b[41m\\rforged ${tag} line\\n\\u202egpj.mp4`;
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** No control character in any line, and no line that starts with the forged text. */
function expectInert(text: string): void {
	expect(text).not.toMatch(CONTROLS);
	expect(text).not.toMatch(/^forged /m);
}

let sandbox: Sandbox;
let dirs: CliDirs;
let env: Record<string, string | undefined>;
let hostileFolderId: string;

beforeAll(async () => {
	sandbox = await cliSandbox();
	dirs = cliDirs();
	env = sandboxEnv(sandbox);
	sandbox.store.user.name = EVIL('user');
	sandbox.store.user.email = 'evil\u001b[2J@example.com';
	const root = sandbox.ids.rootFolderId;
	hostileFolderId = sandbox.store.addFolder(root, EVIL('folder')).id;
	sandbox.store.addFile(hostileFolderId, EVIL('file'), 1234);
});
afterAll(() => sandbox.close());

describe('hostile names on the CLI', () => {
	it('structure: tree lines printable; --json keeps the names', async () => {
		const result = await cli(['structure', '--project-id', sandbox.ids.projectId, '--depth', '2'], dirs, env);
		expect(result.code).toBe(0);
		expectInert(result.stdout);
		expect(result.stdout).toContain(`├─ ${SHOWN('folder')}/  (1 file)`);
		const json = await cli(['structure', '--project-id', sandbox.ids.projectId, '--depth', '2', '--json'], dirs, env);
		expect(json.stdout).toContain(JSON.stringify(EVIL('folder')));
	});

	it('whoami: the user printable; --json keeps it', async () => {
		const result = await cli(['whoami'], dirs, env);
		expect(result.code).toBe(0);
		expectInert(result.stdout);
		expect(result.stdout.split('\n')[0]).toBe(`${SHOWN('user')} <evil\\x1b[2J@example.com>`);
		const json = await cli(['whoami', '--json'], dirs, env);
		expect(JSON.parse(json.stdout).name).toBe(EVIL('user'));
	});

	it('test-upload and upload: result lines printable', async () => {
		const dir = testDir('hostile-upload');
		const file = path.join(dir, 'take\u001b]0;PWNED\u0007\u001b[41m.mov');
		writeFileSync(file, Buffer.alloc(4096, 7));
		const test = await cli(['test-upload', file, 'SC01_SEQ01', 'UNDLM_00042', '--no-progress'], dirs, env);
		expect(test.code, test.stderr).toBe(0);
		expectInert(test.stdout + test.stderr);
		expect(test.stdout).toContain('uploaded and verified: take\\x1b]0;PWNED\\x07\\x1b[41m.mov');
		const again = await cli(['upload', file, '--scene', 'SC01_SEQ01', '--shot', 'UNDLM_00042', '--no-progress', '--force'], dirs, env);
		expect(again.code, again.stderr).toBe(0);
		expectInert(again.stdout + again.stderr);
		expect(again.stdout).toMatch(/done {5}take\\x1b\]0;PWNED\\x07\\x1b\[41m\.mov/);
	});

	it('verify: a remote file with a hostile name is listed on one line', async () => {
		const wip = sandbox.store.children(sandbox.ids.rootFolderId).find(child => child.name === 'WIP_BYSHOT')!;
		const shot = sandbox.store.addFolder(sandbox.store.addFolder(wip.id, 'SC09_SEQ09').id, 'UNDLM_00077');
		sandbox.store.addFile(shot.id, EVIL('remote'), 99);
		const local = testDir('hostile-verify');
		writeFileSync(path.join(local, 'UNDLM_SEQ09_00077_v001.mp4'), Buffer.alloc(10));
		// Fresh state: the listings cached by the tests above do not have the new folders yet.
		const result = await cli(['verify', local], cliDirs(), env);
		expectInert(result.stdout + result.stderr);
		expect(result.stdout).toContain(SHOWN('remote'));
	});

	it('webhook list: name and url printable', async () => {
		const response = await fetch(`${sandbox.url}/v4/accounts/${sandbox.ids.accountId}/workspaces/${sandbox.ids.workspaceId}/webhooks`, {
			method: 'POST',
			headers: {authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json'},
			body: JSON.stringify({data: {name: EVIL('hook'), url: 'https://hooks.example.com/in', events: ['file.created']}}),
		});
		expect(response.status).toBe(201);
		rememberSecret(((await response.json()) as {data: {secret: string}}).data.secret);
		const result = await cli(['webhook', 'list'], dirs, env);
		expect(result.code, result.stderr).toBe(0);
		expectInert(result.stdout);
		expect(result.stdout).toContain(SHOWN('hook'));
	});

	it('logs and logs --json: a hostile message stays one printable line; --json keeps the record', async () => {
		const logs = testDir('hostile-logs');
		const record = {level: 30, time: Date.now(), logger: 'frameio.structure', msg: `Cache hit: ${EVIL('log')}`};
		writeFileSync(path.join(logs, 'frameio_admin.log'), `${JSON.stringify(record)}\n`);
		const own = {...dirs, logs};
		const result = await cli(['logs'], own, env);
		expect(result.code).toBe(0);
		expectInert(result.stdout);
		expect(result.stdout.trim().split('\n')).toHaveLength(1);
		expect(result.stdout).toContain(`Cache hit: ${SHOWN('log')}`);
		const json = await cli(['logs', '--json'], own, env);
		expect(JSON.parse(json.stdout.trim()).msg).toBe(record.msg);
	});
});

describe('hostile error text on stderr', () => {
	let api: HostileServer;
	beforeAll(async () => {
		api = await hostileServer((request, res) => {
			if (request.url === '/v4/me') return sendJson(res, 403, {errors: [{title: EVIL('title'), detail: EVIL('detail'), source: {pointer: '/data\u001b[2J'}}]});
			if (request.url.startsWith('/v4/accounts')) return sendJson(res, 200, {data: [{id: 'a-1', display_name: EVIL('account1')}, {id: 'a-2', display_name: EVIL('account2')}], links: {next: null}});
			sendJson(res, 404, {errors: [{detail: EVIL('missing')}]});
		});
	});
	afterAll(() => api.close());
	const token = rememberSecret('hostile-errors-token-6f1b');

	it('an API error: one printable line, exit 1', async () => {
		const result = await cli(['whoami'], dirs, {FRAMEIO_API_URL: api.url, FRAMEIO_TOKEN: token});
		expect(result.code).toBe(1);
		expectInert(result.stderr);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain(`GET me 403: ${SHOWN('title')} — ${SHOWN('detail')} (at /data\\x1b[2J)`);
	});

	it('health: every reason printable, and never PASS', async () => {
		const result = await cli(['health'], dirs, {FRAMEIO_API_URL: api.url, FRAMEIO_TOKEN: token});
		expect(result.code).toBe(1);
		expectInert(result.stdout + result.stderr);
		expect(result.stdout).toContain(SHOWN('title'));
	});

	it('validate and structure: the account names a refusal lists are printable', async () => {
		const validate = await cli(['validate'], dirs, {FRAMEIO_API_URL: api.url, FRAMEIO_TOKEN: token});
		expectInert(validate.stdout + validate.stderr);
		const structure = await cli(['structure', '--project-id', 'p-1'], dirs, {FRAMEIO_API_URL: api.url, FRAMEIO_TOKEN: token});
		expect(structure.code).not.toBe(0);
		expectInert(structure.stdout + structure.stderr);
	});
});
