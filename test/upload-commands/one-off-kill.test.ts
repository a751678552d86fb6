// Nothing left half-done on Frame.io by the one-off uploads (test-upload and report --probe --upload, whose queue
// lives in memory): SIGHUP (an SSH drop) is handled like SIGTERM, the placeholder deleted before the process exits;
// kill -9 leaves it, and the next run finds it in the in-flight journal and deletes it (a placeholder still
// "created" only, never a complete file). Real processes against a standalone sandbox.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {allFileNames, cli, filesIn, freshDirs, KiB, makeFile, MiB, sandboxEnv, spawnCli, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	// 128 KiB parts at 256 KiB/s: a 2 MiB file takes seconds, so the run is mid-parts when the signal comes.
	sandbox = await startTestSandbox({partSize: 128 * KiB, partBytesPerSecond: 256 * KiB});
});
afterAll(() => sandbox.close());

const partsLanded = () => sandbox.requests.filter(request => request.method === 'PUT' && request.path.startsWith('/s3/parts/') && request.status === 200).length;

async function untilPartsLanded(count: number, output: () => string): Promise<void> {
	const until = Date.now() + 20_000;
	while (partsLanded() < count) {
		if (Date.now() > until) throw new Error(`no part landed: ${output()}`);
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

const named = (name: string) => sandbox.store.allFolders().flatMap(folder => filesIn(sandbox, folder.id)).filter(file => file.name === name);

describe('test-upload', () => {
	const scene = 'SC03_SEQ03';
	const shot = 'UNDLM_00031';

	it('kill -9 mid-upload leaves a placeholder; the next run deletes it and uploads exactly one copy', async () => {
		const file = makeFile(testDir('one-off-kill'), 'UNDLM_SEQ03_00031_v001.mp4', 2 * MiB + 5);
		const dirs = freshDirs();
		const env = sandboxEnv(sandbox);
		const before = partsLanded();
		const first = spawnCli(['test-upload', file, scene, shot, '--no-progress'], dirs, env);
		await untilPartsLanded(before + 2, first.output);
		first.child.kill('SIGKILL');
		expect(await first.exited).toBeNull();
		const left = named('UNDLM_SEQ03_00031_v001.mp4');
		expect(left.map(each => each.status)).toEqual(['created']);

		const second = await cli(['test-upload', file, scene, shot, '--no-progress'], dirs, env, 60_000);
		expect(second.code, second.stdout + second.stderr).toBe(0);
		expect(second.stderr).toContain('deleted 1 placeholder an interrupted upload left on Frame.io (UNDLM_SEQ03_00031_v001.mp4)');
		const after = named('UNDLM_SEQ03_00031_v001.mp4');
		expect(after).toHaveLength(1);
		expect(after[0].status).not.toBe('created');
		expect(after[0].id).not.toBe(left[0].id);
	}, 90_000);

	it('kill -9 mid-upload, then `upload` of the same file (a persisted queue): the placeholder is deleted too, one copy', async () => {
		const file = makeFile(testDir('one-off-kill-then-upload'), 'UNDLM_SEQ03_00033_v001.mp4', 2 * MiB + 5);
		const dirs = freshDirs();
		const env = sandboxEnv(sandbox);
		const before = partsLanded();
		const first = spawnCli(['test-upload', file, scene, 'UNDLM_00033', '--no-progress'], dirs, env);
		await untilPartsLanded(before + 2, first.output);
		first.child.kill('SIGKILL');
		expect(await first.exited).toBeNull();
		expect(named('UNDLM_SEQ03_00033_v001.mp4').map(each => each.status)).toEqual(['created']);

		const second = await cli(['upload', file, '--scene', scene, '--shot', 'UNDLM_00033', '--no-progress'], dirs, env, 60_000);
		expect(second.code, second.stdout + second.stderr).toBe(0);
		expect(second.stdout + second.stderr).toContain('deleted 1 placeholder an interrupted upload left on Frame.io (UNDLM_SEQ03_00033_v001.mp4)');
		const after = named('UNDLM_SEQ03_00033_v001.mp4');
		expect(after).toHaveLength(1);
		expect(after[0].status).not.toBe('created');
	}, 90_000);

	it('SIGHUP mid-upload cancels it like SIGTERM: no placeholder left, exit 130', async () => {
		const file = makeFile(testDir('one-off-hup'), 'UNDLM_SEQ03_00032_v001.mp4', 2 * MiB + 5);
		const dirs = freshDirs();
		const before = partsLanded();
		const run = spawnCli(['test-upload', file, scene, 'UNDLM_00032', '--no-progress'], dirs, sandboxEnv(sandbox));
		await untilPartsLanded(before + 2, run.output);
		run.child.kill('SIGHUP');
		expect(await run.exited).toBe(130);
		expect(run.output()).toContain('interrupted; the test upload was cancelled');
		expect(named('UNDLM_SEQ03_00032_v001.mp4')).toEqual([]);
	}, 60_000);
});

describe('report --probe --upload', () => {
	const probeArgs = (file: string) => ['report', '--probe', '--duration', '1s', '--upload', file, '--project-id', sandbox.ids.projectId];

	it('kill -9 during the test upload: the next report deletes the placeholder it left', async () => {
		const file = makeFile(testDir('probe-kill'), 'probe-kill-test.bin', 2 * MiB + 9);
		const dirs = freshDirs();
		const env = sandboxEnv(sandbox);
		const before = partsLanded();
		const first = spawnCli(probeArgs(file), dirs, env);
		await untilPartsLanded(before + 2, first.output);
		first.child.kill('SIGKILL');
		expect(await first.exited).toBeNull();
		expect(named('probe-kill-test.bin').map(each => each.status)).toEqual(['created']);

		const other = makeFile(testDir('probe-kill'), 'probe-kill-second.bin', 64 * KiB);
		const second = await cli(probeArgs(other), dirs, env, 60_000);
		expect(second.code, second.stdout + second.stderr).toBe(0);
		expect(second.stderr).toContain('deleted 1 placeholder an interrupted upload left on Frame.io (probe-kill-test.bin)');
		// Both gone: the orphan swept, the second test file deleted after its probe as usual.
		expect(allFileNames(sandbox).filter(name => name.startsWith('probe-kill'))).toEqual([]);
	}, 90_000);

	it('SIGHUP during the test upload: cancelled and deleted before it exits', async () => {
		const file = makeFile(testDir('probe-hup'), 'probe-hup-test.bin', 2 * MiB + 9);
		const dirs = freshDirs();
		const before = partsLanded();
		const run = spawnCli(probeArgs(file), dirs, sandboxEnv(sandbox));
		await untilPartsLanded(before + 2, run.output);
		run.child.kill('SIGHUP');
		await run.exited;
		expect(named('probe-hup-test.bin')).toEqual([]);
	}, 60_000);
});
