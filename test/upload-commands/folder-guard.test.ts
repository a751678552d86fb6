// A scene or shot folder someone typed is created only when it fits the layout and is no case twin of a folder
// already there: `test-upload x.mov sc01_seq01 shot42` used to create sc01_seq01 beside SC01_SEQ01. The real CLI
// against a sandbox on loopback; the sandbox's own store shows what was (not) created.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {cli, filesIn, folderAt, freshDirs, KiB, makeFile, sandboxEnv, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
	sandbox = await startTestSandbox();
	dir = testDir('folder-guard-files');
	// What a project already holds: one scene with one shot.
	const scene = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC01_SEQ01');
	sandbox.store.addFolder(scene.id, 'UNDLM_00042');
});
afterAll(() => sandbox.close());

const subfolderNames = (segments: string[]) => {
	const id = folderAt(sandbox, segments)!;
	return sandbox.store.children(id).filter(child => child.type === 'folder').map(child => child.name).sort();
};

describe('test-upload refuses a new scene or shot folder off the layout', () => {
	it('a scene differing only in case from an existing one: the existing name and the flag, exit 2, nothing created', async () => {
		const file = makeFile(dir, 'x.mov', 10 * KiB);
		const result = await cli(['test-upload', file, 'sc01_seq01', 'shot42'], freshDirs(), sandboxEnv(sandbox));
		expect(result.stderr).toBe('frameio-admin: no scene folder sc01_seq01: did you mean SC01_SEQ01? (--create-folders creates it as given)\n');
		expect(result.code).toBe(2);
		expect(subfolderNames(['WIP_BYSHOT'])).toEqual(['SC01_SEQ01']);
	});

	it('a shot that does not fit the layout, in an existing scene: the nearest shot there, the format and an example', async () => {
		const file = makeFile(dir, 'x.mov', 10 * KiB);
		const result = await cli(['test-upload', file, 'SC01_SEQ01', 'UNDLM_0042'], freshDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('no shot folder UNDLM_0042, and UNDLM_0042 does not fit the layout\'s shot folders ({project}_{shot:5}, e.g. UNDLM_00042');
		expect(result.stderr).toContain(': did you mean UNDLM_00042? (--create-folders creates it as given)');
		expect(subfolderNames(['WIP_BYSHOT', 'SC01_SEQ01'])).toEqual(['UNDLM_00042']);
	});

	it('a new scene that fits is created as before; one off the layout with nothing beside it names the format', async () => {
		const file = makeFile(dir, 'UNDLM_SEQ03_00010_v001.mov', 10 * KiB);
		const fits = await cli(['test-upload', file, 'SC03_SEQ03', 'UNDLM_00010'], freshDirs(), sandboxEnv(sandbox));
		expect(fits.code).toBe(0);
		expect(folderAt(sandbox, ['WIP_BYSHOT', 'SC03_SEQ03', 'UNDLM_00010'])).toBeDefined();

		const off = await cli(['test-upload', file, 'SC03_SEQ03', 'shot10'], freshDirs(), sandboxEnv(sandbox));
		expect(off.code).toBe(2);
		expect(off.stderr).toContain('no shot folder shot10, and shot10 does not fit the layout\'s shot folders ({project}_{shot:5}, e.g. UNDLM_00042');
		expect(off.stderr).toContain('did you mean UNDLM_00010?');
	});

	it('--create-folders creates them as given, and an existing path is used whatever its name', async () => {
		const file = makeFile(dir, 'x.mov', 10 * KiB);
		const forced = await cli(['test-upload', file, 'sc01_seq01', 'shot42', '--create-folders'], freshDirs(), sandboxEnv(sandbox));
		expect(forced.code).toBe(0);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'sc01_seq01', 'shot42'])!;
		expect(filesIn(sandbox, folder).map(each => each.name)).toEqual(['x.mov']);
		// It exists now: nothing is created, so nothing is asked.
		const again = await cli(['test-upload', makeFile(dir, 'y.mov', 10 * KiB), 'sc01_seq01', 'shot42'], freshDirs(), sandboxEnv(sandbox));
		expect(again.code).toBe(0);
		expect(filesIn(sandbox, folder).map(each => each.name).sort()).toEqual(['x.mov', 'y.mov']);
	});
});

describe('upload --scene/--shot refuses the same way, file by file', () => {
	it('refuses the file with the nearest name (exit 1), uploads nothing, creates nothing; --create-folders uploads it', async () => {
		const file = makeFile(dir, 'take3.mov', 10 * KiB);
		const refused = await cli(['upload', file, '--scene', 'SC01_SEQ01', '--shot', 'undlm_00042'], freshDirs(), sandboxEnv(sandbox));
		expect(refused.code).toBe(1);
		const line = refused.stdout.split('\n').find(each => each.startsWith('refused'));
		expect(line).toContain('take3.mov');
		expect(line).toContain('no shot folder undlm_00042: did you mean UNDLM_00042? (--create-folders creates it as given)');
		expect(subfolderNames(['WIP_BYSHOT', 'SC01_SEQ01'])).toEqual(['UNDLM_00042']);

		const json = await cli(['upload', file, '--scene', 'SC1', '--shot', 'UNDLM_00042', '--json'], freshDirs(), sandboxEnv(sandbox));
		expect(json.code).toBe(1);
		const event = json.stdout.split('\n').filter(Boolean).map(each => JSON.parse(each)).find(each => each.event === 'refused');
		expect(event.reason).toMatch(/^no scene folder SC1, and SC1 does not fit the layout's scene folders \(SC\{sequence:2\}_\{name\}, e\.g\. SC01_SEQ01.*\): did you mean SC01_SEQ01\?/);
		expect(folderAt(sandbox, ['WIP_BYSHOT', 'SC1'])).toBeUndefined();

		const forced = await cli(['upload', file, '--scene', 'SC01_SEQ01', '--shot', 'undlm_00042', '--create-folders'], freshDirs(), sandboxEnv(sandbox));
		expect(forced.code).toBe(0);
		expect(filesIn(sandbox, folderAt(sandbox, ['WIP_BYSHOT', 'SC01_SEQ01', 'undlm_00042'])!).map(each => each.name)).toEqual(['take3.mov']);
	});
});
