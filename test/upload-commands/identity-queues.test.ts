// A persisted upload job resumes only against the API host and user it was made for. Two sandboxes play two hosts:
// `upload` killed on A, then `upload` of another file on B: B never gets A's file and says that A's upload waits;
// A's next run resumes it, once. The queue file written before identity folders existed (<state>/uploads.json) is
// not resumed blindly: its jobs of this run's account are adopted, the others stay and are listed.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {allFileNames, cli, filesIn, folderAt, freshDirs, KiB, makeFile, MiB, sandboxEnv, spawnCli, startTestSandbox, testDir} from './helpers.js';

let hostA: Sandbox;
let hostB: Sandbox;

beforeAll(async () => {
	// A is slow (the run is still sending when it is killed); B is quick.
	hostA = await startTestSandbox({partSize: 128 * KiB, partBytesPerSecond: 256 * KiB});
	hostB = await startTestSandbox();
});
afterAll(async () => {
	await hostA.close();
	await hostB.close();
});

const partsLandedOn = (sandbox: Sandbox) => sandbox.requests.filter(request => request.method === 'PUT' && request.path.startsWith('/s3/parts/') && request.status === 200).length;

describe('a queue per API host and user', () => {
	it('killed on host A, upload on host B: B does not resume A’s job and lists it; A’s next run resumes it', async () => {
		const dir = testDir('identity-files');
		const fileA = makeFile(dir, 'UNDLM_SEQ04_00040_v001.mp4', 1 * MiB + 3);
		const fileB = makeFile(dir, 'UNDLM_SEQ04_00041_v001.mp4', 64 * KiB);
		const dirs = freshDirs();
		const argsA = ['upload', fileA, '--no-progress'];

		const first = spawnCli(argsA, dirs, sandboxEnv(hostA));
		const until = Date.now() + 20_000;
		while (partsLandedOn(hostA) < 2) {
			if (Date.now() > until) throw new Error(`no part landed on A: ${first.output()}`);
			await new Promise(resolve => setTimeout(resolve, 10));
		}
		first.child.kill('SIGKILL');
		expect(await first.exited).toBeNull();

		const onB = await cli(['upload', fileB, '--no-progress'], dirs, sandboxEnv(hostB), 60_000);
		expect(onB.code, onB.stdout + onB.stderr).toBe(0);
		expect(allFileNames(hostB)).toContain('UNDLM_SEQ04_00041_v001.mp4');
		expect(allFileNames(hostB)).not.toContain('UNDLM_SEQ04_00040_v001.mp4');
		expect(onB.stdout).not.toMatch(/resuming/);
		const hostOfA = new URL(hostA.url).host;
		expect(onB.stdout + onB.stderr).toContain(`1 upload queued for ${hostOfA} as Sandbox User waits: run with FRAMEIO_API_URL=${hostA.url} and that user's credentials to finish it`);

		const againOnA = await cli(argsA, dirs, sandboxEnv(hostA), 60_000);
		expect(againOnA.code, againOnA.stdout + againOnA.stderr).toBe(0);
		expect(againOnA.stdout).toMatch(/resuming 1 unfinished upload/);
		const folder = folderAt(hostA, ['WIP_BYSHOT', 'SC04_SEQ04', 'UNDLM_00040'])!;
		const landed = filesIn(hostA, folder).filter(file => file.name === 'UNDLM_SEQ04_00040_v001.mp4');
		expect(landed).toHaveLength(1);
		expect(landed[0].status).not.toBe('created');
		// Nothing of A's is left waiting for B.
		const onBAgain = await cli(['upload', fileB, '--no-progress'], dirs, sandboxEnv(hostB), 60_000);
		expect(onBAgain.stdout + onBAgain.stderr).not.toContain('waits');
	}, 120_000);
});

describe('the queue file written before identity folders existed', () => {
	it('adopts the jobs of this run’s account, leaves and lists the others', async () => {
		const dir = testDir('legacy-files');
		const ours = makeFile(dir, 'UNDLM_SEQ05_00050_v001.mp4', 96 * KiB);
		const theirs = makeFile(dir, 'UNDLM_SEQ05_00051_v001.mp4', 96 * KiB);
		const fresh = makeFile(dir, 'UNDLM_SEQ05_00052_v001.mp4', 32 * KiB);
		const dirs = freshDirs();
		const job = (id: string, file: string, account: string, shot: string) => ({
			id,
			kind: 'local',
			name: path.basename(file),
			path: file,
			size: 96 * KiB,
			target: {folder: `WIP_BYSHOT/SC05_SEQ05/UNDLM_${shot}`, root: hostB.ids.rootFolderId, account},
			state: 'queued',
			step: 'pending',
			staleFileIds: [],
			addedAt: new Date().toISOString(),
		});
		const legacy = path.join(dirs.state, 'uploads.json');
		writeFileSync(legacy, JSON.stringify({version: 1, jobs: [job('legacy-ours', ours, hostB.ids.accountId, '00050'), job('legacy-theirs', theirs, 'acc-of-another-host', '00051')]}));

		const result = await cli(['upload', fresh, '--no-progress'], dirs, sandboxEnv(hostB), 60_000);
		expect(result.code, result.stdout + result.stderr).toBe(0);
		const said = result.stdout + result.stderr;
		expect(said).toContain(`adopted 1 upload from ${legacy}, queued before identity folders existed: it was planned in account ${hostB.ids.accountId}, this run's`);
		expect(said).toContain(`1 upload in ${legacy} (queued before identity folders existed) waits: planned in account acc-of-another-host, not this run's (${hostB.ids.accountId})`);
		const names = allFileNames(hostB);
		expect(names).toContain('UNDLM_SEQ05_00050_v001.mp4');
		expect(names).toContain('UNDLM_SEQ05_00052_v001.mp4');
		expect(names).not.toContain('UNDLM_SEQ05_00051_v001.mp4');
		// The other account's job is still in the legacy file, and only it.
		expect(existsSync(legacy)).toBe(true);
		expect((JSON.parse(readFileSync(legacy, 'utf8')) as {jobs: Array<{id: string}>}).jobs.map(each => each.id)).toEqual(['legacy-theirs']);
	}, 90_000);
});
