// kill -9 in the middle of `upload`, then the same command again: every file ends in its folder exactly once,
// byte-exact, with no placeholder left behind.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {cli, filesIn, folderAt, freshDirs, KiB, makeFile, MiB, sandboxEnv, sha256, spawnCli, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	// 256 KiB parts at 1 MiB/s each: a 2 MiB file takes about half a second, so the run is still going when killed.
	sandbox = await startTestSandbox({partSize: 256 * KiB, partBytesPerSecond: 1 * MiB});
});
afterAll(() => sandbox.close());

const partsLanded = () => sandbox.requests.filter(request => request.method === 'PUT' && request.path.startsWith('/s3/parts/') && request.status === 200).length;

describe('upload after kill -9', () => {
	it('resumes with the same command and finishes every file exactly once, byte-exact', async () => {
		const dir = testDir('kill-files');
		const names = ['UNDLM_SEQ01_00010_v001.mp4', 'UNDLM_SEQ01_00020_v001.mp4', 'UNDLM_SEQ02_00010_v001.mov'];
		const files = names.map(name => makeFile(dir, name, 2 * MiB + 1000));
		const dirs = freshDirs();
		const env = sandboxEnv(sandbox);
		const args = ['upload', ...files, '--parallel', '1', '--no-progress'];

		const first = spawnCli(args, dirs, env);
		const until = Date.now() + 20_000;
		while (partsLanded() < 3) {
			if (Date.now() > until) throw new Error(`no part landed: ${first.output()}`);
			await new Promise(resolve => setTimeout(resolve, 10));
		}
		first.child.kill('SIGKILL');
		expect(await first.exited).toBeNull();
		const folderOf = (name: string) => {
			const [, sequence, shot] = /^UNDLM_(SEQ\d+)_(\d+)_/.exec(name)!;
			return folderAt(sandbox, ['WIP_BYSHOT', `SC${sequence.slice(3)}_${sequence}`, `UNDLM_${shot}`]);
		};
		const completeBefore = names.filter(name => {
			const folder = folderOf(name);
			return folder && filesIn(sandbox, folder).some(file => file.name === name && file.status !== 'created');
		});
		// Killed mid-way: not everything had landed.
		expect(completeBefore.length).toBeLessThan(names.length);

		const second = await cli(args, dirs, env, 60_000);
		expect(second.code).toBe(0);
		expect(second.stdout).toMatch(/resuming \d+ unfinished upload/);
		for (const [index, name] of names.entries()) {
			const folder = folderOf(name);
			expect(folder).toBeDefined();
			const remote = filesIn(sandbox, folder!);
			expect(remote.filter(file => file.name === name)).toHaveLength(1);
			expect(remote.filter(file => file.status === 'created')).toEqual([]);
			expect(sandbox.store.fileSha256(remote.find(file => file.name === name)!.id)).toBe(sha256(files[index]));
		}
		// The folders were made once, whatever the kill interrupted.
		expect(sandbox.store.folderCountByName(folderAt(sandbox, ['WIP_BYSHOT'])!, 'SC01_SEQ01')).toBe(1);
	}, 90_000);
});
