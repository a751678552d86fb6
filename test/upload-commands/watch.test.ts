// `watch DIR` through the real CLI against a sandbox: --once uploads the matching files, skips the others with the
// reason and the ones already in their folder; without --once it picks up files that appear, until SIGINT.
import {readFileSync, utimesSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {allFilesIn, cli, filesIn, folderAt, freshDirs, KiB, makeFile, ndjson, sandboxEnv, sha256, spawnCli, stacksIn, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

function age(file: string, seconds: number): string {
	const at = new Date(Date.now() - seconds * 1000);
	utimesSync(file, at, at);
	return file;
}

describe('watch --once', () => {
	it('uploads matching files, skips non-matching and already-uploaded ones', async () => {
		const dir = testDir('watch-once');
		const a = age(makeFile(dir, 'UNDLM_SEQ01_00010_v001.mp4', 150 * KiB), 60);
		const fresh = makeFile(dir, 'UNDLM_SEQ01_00010_v002.mp4', 90 * KiB); // just written: waits --stable first
		age(makeFile(dir, 'README.txt', 100), 60);
		age(makeFile(dir, 'UNDLM_SEQ02_00020_v001.mov', 70 * KiB), 60);
		age(makeFile(dir, '.hidden_UNDLM_SEQ01_00010_v003.mp4', 10), 60);
		// Already on Frame.io: same name and size in its target folder.
		const wip = sandbox.ids.wipFolderId;
		const scene = sandbox.store.addFolder(wip, 'SC02_SEQ02');
		const shot = sandbox.store.addFolder(scene.id, 'UNDLM_00020');
		const existing = sandbox.store.addFile(shot.id, 'UNDLM_SEQ02_00020_v001.mov', 70 * KiB);

		const dirs = freshDirs();
		const result = await cli(['watch', dir, '--once', '--stable', '0.3s'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(0);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00010'])!;
		const uploaded = allFilesIn(sandbox, folder);
		expect(uploaded.map(file => file.name).sort()).toEqual(['UNDLM_SEQ01_00010_v001.mp4', 'UNDLM_SEQ01_00010_v002.mp4']);
		// Two versions of one shot: stacked, oldest first.
		expect(stacksIn(sandbox, folder).map(stack => stack.names)).toEqual([['UNDLM_SEQ01_00010_v001.mp4', 'UNDLM_SEQ01_00010_v002.mp4']]);
		for (const file of uploaded) expect(sandbox.store.fileSha256(file.id)).toBe(sha256(file.name.endsWith('v001.mp4') ? a : fresh));
		expect(filesIn(sandbox, shot.id).map(file => file.id)).toEqual([existing.id]);

		const lines = result.stdout.split('\n');
		expect(lines).toContainEqual(expect.stringMatching(/^skipped +README\.txt +does not match the naming patterns: /));
		expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^skipped +UNDLM_SEQ02_00020_v001\\.mov +already uploaded \\(same name and size; loose\\) in WIP_BYSHOT/SC02_SEQ02/UNDLM_00020 \\(id ${existing.id}\\)$`)));
		expect(result.stdout).not.toContain('.hidden');
		expect(lines).toContainEqual(expect.stringMatching(/^summary +2 done, 2 skipped/));
		// The skip is in the logs too, with its reason; so is each upload, for `report --since`.
		const log = readFileSync(path.join(dirs.logs, 'frameio_admin.log'), 'utf8');
		expect(log).toMatch(/"name":"README\.txt".*watch: skipped README\.txt: does not match/);
		expect(log).toMatch(/"event":"upload","id":"[^"]+","name":"UNDLM_SEQ01_00010_v001\.mp4","outcome":"done"/);

		// A second pass finds everything in place and uploads nothing.
		const puts = sandbox.requests.filter(request => request.method === 'POST' && request.path.endsWith('/local_upload')).length;
		const again = await cli(['watch', dir, '--once', '--stable', '0.3s', '--json'], dirs, sandboxEnv(sandbox));
		expect(again.code).toBe(0);
		const events = ndjson(again.stdout);
		expect(events.filter(event => event.event === 'skipped').map(event => event.name).sort()).toEqual([
			'README.txt',
			'UNDLM_SEQ01_00010_v001.mp4',
			'UNDLM_SEQ01_00010_v002.mp4',
			'UNDLM_SEQ02_00020_v001.mov',
		]);
		expect(events.at(-1)).toMatchObject({event: 'summary', done: 0, skipped: 4});
		expect(sandbox.requests.filter(request => request.method === 'POST' && request.path.endsWith('/local_upload')).length).toBe(puts);
	});

	it('exits 2 when DIR is missing', async () => {
		const result = await cli(['watch', '/nonexistent/renders', '--once'], freshDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('directory not found: /nonexistent/renders');
	});
});

describe('watch (continuous)', () => {
	it('uploads a file that appears while it runs, and stops on SIGINT', async () => {
		const dir = testDir('watch-loop');
		const run = spawnCli(['watch', dir, '--interval', '0.1s', '--stable', '0.2s'], freshDirs(), sandboxEnv(sandbox));
		try {
			const until = Date.now() + 15_000;
			while (!run.output().includes('watching')) {
				if (Date.now() > until || run.child.exitCode !== null) throw new Error(`watch did not start: ${run.output()}`);
				await new Promise(resolve => setTimeout(resolve, 20));
			}
			const name = 'UNDLM_SEQ03_00030_v001.mp4';
			const bytes = randomBytes(100 * KiB);
			writeFileSync(path.join(dir, name), bytes.subarray(0, 50 * KiB));
			await new Promise(resolve => setTimeout(resolve, 50));
			writeFileSync(path.join(dir, name), bytes); // still being written: only the full file may go
			while (!run.output().includes(`done     ${name}`)) {
				if (Date.now() > until || run.child.exitCode !== null) throw new Error(`no upload: ${run.output()}`);
				await new Promise(resolve => setTimeout(resolve, 20));
			}
			const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC03_SEQ03', 'UNDLM_00030'])!;
			const files = filesIn(sandbox, folder);
			expect(files).toHaveLength(1);
			expect(files[0].file_size).toBe(100 * KiB);
			expect(sandbox.store.fileSha256(files[0].id)).toBe(sha256(path.join(dir, name)));
		} finally {
			run.child.kill('SIGINT');
		}
		expect(await run.exited).toBe(0);
		expect(run.output()).toMatch(/^summary +1 done/m);
	});
});
