// Versions land where reviewers expect them, through the real CLI against a sandbox on loopback: three versions of a
// shot end in one stack in order (and `structure` shows it), a second test-upload of the same file is skipped, an
// older version than the head or a same-name file of another size is refused unless --force, and `upload DIR` run
// again sends only what is missing.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {allFilesIn, cli, filesIn, folderAt, freshDirs, KiB, makeFile, ndjson, sandboxEnv, stacksIn, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

const localUploads = () => sandbox.requests.filter(request => request.method === 'POST' && request.path.endsWith('/local_upload')).length;

describe('version stacks through the CLI', () => {
	it('upload of v001, v002, v003 of one shot: one stack in order, "stacked on" in the output, the stack in `structure`', async () => {
		const dir = testDir('versions-three');
		const files = ['v001', 'v002', 'v003'].map((version, index) => makeFile(dir, `UNDLM_SEQ03_00300_${version}.mp4`, (30 + index) * KiB));
		const dirs = freshDirs();
		const result = await cli(['upload', ...files, '--no-progress'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^done +UNDLM_SEQ03_00300_v002\.mp4 .* stacked on v001( \(new version stack\))?$/m);
		expect(result.stdout).toMatch(/^done +UNDLM_SEQ03_00300_v003\.mp4 .* stacked on v002( \(new version stack\))?$/m);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC03_SEQ03', 'UNDLM_00300'])!;
		expect(filesIn(sandbox, folder)).toEqual([]);
		const [stack] = stacksIn(sandbox, folder);
		expect(stack.names).toEqual(['UNDLM_SEQ03_00300_v001.mp4', 'UNDLM_SEQ03_00300_v002.mp4', 'UNDLM_SEQ03_00300_v003.mp4']);

		// What a new user runs next to look at it.
		const tree = await cli(['structure', '--project-id', sandbox.ids.projectId, '--depth', '3', '--versions'], dirs, sandboxEnv(sandbox));
		expect(tree.code).toBe(0);
		const lines = tree.stdout.split('\n');
		const at = lines.findIndex(line => line.includes('UNDLM_00300/'));
		expect(lines[at]).toMatch(/UNDLM_00300\/ +\(1 version stack\)$/);
		expect(lines[at + 1]).toMatch(new RegExp(`▤ UNDLM_SEQ03_00300_v003\\.mp4 +\\(version stack, head 32\\.0 KB; 3 versions; id ${stack.id}\\)$`));
		expect(lines.slice(at + 2, at + 5).map(line => line.replace(/^[\s│├└─]+/, ''))).toEqual([
			'UNDLM_SEQ03_00300_v001.mp4  30.0 KB',
			'UNDLM_SEQ03_00300_v002.mp4  31.0 KB',
			'UNDLM_SEQ03_00300_v003.mp4  32.0 KB  (head)',
		]);
		expect(tree.stdout).toMatch(/UNDLM_00300 0 ▤1/);

		// --json carries the placement of each done file.
		const v4 = makeFile(dir, 'UNDLM_SEQ03_00300_v004.mp4', 10 * KiB);
		const json = await cli(['upload', v4, '--json'], dirs, sandboxEnv(sandbox));
		const done = ndjson(json.stdout).find(event => event.event === 'done');
		expect(done?.stack).toEqual({state: 'stacked', stack_id: stack.id, on: 'v003', head: 'v004', created: false, reason: null, text: 'stacked on v003'});
	});

	it('test-upload run twice: the second run skips the file (in its stack), and --force uploads it again', async () => {
		const dir = testDir('versions-twice');
		const dirs = freshDirs();
		const first = makeFile(dir, 'UNDLM_SEQ04_00400_v001.mp4', 20 * KiB);
		const second = makeFile(dir, 'UNDLM_SEQ04_00400_v002.mp4', 20 * KiB);
		const args = (file: string) => ['test-upload', file, 'SC04_SEQ04', 'UNDLM_00400', '--no-progress'];
		expect((await cli(args(first), dirs, sandboxEnv(sandbox))).code).toBe(0);
		const stacked = await cli(args(second), dirs, sandboxEnv(sandbox));
		expect(stacked.code).toBe(0);
		expect(stacked.stdout).toMatch(/^ {2}stack +stacked on v001 \(new version stack\); version stack [0-9a-f-]{36}$/m);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC04_SEQ04', 'UNDLM_00400'])!;

		const before = localUploads();
		const again = await cli(args(second), dirs, sandboxEnv(sandbox));
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/^skipped: UNDLM_SEQ04_00400_v002\.mp4 is already in WIP_BYSHOT\/SC04_SEQ04\/UNDLM_00400: already uploaded \(same name and size; stacked, head of its version stack\)/m);
		const json = await cli([...args(first), '--json'], dirs, sandboxEnv(sandbox));
		expect(JSON.parse(json.stdout)).toMatchObject({skipped: true, name: 'UNDLM_SEQ04_00400_v001.mp4', folder_id: folder, reason: 'already uploaded (same name and size; stacked, version 1 of 2)'});
		expect(localUploads()).toBe(before);
		expect(allFilesIn(sandbox, folder)).toHaveLength(2);

		const forced = await cli([...args(second), '--force'], dirs, sandboxEnv(sandbox));
		expect(forced.code).toBe(0);
		expect(allFilesIn(sandbox, folder)).toHaveLength(3);
	});

	it('refuses a version older than its stack head, and a same-name file of another size, unless --force (exit 1)', async () => {
		const dir = testDir('versions-refused');
		const dirs = freshDirs();
		const v1 = makeFile(dir, 'UNDLM_SEQ05_00500_v001.mp4', 20 * KiB);
		const v3 = makeFile(dir, 'UNDLM_SEQ05_00500_v003.mp4', 20 * KiB);
		expect((await cli(['upload', v1, v3, '--no-progress'], dirs, sandboxEnv(sandbox))).code).toBe(0);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC05_SEQ05', 'UNDLM_00500'])!;

		const v2 = makeFile(dir, 'UNDLM_SEQ05_00500_v002.mp4', 20 * KiB);
		const older = await cli(['upload', v2, '--no-progress'], dirs, sandboxEnv(sandbox));
		expect(older.code).toBe(1);
		expect(older.stdout).toMatch(/^refused +UNDLM_SEQ05_00500_v002\.mp4 +v002 is older than v003, the head of the shot's version stack in WIP_BYSHOT\/SC05_SEQ05\/UNDLM_00500: Frame\.io only adds a version on top; --force uploads it loose beside the stack$/m);

		const bigger = path.join(testDir('versions-other-size'), 'UNDLM_SEQ05_00500_v001.mp4');
		writeFileSync(bigger, Buffer.alloc(25 * KiB, 1));
		const renamed = await cli(['upload', bigger, '--no-progress'], dirs, sandboxEnv(sandbox));
		expect(renamed.code).toBe(1);
		expect(renamed.stdout).toMatch(/^refused +UNDLM_SEQ05_00500_v001\.mp4 +WIP_BYSHOT\/SC05_SEQ05\/UNDLM_00500 already has a file of this name with another size \(20\.0 KB on Frame\.io, 25\.0 KB here; stacked, version 1 of 2\): it would be a new version under an old name/m);
		expect(allFilesIn(sandbox, folder)).toHaveLength(2);

		const forced = await cli(['upload', v2, '--no-progress', '--force'], dirs, sandboxEnv(sandbox));
		expect(forced.code).toBe(0);
		expect(forced.stdout).toMatch(/^done +UNDLM_SEQ05_00500_v002\.mp4 .* not stacked: v002 is older than v003, the head of its version stack \(Frame\.io only adds a version on top\); left loose beside it$/m);
		expect(filesIn(sandbox, folder).map(file => file.name)).toEqual(['UNDLM_SEQ05_00500_v002.mp4']);
		expect(stacksIn(sandbox, folder)[0].names).toEqual(['UNDLM_SEQ05_00500_v001.mp4', 'UNDLM_SEQ05_00500_v003.mp4']);
	});

	it('upload DIR run again sends only what is missing (a new version), skipping the files already in their stack', async () => {
		const dir = testDir('versions-dir');
		const dirs = freshDirs();
		makeFile(dir, 'UNDLM_SEQ06_00600_v001.mp4', 20 * KiB);
		makeFile(dir, 'UNDLM_SEQ06_00600_v002.mp4', 20 * KiB);
		writeFileSync(path.join(dir, '.partial'), 'x');
		expect((await cli(['upload', dir, '--no-progress'], dirs, sandboxEnv(sandbox))).code).toBe(0);
		makeFile(dir, 'UNDLM_SEQ06_00600_v003.mp4', 20 * KiB);
		writeFileSync(path.join(dir, 'UNDLM_SEQ06_00600_v004.mp4'), ''); // still being rendered
		const before = localUploads();
		const stackReads = () => sandbox.requests.filter(request => request.method === 'GET' && /\/version_stacks\/[^/]+\/children$/.test(request.path)).length;
		const readsBefore = stackReads();
		// Another state dir: the queue of the first run does not know these files; Frame.io's listing does.
		const again = await cli(['upload', dir, '--no-progress'], freshDirs(), sandboxEnv(sandbox));
		expect(again.code).toBe(0);
		expect(localUploads()).toBe(before + 1);
		// The stack is opened once, for v001 (below its head); v002 is its head and v003 is newer: no call for them.
		expect(stackReads() - readsBefore).toBe(1);
		expect(again.stdout).toMatch(/^skipped +UNDLM_SEQ06_00600_v001\.mp4 +already uploaded \(same name and size; stacked, version 1 of 2\)/m);
		expect(again.stdout).toMatch(/^skipped +UNDLM_SEQ06_00600_v004\.mp4 +empty file/m);
		expect(again.stdout).toMatch(/^done +UNDLM_SEQ06_00600_v003\.mp4 .* stacked on v002$/m);
		expect(again.stdout).not.toContain('.partial');
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC06_SEQ06', 'UNDLM_00600'])!;
		expect(stacksIn(sandbox, folder)[0].names).toEqual(['UNDLM_SEQ06_00600_v001.mp4', 'UNDLM_SEQ06_00600_v002.mp4', 'UNDLM_SEQ06_00600_v003.mp4']);
	});

	it('uploads.version_stacking false: versions stay loose', async () => {
		const dir = testDir('versions-off');
		const config = testDir('versions-off-config');
		writeFileSync(path.join(config, 'optimization.json'), '{"uploads": {"version_stacking": false}}');
		const dirs = freshDirs(config);
		const files = ['v001', 'v002'].map(version => makeFile(dir, `UNDLM_SEQ07_00700_${version}.mp4`, 20 * KiB));
		const result = await cli(['upload', ...files, '--no-progress'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain('stacked');
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC07_SEQ07', 'UNDLM_00700'])!;
		expect(filesIn(sandbox, folder).map(file => file.name).sort()).toEqual(['UNDLM_SEQ07_00700_v001.mp4', 'UNDLM_SEQ07_00700_v002.mp4']);
		expect(stacksIn(sandbox, folder)).toEqual([]);
	});
});
