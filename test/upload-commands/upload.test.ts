// `upload FILE...` through the real CLI against a sandbox on loopback: nomenclature mapping, refusals, --strict-names,
// NDJSON events, non-TTY result and summary lines, and no second upload of what is already there.
import {createHash, randomBytes} from 'node:crypto';
import {createServer} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {Sandbox} from '../../source/sandbox/index.js';
import {allFileNames, allFilesIn, cli, filesIn, folderAt, freshDirs, KiB, makeFile, ndjson, sandboxEnv, sha256, stacksIn, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
	sandbox = await startTestSandbox();
	dir = testDir('upload-files');
});
afterAll(() => sandbox.close());

describe('upload', () => {
	it('maps each name to its folder, refuses a name without a mapping, uploads the others byte-exact (exit 1)', async () => {
		const a = makeFile(dir, 'UNDLM_SEQ03_00010_v001.mp4', 200 * KiB);
		const b = makeFile(dir, 'UNDLM_SEQ04_00020_v003.mov', 64 * KiB + 1);
		const bad = makeFile(dir, 'holiday_video.mp4', 10 * KiB);
		const result = await cli(['upload', a, bad, b], freshDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(1);

		const aFolder = folderAt(sandbox, ['WIP_BYSHOT', 'SC03_SEQ03', 'UNDLM_00010']);
		const bFolder = folderAt(sandbox, ['WIP_BYSHOT', 'SC04_SEQ04', 'UNDLM_00020']);
		expect(aFolder && bFolder).toBeTruthy();
		const [aRemote] = filesIn(sandbox, aFolder!);
		const [bRemote] = filesIn(sandbox, bFolder!);
		expect(sandbox.store.fileSha256(aRemote.id)).toBe(sha256(a));
		expect(sandbox.store.fileSha256(bRemote.id)).toBe(sha256(b));

		// One result line per file, rclone/aws style, and the refusal with the nomenclature's diagnostic.
		const lines = result.stdout.split('\n');
		expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^done +UNDLM_SEQ03_00010_v001\\.mp4 +200 KB +[\\d.]+ MB/s +-> WIP_BYSHOT/SC03_SEQ03/UNDLM_00010 \\(id ${aRemote.id}\\)$`)));
		expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^done +UNDLM_SEQ04_00020_v003\\.mov .*-> WIP_BYSHOT/SC04_SEQ04/UNDLM_00020 \\(id ${bRemote.id}\\)$`)));
		const refused = lines.find(line => line.startsWith('refused'));
		expect(refused).toContain('holiday_video.mp4');
		expect(refused).toContain('project must be UNDLM');
		expect(refused).toContain('UNDLM_SEQ01_00042_v002.mp4'); // a valid example
		expect(lines).toContainEqual(expect.stringMatching(/^summary +2 done, 1 refused/));
		expect(result.stderr).toContain('1 file not uploaded');
		// Nothing of the refused file reached Frame.io.
		expect(allFileNames(sandbox)).not.toContain('holiday_video.mp4');
		expect(allFileNames(sandbox)).toContain('UNDLM_SEQ03_00010_v001.mp4');
	});

	it('--strict-names refuses a non-matching name even with --scene/--shot, and uploads the matching one', async () => {
		const good = makeFile(dir, 'UNDLM_SEQ05_00030_v001.mp4', 10 * KiB);
		const loose = makeFile(dir, 'UNDLM_SEQ05_30_v1.mp4', 10 * KiB);
		const result = await cli(['upload', good, loose, '--scene', 'SC05_SEQ05', '--shot', 'UNDLM_00030', '--strict-names'], freshDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(1);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC05_SEQ05', 'UNDLM_00030'])!;
		expect(filesIn(sandbox, folder).map(file => file.name)).toEqual(['UNDLM_SEQ05_00030_v001.mp4']);
		const refused = result.stdout.split('\n').find(line => line.startsWith('refused'));
		expect(refused).toContain('UNDLM_SEQ05_30_v1.mp4');
		expect(refused).toContain('--strict-names');
		expect(refused).toMatch(/shot must be 5 digits/);
		expect(refused).toContain('valid names look like: UNDLM_SEQ01_00042_v002.mp4');

		// Without --strict-names the same name goes where --scene/--shot say.
		const relaxed = await cli(['upload', loose, '--scene', 'SC05_SEQ05', '--shot', 'UNDLM_00030'], freshDirs(), sandboxEnv(sandbox));
		expect(relaxed.code).toBe(0);
		expect(filesIn(sandbox, folder).map(file => file.name).sort()).toEqual(['UNDLM_SEQ05_00030_v001.mp4', 'UNDLM_SEQ05_30_v1.mp4']);
	});

	it('--json prints NDJSON events that end with the summary', async () => {
		const files = ['UNDLM_SEQ06_00040_v001.mp4', 'UNDLM_SEQ06_00040_v002.mp4'].map(name => makeFile(dir, name, 130 * KiB));
		const bad = makeFile(dir, 'notes.txt', 10);
		const result = await cli(['upload', ...files, bad, '--json'], freshDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(1);
		const events = ndjson(result.stdout);
		const allowed = new Set(['note', 'queued', 'progress', 'done', 'failed', 'cancelled', 'refused', 'skipped', 'summary']);
		for (const event of events) {
			expect(allowed.has(event.event)).toBe(true);
			expect(Number.isNaN(Date.parse(String(event.at)))).toBe(false);
		}
		expect(events.filter(event => event.event === 'queued').map(event => event.name)).toEqual(['UNDLM_SEQ06_00040_v001.mp4', 'UNDLM_SEQ06_00040_v002.mp4']);
		const done = events.filter(event => event.event === 'done');
		expect(done).toHaveLength(2);
		for (const event of done) {
			expect(event).toMatchObject({file_size: 130 * KiB, folder_path: 'WIP_BYSHOT/SC06_SEQ06/UNDLM_00040'});
			expect(sandbox.store.getFile(String(event.file_id))?.file_size).toBe(130 * KiB);
		}
		expect(events.find(event => event.event === 'refused')).toMatchObject({name: 'notes.txt'});
		expect(events.at(-1)).toMatchObject({event: 'summary', files: 2, done: 2, failed: 0, refused: 1, pending: 0, bytes: 260 * KiB, interrupted: false});
	});

	it("starts sending the first file while the next files' folders are found or made", async () => {
		const files = [1, 2, 3].map(shot => makeFile(dir, `UNDLM_SEQ07_0007${shot}_v001.mp4`, 20 * KiB));
		const before = sandbox.requests.length;
		expect((await cli(['upload', ...files], freshDirs(), sandboxEnv(sandbox))).code).toBe(0);
		const requests = sandbox.requests.slice(before);
		const firstCreate = requests.findIndex(request => request.method === 'POST' && request.path.endsWith('/files/local_upload'));
		const lastFolder = requests.reduce((last, request, index) => (request.method === 'POST' && /\/folders\/[^/]+\/folders$/.test(request.path) ? index : last), -1);
		expect(firstCreate).toBeGreaterThan(-1);
		expect(firstCreate).toBeLessThan(lastFolder);
		for (const shot of [1, 2, 3]) expect(filesIn(sandbox, folderAt(sandbox, ['WIP_BYSHOT', 'SC07_SEQ07', `UNDLM_0007${shot}`])!)).toHaveLength(1);
	});

	it('skips a file already in its folder (same name and size) unless --force', async () => {
		const file = makeFile(dir, 'UNDLM_SEQ07_00050_v001.mp4', 20 * KiB);
		const dirs = freshDirs();
		expect((await cli(['upload', file], dirs, sandboxEnv(sandbox))).code).toBe(0);
		const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC07_SEQ07', 'UNDLM_00050'])!;
		const [first] = filesIn(sandbox, folder);

		const again = await cli(['upload', file], dirs, sandboxEnv(sandbox));
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(new RegExp(`^skipped +UNDLM_SEQ07_00050_v001\\.mp4 +already uploaded \\(same name and size; loose\\) in WIP_BYSHOT/SC07_SEQ07/UNDLM_00050 \\(id ${first.id}\\)$`, 'm'));
		expect(filesIn(sandbox, folder)).toHaveLength(1);

		// Forced, the same version goes again, and stacks on the first (the newest upload on top).
		const forced = await cli(['upload', file, '--force'], dirs, sandboxEnv(sandbox));
		expect(forced.code).toBe(0);
		expect(forced.stdout).toMatch(/^done +UNDLM_SEQ07_00050_v001\.mp4 .* stacked on v001 \(new version stack\)$/m);
		expect(allFilesIn(sandbox, folder)).toHaveLength(2);
		expect(stacksIn(sandbox, folder)).toEqual([{id: expect.any(String), names: ['UNDLM_SEQ07_00050_v001.mp4', 'UNDLM_SEQ07_00050_v001.mp4']}]);
	});

	it('--source-url: Frame.io fetches the URL into the folder of the name, with its presigned query kept out of output and logs', async () => {
		const bytes = randomBytes(90 * KiB);
		const server = createServer((req, res) => {
			res.writeHead(req.url?.startsWith('/clip.mp4?') ? 200 : 404, {'content-length': req.url?.startsWith('/clip.mp4?') ? bytes.length : 0});
			res.end(req.url?.startsWith('/clip.mp4?') ? bytes : undefined);
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		// Not a rememberSecret(): the run-wide scan would find it in the saved command line, which must hold it.
		const signature = 'X-Amz-Signature=remote0123456789abcdef';
		const url = `http://127.0.0.1:${(server.address() as {port: number}).port}/clip.mp4?${signature}`;
		try {
			const dirs = freshDirs();
			const result = await cli(['upload', '--source-url', url, '--name', 'UNDLM_SEQ12_00120_v001.mp4', '--json'], dirs, sandboxEnv(sandbox));
			expect(result.code).toBe(0);
			const logs = readdirSync(dirs.logs).map(name => readFileSync(path.join(dirs.logs, name), 'utf8')).join('\n');
			expect(logs).toContain('UNDLM_SEQ12_00120_v001.mp4');
			for (const text of [result.stdout, result.stderr, logs]) expect(text).not.toContain('remote0123456789abcdef');
			const done = ndjson(result.stdout).find(event => event.event === 'done');
			expect(done).toMatchObject({name: 'UNDLM_SEQ12_00120_v001.mp4', file_size: bytes.length, folder_path: 'WIP_BYSHOT/SC12_SEQ12/UNDLM_00120'});
			const folder = folderAt(sandbox, ['WIP_BYSHOT', 'SC12_SEQ12', 'UNDLM_00120'])!;
			expect(filesIn(sandbox, folder).map(file => file.id)).toEqual([done!.file_id]);
			expect(sandbox.store.fileSha256(String(done!.file_id))).toBe(createHash('sha256').update(bytes).digest('hex'));
		} finally {
			server.close();
		}
	});

	it('exits 2 on usage errors before sending anything', async () => {
		const before = sandbox.requests.length;
		const missing = await cli(['upload', `${dir}/missing_v001.mp4`], freshDirs(), sandboxEnv(sandbox));
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain(`file not found: ${dir}/missing_v001.mp4`);
		const file = makeFile(dir, 'UNDLM_SEQ01_00060_v001.mp4', 10);
		const half = await cli(['upload', file, '--scene', 'SC01_SEQ01'], freshDirs(), sandboxEnv(sandbox));
		expect(half.code).toBe(2);
		expect(half.stderr).toContain('--scene and --shot together');
		const noName = await cli(['upload', '--source-url', 'http://127.0.0.1:1/a.mp4'], freshDirs(), sandboxEnv(sandbox));
		expect(noName.code).toBe(2);
		expect(noName.stderr).toContain('--name');
		expect(sandbox.requests.length).toBe(before);
	});
});

describe('upload progress without a TTY', () => {
	let slow: Sandbox;
	beforeAll(async () => {
		// Throttled parts, so the upload lasts long enough for a few summary lines.
		slow = await startTestSandbox({partBytesPerSecond: 512 * KiB});
	});
	afterAll(() => slow.close());

	it('prints a summary line every --stats-interval while uploading, then one result line per file', async () => {
		const file = makeFile(dir, 'UNDLM_SEQ08_00070_v001.mp4', 768 * KiB);
		const result = await cli(['upload', file, '--stats-interval', '0.1s'], freshDirs(), sandboxEnv(slow));
		expect(result.code).toBe(0);
		const lines = result.stdout.split('\n');
		const progress = lines.filter(line => line.startsWith('progress'));
		expect(progress.length).toBeGreaterThanOrEqual(2);
		expect(progress[0]).toMatch(/^progress +\d+ % +[\d.]+ (B|KB|MB) \/ 768 KB +.* +ETA \S+ +files 0\/1 done, 1 active, 0 queued, 0 failed +parts \d+\/\d+/);
		// The first line may come before Frame.io answered the create call (parts 0/0); later ones know the 12 parts.
		expect(progress.some(line => / parts \d+\/12 /.test(line))).toBe(true);
		// Result lines are never rewritten in place: no carriage return or escape sequence without a TTY.
		expect(result.stdout).not.toMatch(/[\r\u001b]/);
		expect(lines.findIndex(line => line.startsWith('done'))).toBeGreaterThan(lines.indexOf(progress[0]));

		const quiet = await cli(['upload', makeFile(dir, 'UNDLM_SEQ08_00070_v002.mp4', 768 * KiB), '--stats-interval', '0.1s', '--no-progress'], freshDirs(), sandboxEnv(slow));
		expect(quiet.code).toBe(0);
		expect(quiet.stdout).not.toMatch(/^progress/m);
		expect(quiet.stdout).toMatch(/^done +UNDLM_SEQ08_00070_v002\.mp4/m);
	});
});
