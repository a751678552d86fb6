// The console in a real pseudo-terminal at 80×24, over in-memory ports (fixtures/fake-console.mjs runs the built
// run-console): what a user sees, and that every way out gives the terminal back.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {testDir} from '../helpers/secret-scan.js';
import {keys, PtySession, sleep, ttySane} from './pty-harness.js';

const FIXTURE = path.resolve('test/e2e/fixtures/fake-console.mjs');
const built = existsSync('dist/ui/run-console.js');

let session: PtySession | null = null;
afterEach(() => {
	session?.dispose();
	session = null;
});

function start(options: {args?: string[]; env?: Record<string, string>; cols?: number; rows?: number} = {}) {
	const marker = path.join(testDir('pty-console'), 'shutdown.txt');
	session = PtySession.node(FIXTURE, options.args ?? [], {cols: options.cols, rows: options.rows, env: {FIXTURE_MARKER: marker, FIXTURE_INPUT_LOG: path.join(path.dirname(marker), 'input.log'), ...options.env}});
	return {pty: session, marker};
}

function expectRestored(pty: PtySession, exit: {stty: string}) {
	expect(pty.altScreen()).toBe(false);
	expect(pty.cursorVisible()).toBe(true);
	expect(pty.autoWrap()).toBe(true);
	expect(ttySane(exit.stty)).toBe(true);
}

describe.skipIf(!built)('console in a pseudo-terminal', () => {
	it('starts full screen on the alternate screen and switches every tab', async () => {
		const {pty} = start();
		let screen = await pty.waitFor('2 checks · 2 pass');
		expect(pty.altScreen()).toBe(true);
		expect(pty.cursorVisible()).toBe(false);
		const lines = pty.screen();
		expect(lines[0]).toContain('1 Health');
		expect(lines[1]).toContain('SANDBOX');
		expect(lines[1]).toContain('Fixture Ac');
		expect(lines[23]).toContain('q quit');
		await pty.press('2');
		screen = await pty.waitFor('entries 45');
		expect(screen).toContain('folder_000_children');
		await pty.press('3');
		screen = await pty.waitFor('UNDLM_DOCU');
		expect(screen).toContain('Fixture Workspace');
		await pty.press('4');
		await pty.waitFor('window 5 m');
		await pty.press('5');
		await pty.waitFor('PROGRESS');
		await pty.press('6');
		await pty.waitFor('farm mode is off');
		await pty.press(keys.tab);
		await pty.waitFor('no log file to follow');
		await pty.press(keys.tab);
		await pty.waitFor('CHECK');
		await pty.press('q');
		expectRestored(pty, await pty.waitForExit());
	});

	it('purges a pattern in the Cache tab after previewing the count and confirming', async () => {
		const {pty} = start();
		await pty.waitFor('2 checks');
		await pty.press('2');
		await pty.waitFor('entries 45');
		await pty.press('P');
		await pty.type('projects_');
		await pty.waitFor('5 keys match');
		await pty.press(keys.enter);
		let screen = await pty.waitFor('Purge 5 keys containing "projects_"?');
		expect(screen).toContain('> Keep them <     Purge 5 keys');
		expect(pty.screen()[23]).toContain('q quit');
		await pty.press(keys.tab, keys.enter);
		screen = await pty.waitFor('purge "projects_": 5 keys removed');
		await pty.waitFor('entries 40');
		expect(pty.text()).not.toContain('projects_ws-');
		await pty.press('q');
		await pty.waitForExit();
	});

	it('resumes the upload queue with p and shows the upload reaching 100 %', async () => {
		const {pty} = start({env: {FIXTURE_UPLOAD_MS: '2500'}});
		await pty.waitFor('2 checks');
		await pty.press('5');
		await pty.waitFor('QUEUE PAUSED');
		expect(pty.text()).toMatch(/UNDLM_SEQ…00042_v002\.mp4 +queued/);
		await pty.press('p');
		await pty.waitFor(/UNDLM_SEQ…00042_v002\.mp4 +█*░+ +[1-9]\d? %/);
		const screen = await pty.waitFor('files 1/1 · 64.0 MB / 64.0 MB · 100.0 %');
		expect(screen).toContain('history 1 done');
		expect(screen).toMatch(/UNDLM…00042_v002\.mp4 +done +64\.0 MB +2\.5 s +25\.6 MB\/s +…UNDLM_00042/);
		await pty.press('q');
		await pty.waitForExit();
	});

	it('follows a resize to 60×20, says "too small" below 60×16, and comes back at 80×24', async () => {
		const {pty} = start();
		await pty.waitFor('2 checks');
		pty.resize(60, 20);
		await pty.waitFor(text => text.split('\n')[19]?.includes('q quit') === true);
		for (const line of pty.screen()) expect(line.length).toBeLessThanOrEqual(60);
		pty.resize(50, 12);
		await pty.waitFor('terminal too small: need 60×16, have 50×12');
		pty.resize(80, 24);
		const screen = await pty.waitFor(text => text.split('\n')[23]?.includes('q quit') === true);
		expect(screen).not.toContain('too small');
		expect(screen).toContain('2 checks');
		await pty.press('q');
		expectRestored(pty, await pty.waitForExit());
	});

	it('writes nothing while nothing changes', async () => {
		const {pty} = start();
		await pty.waitFor('2 checks · 2 pass');
		await sleep(1000); // the last frames land
		const before = pty.raw.length;
		await sleep(2500); // 2-3 ticks of the 1 s refresh clock
		expect(pty.raw.length).toBe(before);
		await pty.press('q');
		await pty.waitForExit();
	});

	it.each([
		['q', 'quit'],
		[keys.ctrlC, 'quit'],
	])('quits on %j: terminal restored, shutdown hook run, exit 0', async (key, reason) => {
		const {pty, marker} = start();
		await pty.waitFor('2 checks');
		await pty.press(key);
		const exit = await pty.waitForExit();
		expect(exit.status).toBe(0);
		expectRestored(pty, exit);
		expect(readFileSync(marker, 'utf8')).toBe(`shutdown:${reason}`);
	});

	it.each([
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const)('on %s: terminal restored, shutdown hook run, exit %i', async (signal, status) => {
		const {pty, marker} = start();
		await pty.waitFor('2 checks');
		await pty.signalCommand(signal);
		const exit = await pty.waitForExit();
		expect(exit.status).toBe(status);
		expectRestored(pty, exit);
		expect(readFileSync(marker, 'utf8')).toBe(`shutdown:${signal}`);
	});

	it('on an uncaught error: terminal restored first, then the error on the main screen, exit 1', async () => {
		const {pty, marker} = start({env: {FIXTURE_CRASH: '1500'}});
		await pty.waitFor('2 checks');
		const exit = await pty.waitForExit();
		expect(exit.status).toBe(1);
		expectRestored(pty, exit);
		expect(pty.text()).toContain('the console stopped on an error: fixture crash on purpose');
		expect(readFileSync(marker, 'utf8')).toBe('shutdown:crash');
	});

	it('refuses destructive keys with --readonly', async () => {
		const {pty} = start({args: ['--readonly']});
		await pty.waitFor('2 checks');
		await pty.press('2');
		await pty.waitFor('entries 45');
		await pty.press('C');
		await pty.waitFor('read-only mode');
		expect(pty.text()).not.toContain('Type "clear"');
		await pty.press('q');
		await pty.waitForExit();
	});
});
