// `test-upload FILE SCENE SHOT` through the real CLI against a sandbox on loopback.
import {createServer} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {cli, folderAt, folderCounts, filesIn, freshDirs, KiB, makeFile, sandboxEnv, sha256, stacksIn, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
	sandbox = await startTestSandbox();
	dir = testDir('test-upload-files');
});
afterAll(() => sandbox.close());

describe('test-upload', () => {
	it('uploads byte-exact into SCENE/SHOT and prints the final JSON object', async () => {
		const size = 5 * 64 * KiB + 123; // six parts of the sandbox's 64 KiB, the last one short
		const file = makeFile(dir, 'UNDLM_SEQ01_00042_v002.mp4', size);
		const result = await cli(['test-upload', file, 'SC01_SEQ01', 'UNDLM_00042', '--json'], freshDirs(), sandboxEnv(sandbox));
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const lines = result.stdout.trim().split('\n');
		expect(lines).toHaveLength(1);
		const out = JSON.parse(lines[0]);
		const folderId = folderAt(sandbox, ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']);
		expect(folderId).toBeDefined();
		expect(out).toMatchObject({file_size: size, folder_id: folderId, folder_path: 'WIP_BYSHOT/SC01_SEQ01/UNDLM_00042'});
		expect(typeof out.seconds).toBe('number');
		expect(out.mbps).toBeGreaterThan(0);
		expect(out.view_url).toBe(sandbox.store.getFile(out.id)?.view_url);
		expect(sandbox.store.fileSha256(out.id)).toBe(sha256(file));
		expect(filesIn(sandbox, folderId!).map(f => f.id)).toEqual([out.id]);
	});

	it('creates the folders once: a second run into the same SCENE/SHOT finds them', async () => {
		const segments = ['WIP_BYSHOT', 'SC02_SEQ02', 'UNDLM_00100'];
		expect(folderAt(sandbox, segments.slice(0, 2))).toBeUndefined();
		const dirs = freshDirs();
		for (const name of ['UNDLM_SEQ02_00100_v001.mov', 'UNDLM_SEQ02_00100_v002.mov']) {
			const file = makeFile(dir, name, 70 * KiB);
			const result = await cli(['test-upload', file, 'SC02_SEQ02', 'UNDLM_00100'], dirs, sandboxEnv(sandbox));
			expect(result.code).toBe(0);
			expect(result.stdout).toContain('uploaded and verified');
			expect(result.stdout).toContain('WIP_BYSHOT/SC02_SEQ02/UNDLM_00100');
			expect(result.stdout).toMatch(/view_url\s+http:\/\/127\.0\.0\.1:\d+\/view\//);
		}
		expect(folderCounts(sandbox, segments)).toEqual([1, 1, 1]);
		// The second version stacked on the first (uploads.version_stacking is on by default).
		expect(filesIn(sandbox, folderAt(sandbox, segments)!)).toEqual([]);
		expect(stacksIn(sandbox, folderAt(sandbox, segments)!).map(stack => stack.names)).toEqual([['UNDLM_SEQ02_00100_v001.mov', 'UNDLM_SEQ02_00100_v002.mov']]);
	});

	it('a new file in an existing shot shows in the next `structure --layout`: the cached counts are dropped', async () => {
		const dirs = freshDirs();
		type Shot = {name: string; files: number; stacks: number};
		type Layout = {layout: {scenes: Array<{name: string; shots: Shot[]}>}};
		const filesOf = (out: string) => {
			const shot = (JSON.parse(out) as Layout).layout.scenes.find(scene => scene.name === 'SC09_SEQ09')?.shots.find(each => each.name === 'UNDLM_00900');
			return shot && {files: shot.files, stacks: shot.stacks};
		};
		const upload = async (name: string) => {
			const result = await cli(['test-upload', makeFile(dir, name, 70 * KiB), 'SC09_SEQ09', 'UNDLM_00900'], dirs, sandboxEnv(sandbox));
			expect(result.code).toBe(0);
		};
		const layout = async () => filesOf((await cli(['structure', '--layout', '--json'], dirs, sandboxEnv(sandbox))).stdout);
		await upload('UNDLM_SEQ09_00900_v001.mp4'); // makes the shot folder
		expect(await layout()).toEqual({files: 1, stacks: 0});
		sandbox.store.addFile(folderAt(sandbox, ['WIP_BYSHOT', 'SC09_SEQ09', 'UNDLM_00900'])!, 'made_elsewhere.mov', 1000);
		expect(await layout()).toEqual({files: 1, stacks: 0}); // answered from the cache: it does not see a file made behind its back
		await upload('UNDLM_SEQ09_00900_v002.mp4'); // into the existing folder: it stacks on v001
		expect(await layout()).toEqual({files: 1, stacks: 1}); // made_elsewhere.mov, and the stack of v001 and v002
	});

	it('exits 2 naming the path when FILE does not exist, and on a SCENE that cannot be a folder', async () => {
		const missing = `${dir}/no-such-file.mp4`;
		const result = await cli(['test-upload', missing, 'SC01_SEQ01', 'UNDLM_00042'], freshDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(`file not found: ${missing}`);

		const file = makeFile(dir, 'UNDLM_SEQ01_00043_v001.mp4', 100);
		const badScene = await cli(['test-upload', file, 'SC01/SEQ01', 'UNDLM_00043'], freshDirs(), sandboxEnv(sandbox));
		expect(badScene.code).toBe(2);
		expect(badScene.stderr).toContain('SCENE "SC01/SEQ01" cannot be a folder name');

		const missingShot = await cli(['test-upload', file, 'SC01_SEQ01'], freshDirs(), sandboxEnv(sandbox));
		expect(missingShot.code).toBe(2);
		expect(missingShot.stderr).toContain('missing SHOT');
		// Nothing was created for any of them.
		expect(folderAt(sandbox, ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00043'])).toBeUndefined();
	});

	it('without credentials exits 2 and says how to log in', async () => {
		const file = makeFile(dir, 'UNDLM_SEQ01_00044_v001.mp4', 100);
		const result = await cli(['test-upload', file, 'SC01_SEQ01', 'UNDLM_00044'], freshDirs(), {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: undefined});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('frameio-admin login');
		expect(result.stderr).toContain('FRAMEIO_TOKEN');
	});

	it('with a refused token exits 1 with the API\'s detail', async () => {
		const bad = rememberSecret('refused-token-for-test-upload-0001');
		const file = makeFile(dir, 'UNDLM_SEQ01_00045_v001.mp4', 100);
		const result = await cli(['test-upload', file, 'SC01_SEQ01', 'UNDLM_00045'], freshDirs(), sandboxEnv(sandbox, {FRAMEIO_TOKEN: bad}));
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('401');
		expect(result.stderr).toContain('Invalid token');
		expect(result.stderr).toContain('FRAMEIO_TOKEN was refused');
	});

	it('with the API down exits 1 naming the host', async () => {
		// A port that was free a moment ago: nothing listens on it.
		const port = await new Promise<number>(resolve => {
			const server = createServer().listen(0, '127.0.0.1', () => {
				const {port} = server.address() as {port: number};
				server.close(() => resolve(port));
			});
		});
		const file = makeFile(dir, 'UNDLM_SEQ01_00046_v001.mp4', 100);
		const result = await cli(['test-upload', file, 'SC01_SEQ01', 'UNDLM_00046'], freshDirs(), sandboxEnv(sandbox, {FRAMEIO_API_URL: `http://127.0.0.1:${port}`}));
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`127.0.0.1:${port}`);
		expect(result.stderr).toContain('connection refused');
	});
});
