// `verify DIR` through the real CLI against a sandbox: missing, size differs, only on Frame.io, stacked or loose,
// names with no folder, --one-way, --scene/--shot, --json, and the exit codes.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {cli, folderAt, freshDirs, KiB, makeFile, sandboxEnv, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

describe('verify', () => {
	it('finds a missing, a different-size and an extra file; says stacked or loose; exit 1, and 0 once they match', async () => {
		const dir = testDir('verify-render');
		const dirs = freshDirs();
		const v1 = makeFile(dir, 'UNDLM_SEQ01_00010_v001.mp4', 20 * KiB);
		const v2 = makeFile(dir, 'UNDLM_SEQ01_00010_v002.mp4', 21 * KiB);
		const loose = makeFile(dir, 'UNDLM_SEQ01_00011_v001.mp4', 22 * KiB);
		expect((await cli(['upload', v1, v2, loose, '--no-progress'], dirs, sandboxEnv(sandbox))).code).toBe(0);
		const same = await cli(['verify', dir], dirs, sandboxEnv(sandbox));
		expect(same.stdout).toMatch(/^= UNDLM_SEQ01_00010_v001\.mp4 +20\.0 KB +stacked, version 1 of 2 +in WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00010$/m);
		expect(same.stdout).toMatch(/^= UNDLM_SEQ01_00010_v002\.mp4 +21\.0 KB +stacked, head of 2 +in WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00010$/m);
		expect(same.stdout).toMatch(/^= UNDLM_SEQ01_00011_v001\.mp4 +22\.0 KB +loose +in WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00011$/m);
		expect(same.stdout).toMatch(/^OK: 3 local files in .*, 2 folders on Frame\.io: 3 matches \(2 stacked, 1 loose\), 0 missing on Frame\.io, 0 of another size, 0 only on Frame\.io$/m);
		expect(same.code).toBe(0);

		// Tonight: one render missing on Frame.io, one re-rendered at another size, one file on Frame.io only.
		makeFile(dir, 'UNDLM_SEQ01_00012_v001.mp4', 5 * KiB);
		writeFileSync(loose, Buffer.alloc(23 * KiB, 2));
		sandbox.store.addFile(folderAt(sandbox, ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00010'])!, 'UNDLM_SEQ01_00010_v000.mp4', 999);
		writeFileSync(path.join(dir, 'notes.txt'), 'hello');
		const differs = await cli(['verify', dir], dirs, sandboxEnv(sandbox));
		expect(differs.code).toBe(1);
		expect(differs.stdout).toMatch(/^- UNDLM_SEQ01_00012_v001\.mp4 +missing on Frame\.io: its folder WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00012 does not exist on Frame\.io$/m);
		expect(differs.stdout).toMatch(/^\* UNDLM_SEQ01_00011_v001\.mp4 +size differs: 23\.0 KB here, 22\.0 KB on Frame\.io \(loose\) +in WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00011$/m);
		expect(differs.stdout).toMatch(/^\+ UNDLM_SEQ01_00010_v000\.mp4 +only on Frame\.io: 999 B, loose +in WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00010$/m);
		expect(differs.stdout).toMatch(/^! notes\.txt +no target folder: the name does not match the naming patterns/m);
		expect(differs.stdout).toMatch(/^DIFFERENT: 5 local files in .*: 2 matches \(2 stacked, 0 loose\), 1 missing on Frame\.io, 1 of another size, 1 only on Frame\.io, 1 with no target folder$/m);

		const json = await cli(['verify', dir, '--json'], dirs, sandboxEnv(sandbox));
		expect(json.code).toBe(1);
		const report = JSON.parse(json.stdout);
		expect(report.summary).toEqual({local: 5, folders: 2, match: 2, stacked: 2, loose: 0, missing: 1, size_differs: 1, only_remote: 1, unmatched: 1, differences: 4});
		expect(report.files.find((file: {name: string}) => file.name === 'UNDLM_SEQ01_00010_v002.mp4')).toMatchObject({
			status: 'match',
			placement: 'stacked',
			local_size: 21 * KiB,
			remote_size: 21 * KiB,
			folder_path: 'WIP_BYSHOT/SC01_SEQ01/UNDLM_00010',
			stack_id: expect.any(String),
		});
		expect(report.files.find((file: {name: string}) => file.name === 'UNDLM_SEQ01_00010_v000.mp4')).toMatchObject({status: 'only_remote', placement: 'loose', local_size: null, remote_size: 999});

		// --one-way: what is on Frame.io only is not a difference (earlier versions from other nights).
		const oneWay = await cli(['verify', dir, '--one-way', '--json'], dirs, sandboxEnv(sandbox));
		expect(JSON.parse(oneWay.stdout).summary).toMatchObject({only_remote: 0, differences: 3});
	});

	it('a placeholder whose upload never finished is missing, said as such (parts may have been sent)', async () => {
		const dir = testDir('verify-unfinished');
		const dirs = freshDirs();
		makeFile(dir, 'take9.mov', 12 * KiB);
		expect((await cli(['upload', makeFile(testDir('verify-unfinished-other'), 'take1.mov', 1 * KiB), '--scene', 'SC09_SEQ09', '--shot', 'UNDLM_00090', '--no-progress'], dirs, sandboxEnv(sandbox))).code).toBe(0);
		sandbox.store.addFile(folderAt(sandbox, ['WIP_BYSHOT', 'SC09_SEQ09', 'UNDLM_00090'])!, 'take9.mov', 12 * KiB, 'created');
		const result = await cli(['verify', dir, '--scene', 'SC09_SEQ09', '--shot', 'UNDLM_00090', '--one-way'], dirs, sandboxEnv(sandbox));
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^- take9\.mov +missing on Frame\.io: only an unfinished upload on Frame\.io \(status created: not all of its bytes are in\)/m);
	});

	it('with --scene/--shot every file belongs in that folder; an empty folder listing still shows what Frame.io has', async () => {
		const dir = testDir('verify-sceneshot');
		const dirs = freshDirs();
		const take = makeFile(dir, 'take3.mov', 12 * KiB);
		expect((await cli(['upload', take, '--scene', 'SC08_SEQ08', '--shot', 'UNDLM_00080', '--no-progress'], dirs, sandboxEnv(sandbox))).code).toBe(0);
		const result = await cli(['verify', dir, '--scene', 'SC08_SEQ08', '--shot', 'UNDLM_00080'], dirs, sandboxEnv(sandbox));
		expect(result.stdout).toMatch(/^= take3\.mov +12\.0 KB +loose +in WIP_BYSHOT\/SC08_SEQ08\/UNDLM_00080$/m);
		expect(result.code).toBe(0);

		const empty = testDir('verify-empty');
		const none = await cli(['verify', empty, '--scene', 'SC08_SEQ08', '--shot', 'UNDLM_00080'], dirs, sandboxEnv(sandbox));
		expect(none.code).toBe(1);
		expect(none.stdout).toMatch(/^\+ take3\.mov +only on Frame\.io/m);
	});

	it('exits 2 on usage errors, before any network', async () => {
		const dirs = freshDirs();
		for (const [args, message] of [
			[['verify'], 'give the DIR of renders to verify'],
			[['verify', '/nonexistent/renders'], 'directory not found: /nonexistent/renders'],
			[['verify', testDir('verify-usage'), '--scene', 'SC01_SEQ01'], 'give --scene and --shot together'],
			[['verify', 'a', 'b'], 'verify takes one DIR, got 2 arguments'],
		] as const) {
			const result = await cli([...args], dirs, sandboxEnv(sandbox));
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr).toContain(message);
		}
	});
});
