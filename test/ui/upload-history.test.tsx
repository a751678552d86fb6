// Upload history that survives a restart: the real upload queue over the sandbox on loopback, persisted in a state
// dir (uploads.json); a done and a failed upload, the queue closed and opened again as a new process would, and the
// console's Uploads tab reading the reopened queue's own snapshot through the UploadsSource port.
import {rmSync} from 'node:fs';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {UploadsSource} from '../../source/store/ports.js';
import type {UploadQueue} from '../../source/upload/index.js';
import {fakePorts} from '../store/fakes.js';
import {KiB, makeFile, openQueue, startRig, testDir, type Rig} from '../upload/harness.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let rig: Rig;
let harness: ConsoleHarness | null = null;
let queue: UploadQueue | null = null;
beforeAll(async () => {
	rig = await startRig({partSize: 64 * KiB});
});
afterAll(() => rig.close());
afterEach(async () => {
	harness?.cleanup();
	harness = null;
	await queue?.close();
	queue = null;
});

/** What the console runtime gives the Uploads tab: the queue's own snapshot and its changes. */
function source(queue: UploadQueue): UploadsSource {
	return {
		snapshot: () => queue.snapshot(),
		onChange: listener => queue.on(() => listener()),
		add: async () => {
			throw new Error('not in this test');
		},
		pause: () => queue.pause(),
		resume: () => queue.resume(),
		cancel: id => queue.cancel(id).then(() => undefined),
		retryFailed: async () => queue.retryFailed(),
	};
}

describe('upload history', () => {
	it('keeps done and failed uploads across a restart: time, size, duration, speed, folder, newest first; Enter shows one', async () => {
		const stateDir = testDir('history-state');
		const dir = testDir('history-files');
		const good = makeFile(dir, 'UNDLM_SEQ02_00110_v114.mp4', 640 * KiB);
		const gone = makeFile(dir, 'UNDLM_SEQ02_00120_v001.mp4', 64 * KiB);
		const first = await openQueue(rig, {stateDir, paused: true});
		const failed = first.add({path: gone, targetFolderId: rig.folderId, target: {folder: 'WIP_BYSHOT/SC02_SEQ02/UNDLM_00120'}});
		rmSync(gone);
		first.resume();
		await first.onIdle();
		const done = first.add({path: good, targetFolderId: rig.folderId, target: {folder: 'WIP_BYSHOT/SC02_SEQ02/UNDLM_00110'}});
		await first.onIdle();
		expect(first.get(done.id)!.state).toBe('done');
		expect(first.get(failed.id)!.state).toBe('failed');
		await first.close();

		// A new process: the queue opened again from uploads.json.
		queue = await openQueue(rig, {stateDir, paused: true});
		const fakes = fakePorts();
		fakes.ports.uploads = source(queue);
		harness = renderConsole(fakes, {pane: 'uploads', columns: 120, rows: 30});
		const frame = await harness.waitFor('FINISHED');
		const lines = frame.split('\n');
		const header = lines.findIndex(line => line.startsWith('FINISHED↓'));
		expect(lines[header]).toMatch(/^FINISHED↓ +NAME +STATE +SIZE +TOOK +SPEED +FOLDER/);
		// The newest first: the done one finished after the failed one.
		expect(lines[header + 1]).toMatch(/^\d\d:\d\d:\d\d +UNDLM_SEQ02_00110_v114\.mp4 /);
		expect(lines[header + 1]).toMatch(/ +done +640 KB +(\d+ ms|\d+\.\d s) +\d+\.\d MB\/s +WIP_BYSHOT\/SC02_SEQ02\/UNDLM_00110$/);
		expect(lines[header + 2]).toMatch(/^\d\d:\d\d:\d\d +UNDLM_SEQ02_00120_v001\.mp4 +failed +64\.0 KB +\d+ ms +- +cannot read /);
		expect(frame).toContain('0 active · history 1 done · 1 failed · 0 cancelled');

		// Enter on the done one: its file id and view_url as the sandbox gave them.
		await harness.press('j', KEY.enter);
		const details = await harness.waitFor('view_url');
		const job = queue.get(done.id)!;
		expect(job.fileId).toBeTruthy();
		expect(details).toMatch(new RegExp(`file id +${job.fileId}`));
		// Wrapped when longer than the line: whole all the same.
		expect(details.replace(/\s+/g, '')).toContain(job.viewUrl!);
		expect(details).toMatch(/took +(\d+ ms|\d+\.\d s) at \d+\.\d MB\/s/);
	});
});
