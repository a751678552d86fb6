// Ctrl-C (SIGINT) during `upload`: no new part starts, the queue is saved, exit 130 with "resume with the same
// command"; the same command then finishes every file exactly once.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {allFilesIn, cli, folderAt, freshDirs, KiB, makeFile, MiB, sandboxEnv, sha256, spawnCli, stacksIn, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox({partSize: 128 * KiB, partBytesPerSecond: 512 * KiB});
});
afterAll(() => sandbox.close());

const partPuts = () => sandbox.requests.filter(request => request.method === 'PUT' && request.path.startsWith('/s3/parts/'));

describe('upload interrupted by SIGINT', () => {
	it('stops starting parts, saves the queue, exits 130; the same command resumes and finishes', async () => {
		const dir = testDir('sigint-files');
		const names = ['UNDLM_SEQ09_00090_v001.mp4', 'UNDLM_SEQ09_00090_v002.mp4'];
		const files = names.map(name => makeFile(dir, name, 1 * MiB + 7));
		const dirs = freshDirs();
		const args = ['upload', ...files, '--parallel', '1'];

		const run = spawnCli(args, dirs, sandboxEnv(sandbox));
		const until = Date.now() + 20_000;
		while (!partPuts().some(request => request.status === 200)) {
			if (Date.now() > until) throw new Error(`no part landed: ${run.output()}`);
			await new Promise(resolve => setTimeout(resolve, 10));
		}
		run.child.kill('SIGINT');
		const startedAtSignal = partPuts().length;
		expect(await run.exited).toBe(130);
		expect(run.output()).toContain('resume with the same command');
		expect(run.output()).toMatch(/^summary +.*\d+ not finished/m);
		// Graceful: at most the parts already in flight (4 per file) went out after the signal.
		expect(partPuts().length - startedAtSignal).toBeLessThanOrEqual(4);

		const again = await cli(args, dirs, sandboxEnv(sandbox), 60_000);
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/resuming \d+ unfinished upload/);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC09_SEQ09', 'UNDLM_00090'])!;
		const remote = allFilesIn(sandbox, folder);
		expect(remote.map(file => file.name).sort()).toEqual(names);
		// Two versions of one shot, stacked in order whatever the interruption did to their timing.
		expect(stacksIn(sandbox, folder).map(stack => stack.names)).toEqual([names]);
		expect(remote.filter(file => file.status === 'created')).toEqual([]);
		for (const [index, name] of names.entries()) {
			expect(sandbox.store.fileSha256(remote.find(file => file.name === name)!.id)).toBe(sha256(files[index]));
		}
	}, 60_000);
});
