import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {nomenclatureDefaults} from '../../source/nomenclature/config-shape.js';
import {compile} from '../../source/nomenclature/index.js';
import type {UploadAddResult} from '../../source/store/ports.js';
import {followHeldQueue} from '../../source/app/held-queue.js';
import {reportQueueLive} from '../../source/upload/live-report.js';
import {planLocalAdd, type SceneShot} from '../../source/upload/local-add.js';
import {testDir} from '../helpers/secret-scan.js';
import {FakeUploads, fakePorts, upload} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

const MB = 1024 * 1024;

function withQueue() {
	const fakes = fakePorts();
	const today = (h: number, m: number, s = 0) => new Date(new Date().setHours(h, m, s, 0)).toISOString();
	fakes.uploads.jobs = [
		upload({id: 'u1', name: 'UNDLM_SEQ01_00042_v002_a_very_long_render_name.mp4', size: 200 * MB, bytesDone: 50 * MB, speed: 10 * MB, eta: 15, partsDone: 3, partsTotal: 12, retries: 2}),
		upload({id: 'u2', name: 'UNDLM_SEQ01_00043_v001.mov', state: 'queued', size: 100 * MB}),
		upload({
			id: 'u3',
			name: 'UNDLM_SEQ01_00040_v001.mov',
			state: 'done',
			size: 100 * MB,
			bytesDone: 100 * MB,
			target: {folder: 'WIP_BYSHOT/SC01/UNDLM_00040'},
			fileId: 'f-123',
			viewUrl: 'https://next.frame.io/project/p/view/f-123',
			startedAt: today(0, 10, 0),
			finishedAt: today(0, 10, 20),
		}),
		upload({id: 'u4', name: 'UNDLM_SEQ01_00041_v001.mov', state: 'failed', size: 100 * MB, bytesDone: 10 * MB, error: 'part 3 failed after 3 retries: 503', startedAt: today(0, 11, 0), finishedAt: today(0, 11, 5)}),
	];
	return fakes;
}

const row = (frame: string, text: string) => frame.split('\n').slice(3).find(line => line.includes(text)) ?? '';

describe('Uploads pane', () => {
	it('shows the totals line, one row per active upload, then the history, newest first', async () => {
		harness = renderConsole(withQueue(), {pane: 'uploads'});
		const frame = await harness.waitFor('PROGRESS');
		expect(frame).toContain('files 1/4 · 160 MB / 500 MB · 32.0 % · 10.0 MB/s · ETA 25s · failed 1');
		expect(frame).not.toContain('PAUSED');
		const active = row(frame, '200 MB');
		// middle-ellipsised, keeping the words at the end
		expect(active).toMatch(/^UNDLM_SE…render_name\.mp4 /);
		expect(active).toMatch(/███░+\s+25 %\s+200 MB\s+10\.0 MB\/s\s+15s\s+3\/12\s+r2/);
		expect(row(frame, 'queued')).toMatch(/^UNDLM_SEQ…00043_v001\.mov\s+queued\s+0 %\s+100 MB/);
		// The history: when, name, state, size, how long, speed, folder (or why it failed); the newest first.
		const lines = frame.split('\n');
		const header = lines.findIndex(line => line.startsWith('FINISHED↓'));
		expect(lines[header]).toMatch(/^FINISHED↓ +NAME +STATE +SIZE +TOOK +SPEED +FOLDER/);
		expect(lines[header + 1]).toMatch(/^00:11:05 +UNDLM…00041_v001\.mov +failed +100 MB +5\.0 s +- +part 3 fa/);
		expect(lines[header + 2]).toMatch(/^00:10:20 +UNDLM…00040_v001\.mov +done +100 MB +20\.0 s +5\.0 MB\/s +…UNDLM_00040/);
		// The folder whole, and the failure's reason whole, at 140 columns.
		harness.resize(140, 24);
		const wide = await harness.waitFor(text => text.includes('WIP_BYSHOT/SC01/UNDLM_00040'));
		expect(wide).toContain('part 3 failed after 3 retries: 503');
		expect(frame).toContain('2 active · history 1 done · 1 failed · 0 cancelled');
	});

	it('a paused queue says paused where a speed and an ETA would be', async () => {
		const fakes = fakePorts();
		fakes.uploads.paused = true;
		// What the queue gives for a paused file with no part in flight: no speed, no ETA.
		fakes.uploads.jobs = [upload({id: 'u1', name: 'UNDLM_SEQ01_00042_v002.mp4', size: 200 * MB, bytesDone: 50 * MB, speed: 0, eta: null, partsDone: 3, partsTotal: 12})];
		harness = renderConsole(fakes, {pane: 'uploads'});
		const frame = await harness.waitFor('PROGRESS');
		expect(frame).toContain('QUEUE PAUSED · files 0/1 · 50.0 MB / 200 MB · 25.0 % · paused · ETA - · failed 0');
		expect(row(frame, '200 MB')).toMatch(/25 %\s+200 MB\s+paused\s+-\s+3\/12/);
		expect(frame).not.toContain('MB/s');
	});

	it('says which uploads the sandbox demo made up', async () => {
		const fakes = withQueue();
		fakes.uploads.jobs.push(upload({id: 'd1', name: 'UNDLM_SEQ09_00001_v001.mov', origin: 'demo', size: 10 * MB}));
		harness = renderConsole(fakes, {pane: 'uploads'});
		const frame = await harness.waitFor('PROGRESS');
		expect(frame).toContain('files 1/5 (1 sandbox demo)');
	});

	it('follows progress pushed by the uploader', async () => {
		const fakes = withQueue();
		harness = renderConsole(fakes, {pane: 'uploads'});
		await harness.waitFor(' 25 %');
		fakes.uploads.progress('u1', {bytesDone: 200 * MB, partsDone: 12, state: 'verifying'});
		let frame = await harness.waitFor('100 %');
		expect(frame).toContain('12/12');
		fakes.uploads.progress('u1', {state: 'done', startedAt: new Date(Date.now() - 40_000).toISOString(), finishedAt: new Date().toISOString()});
		frame = await harness.waitFor('history 2 done');
		expect(frame).toContain('files 2/4');
		// The newest first: the one that just finished is the history's first row.
		const lines = frame.split('\n');
		expect(lines[lines.findIndex(line => line.startsWith('FINISHED')) + 1]).toMatch(/…render_name\.mp4 +done +200 MB +40\.0 s +5\.0 MB\/s/);
	});

	it('Enter shows the selected upload whole (ids, folder, view_url, times, speed), following the cursor; y and Y copy', async () => {
		harness = renderConsole(withQueue(), {pane: 'uploads', rows: 30});
		await harness.waitFor('FINISHED');
		// Rows: u1, u2, the history header, u4 (failed), u3 (done).
		await harness.press('j', 'j', 'j', 'j', KEY.enter);
		let frame = await harness.waitFor('view_url');
		expect(frame).toMatch(/state +done/);
		expect(frame).toMatch(/folder +WIP_BYSHOT\/SC01\/UNDLM_00040/);
		expect(frame).toMatch(/file id +f-123/);
		expect(frame).toMatch(/view_url +https:\/\/next\.frame\.io\/project\/p\/view\/f-123/);
		expect(frame).toMatch(/took +20\.0 s at 5\.0 MB\/s/);
		expect(frame).toMatch(/finished +\d{4}-\d\d-\d\d 00:10:20/);
		await harness.press('y', 'Y');
		expect(harness.terminal.written).toEqual([`\u001B]52;c;${Buffer.from('f-123').toString('base64')}\u0007`, `\u001B]52;c;${Buffer.from('https://next.frame.io/project/p/view/f-123').toString('base64')}\u0007`]);
		await harness.press('k');
		frame = await harness.waitFor('part 3 failed after 3 retries: 503');
		expect(frame).toMatch(/state +failed/);
		expect(frame).toMatch(/error +part 3 failed after 3 retries: 503/);
		await harness.press('y');
		await harness.waitFor('this row has no file id to copy');
	});

	it("keeps the history's columns on top once the list is scrolled into a long history", async () => {
		const fakes = fakePorts();
		const at = (i: number) => new Date(Date.now() - i * 60_000).toISOString();
		fakes.uploads.jobs = Array.from({length: 40}, (_, i) => upload({id: `d${i}`, name: `UNDLM_SEQ01_${String(i).padStart(5, '0')}_v001.mov`, state: 'done', startedAt: at(i + 1), finishedAt: at(i)}));
		harness = renderConsole(fakes, {pane: 'uploads'});
		let frame = await harness.waitFor('no upload in progress');
		expect(frame.split('\n')[3]).toContain('no upload in progress');
		await harness.press('G');
		frame = await harness.waitFor('41 of 41');
		expect(frame.split('\n')[3]).toMatch(/^FINISHED↓ +NAME +STATE/);
		expect(frame).toContain('00039_v001.mov');
	});

	it('sorts the history with s and S, marked in its header', async () => {
		harness = renderConsole(withQueue(), {pane: 'uploads'});
		let frame = await harness.waitFor('FINISHED↓');
		const order = (text: string) => text.split('\n').filter(line => /0004[01]_v001/.test(line)).map(line => line.match(/0004[01]/)![0]);
		expect(order(frame)).toEqual(['00041', '00040']);
		await harness.press('s');
		frame = await harness.waitFor('NAME↑');
		expect(order(frame)).toEqual(['00040', '00041']);
		await harness.press('S');
		frame = await harness.waitFor('NAME↓');
		expect(order(frame)).toEqual(['00041', '00040']);
	});

	it('says when the sandbox throttles part uploads on purpose, and how much', async () => {
		const fakes = withQueue();
		fakes.uploads.note = 'sandbox: part uploads are throttled on purpose to 0.75 MiB/s each';
		harness = renderConsole(fakes, {pane: 'uploads'});
		const frame = await harness.waitFor('PROGRESS');
		expect(frame.split('\n')[3]).toBe('sandbox: part uploads are throttled on purpose to 0.75 MiB/s each');
	});

	it('p pauses and resumes the queue', async () => {
		const fakes = withQueue();
		harness = renderConsole(fakes, {pane: 'uploads'});
		await harness.waitFor('PROGRESS');
		await harness.press('p');
		await harness.waitFor('QUEUE PAUSED');
		expect(fakes.uploads.paused).toBe(true);
		expect(harness.consoleStore.clock.state().paused).toBe(false); // p here is the queue's, not the refresh's
		await harness.press('p');
		await harness.waitFor(text => !text.includes('QUEUE PAUSED'));
		expect(fakes.uploads.paused).toBe(false);
	});

	it('c cancels the selected upload after confirmation, Cancel focused first', async () => {
		const fakes = withQueue();
		harness = renderConsole(fakes, {pane: 'uploads'});
		await harness.waitFor('PROGRESS');
		await harness.press('c');
		const frame = await harness.waitFor('Cancel this upload?');
		expect(frame).toMatch(/> Keep uploading < +Cancel upload/);
		await harness.press(KEY.enter);
		await harness.waitFor(text => !text.includes('Cancel this upload?'));
		expect(fakes.uploads.cancelled).toEqual([]);
		await harness.press('c', KEY.right, KEY.enter);
		await harness.waitFor('cancelled UNDLM_SEQ01_00042');
		expect(fakes.uploads.cancelled).toEqual(['u1']);
	});

	it('refuses c in read-only mode', async () => {
		const fakes = withQueue();
		harness = renderConsole(fakes, {pane: 'uploads', readonly: true});
		await harness.waitFor('PROGRESS');
		await harness.press('c');
		const frame = await harness.waitFor('read-only mode');
		expect(frame).not.toContain('Cancel this upload?');
		expect(fakes.uploads.cancelled).toEqual([]);
	});

	it('refuses a (add) and R (retry) in read-only mode, and the status bar says READ-ONLY', async () => {
		const fakes = withQueue();
		harness = renderConsole(fakes, {pane: 'uploads', readonly: true});
		let frame = await harness.waitFor('PROGRESS');
		expect(frame.split('\n')[1]).toContain('READ-ONLY');
		await harness.press('a');
		frame = await harness.waitFor('read-only mode');
		expect(frame).not.toContain('add file:');
		await harness.press('R');
		await harness.waitFor('"Retry the failed uploads" is disabled');
		expect(fakes.uploads.added).toEqual([]);
		expect(fakes.uploads.retried).toBe(0);
	});

	it('R retries the failed uploads', async () => {
		const fakes = withQueue();
		harness = renderConsole(fakes, {pane: 'uploads'});
		await harness.waitFor('PROGRESS');
		await harness.press('R');
		await harness.waitFor('retrying 1 failed upload');
		expect(fakes.uploads.retried).toBe(1);
		await harness.waitFor('history 1 done · 0 failed');
	});

	it('a adds a file by path, completing it with Tab', async () => {
		const dir = testDir('uploads-pane');
		mkdirSync(path.join(dir, 'renders'));
		writeFileSync(path.join(dir, 'renders', 'UNDLM_SEQ02_00007_v003.mov'), 'x');
		writeFileSync(path.join(dir, 'renders', 'UNDLM_SEQ02_00008_v001.mov'), 'x');
		const fakes = withQueue();
		harness = renderConsole(fakes, {pane: 'uploads', columns: 140});
		await harness.waitFor('PROGRESS');
		await harness.press('a');
		await harness.waitFor('add file:');
		await harness.type(`${dir}/ren`);
		await harness.press(KEY.tab);
		await harness.waitFor(`${path.basename(dir)}/renders/`);
		await harness.type('U');
		await harness.press(KEY.tab);
		let frame = await harness.waitFor('2 matches');
		expect(frame).toContain('renders/UNDLM_SEQ02_0000');
		await harness.type('7');
		await harness.press(KEY.tab);
		frame = await harness.waitFor('renders/UNDLM_SEQ02_00007_v003.mov');
		await harness.press(KEY.enter);
		await harness.waitFor('queued UNDLM_SEQ02_00007_v003.mov');
		expect(fakes.uploads.added).toEqual([path.join(dir, 'renders', 'UNDLM_SEQ02_00007_v003.mov')]);
	});
});

// The add-file flow over the real planning of a typed path (source/upload/local-add.ts) with the built-in naming
// patterns; only the queue behind it is left out.
class PlannedUploads extends FakeUploads {
	folders: Array<string | null> = [];
	constructor(readonly home: string) {
		super();
	}
	override async add(input: string, folder?: SceneShot): Promise<UploadAddResult> {
		const plan = planLocalAdd(input, compile(nomenclatureDefaults), folder, {home: this.home});
		if (plan.folderPath === null) return {queued: false, name: plan.name, reason: plan.reason};
		await super.add(plan.path);
		this.folders.push(plan.folderPath.join('/'));
		return {queued: true, name: plan.name, folder: plan.folderPath.join('/')};
	}
}

function plannedConsole(columns = 80) {
	const home = testDir('uploads-pane-home');
	mkdirSync(path.join(home, 'renders'));
	const fakes = withQueue();
	const uploads = new PlannedUploads(home);
	uploads.jobs = fakes.uploads.jobs;
	const ports = {...fakes, uploads, ports: {...fakes.ports, uploads}};
	harness = renderConsole(ports, {pane: 'uploads', columns});
	return {home, uploads};
}

/** The screen's text without colours or white space: a wrapped message (even one cut inside a word) reads whole. */
const squeezed = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '').replace(/\s+/g, '');
const showsWhole = (frame: string, message: string) => expect(squeezed(frame)).toContain(squeezed(message));

describe('Uploads pane: adding a file by path', () => {
	it('expands ~ and says "no such file" first, whatever the name, with the whole path wrapped and never cut', async () => {
		const {home, uploads} = plannedConsole();
		await harness!.waitFor('PROGRESS');
		const typed = '~/renders/a_render_whose_name_follows_no_pattern_at_all_and_is_long_v1.mov';
		await harness!.press('a');
		await harness!.type(typed);
		await harness!.press(KEY.enter);
		const frame = await harness!.waitFor('no such file');
		const expanded = path.join(home, typed.slice(2));
		expect(expanded.length).toBeGreaterThan(80);
		showsWhole(frame, `cannot add: no such file: ${typed} (${expanded})`);
		expect(frame).not.toMatch(/naming patterns|scene\/shot:/);
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		// The footer is still there below the message, and Esc puts the message away.
		expect(frame).toContain('q quit');
		await harness!.press(KEY.escape);
		await harness!.waitFor(text => !text.includes('no such file'));
		expect(uploads.added).toEqual([]);
	});

	it('asks a file whose name follows no pattern for its scene and shot, then queues it there', async () => {
		const {home, uploads} = plannedConsole();
		writeFileSync(path.join(home, 'renders', 'take3.mov'), 'x');
		await harness!.waitFor('PROGRESS');
		await harness!.press('a');
		await harness!.type('~/renders/take3.mov');
		await harness!.press(KEY.enter);
		let frame = await harness!.waitFor('scene/shot:');
		showsWhole(frame, 'take3.mov does not follow the naming patterns: project must be UNDLM');
		showsWhole(frame, 'Give its scene and shot folders as SCENE/SHOT (Esc cancels).');

		// Not two names: said in full, and the prompt stays.
		await harness!.type('SC01_SEQ01');
		await harness!.press(KEY.enter);
		frame = await harness!.waitFor('give the scene folder and the shot folder as SCENE/SHOT');
		expect(frame).toContain('scene/shot:');
		expect(uploads.added).toEqual([]);

		await harness!.press(...Array(10).fill(KEY.backspace));
		await harness!.type('SC01_SEQ01/UNDLM_00042');
		await harness!.press(KEY.enter);
		frame = await harness!.waitFor('queued take3.mov to WIP_BYSHOT/SC01_SEQ01/UNDLM_00042');
		expect(frame).not.toContain('scene/shot:');
		expect(uploads.added).toEqual([path.join(home, 'renders', 'take3.mov')]);
		expect(uploads.folders).toEqual(['WIP_BYSHOT/SC01_SEQ01/UNDLM_00042']);
	});

	it('a name that maps is queued at once, into its folder; Esc at the scene/shot prompt adds nothing', async () => {
		const {home, uploads} = plannedConsole();
		writeFileSync(path.join(home, 'renders', 'UNDLM_SEQ02_00007_v003.mov'), 'x');
		writeFileSync(path.join(home, 'renders', 'notes.mov'), 'x');
		await harness!.waitFor('PROGRESS');
		await harness!.press('a');
		await harness!.type('~/renders/UNDLM_SEQ02_00007_v003.mov');
		await harness!.press(KEY.enter);
		await harness!.waitFor('queued UNDLM_SEQ02_00007_v003.mov to WIP_BYSHOT/SC02_SEQ02/UNDLM_00007');
		await harness!.press('a');
		await harness!.type('~/renders/notes.mov');
		await harness!.press(KEY.enter);
		await harness!.waitFor('scene/shot:');
		await harness!.press(KEY.escape);
		await harness!.waitFor(text => !text.includes('scene/shot:') && !text.includes('naming patterns'));
		expect(uploads.folders).toEqual(['WIP_BYSHOT/SC02_SEQ02/UNDLM_00007']);
	});
});

describe('Uploads pane beside the process that holds the queue', () => {
	it("shows the holder's uploads read-only: named above them, keys refused with its name, no add prompt", async () => {
		const stateDir = testDir('uploads-pane-held');
		mkdirSync(stateDir, {recursive: true});
		// The holder's side (as watch reports) and the console's (as it follows), over a real report file.
		const holderQueue = withQueue().uploads;
		const reporter = reportQueueLive(stateDir, () => holderQueue.snapshot(), {role: 'watch'});
		const held = followHeldQueue(stateDir, {intervalMs: 50});
		await held.ready;
		const fakes = fakePorts();
		harness = renderConsole({...fakes, ports: {...fakes.ports, uploads: held}}, {pane: 'uploads', columns: 100, rows: 30});
		try {
			let frame = await harness.waitFor(`uploads of watch (pid ${process.pid})`);
			expect(frame).toContain('UNDLM_SEQ01_00043_v001.mov');
			expect(frame.split('\n').at(-1)).toContain('READ-ONLY');
			await harness.press('a');
			frame = await harness.waitFor(`watch (pid ${process.pid}) holds this box's upload queue`);
			expect(frame).not.toContain('file to upload');
			await harness.press('p');
			frame = await harness.waitFor('"Pause or resume the upload queue" is its to do');
			expect(held.snapshot().total.paused).toBe(false);
		} finally {
			held.stop();
			await reporter.close();
		}
	});
});
