// The console as a k9s or lazygit user tries it, in a real pseudo-terminal at 80×24 and at 60×20, over the fixture's
// in-memory ports (fixtures/fake-console.mjs runs the built run-console): names with CJK, emoji and accents line up
// as the terminal draws them, every tab fits, details open and follow the cursor, y writes the exact OSC 52 bytes,
// Ctrl-L repaints over a stray write, the text inputs edit at the cursor.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {testDir} from '../helpers/secret-scan.js';
import {keys, PtySession} from './pty-harness.js';

const FIXTURE = path.resolve('test/e2e/fixtures/fake-console.mjs');
const built = existsSync('dist/ui/run-console.js');

let session: PtySession | null = null;
afterEach(() => {
	session?.dispose();
	session = null;
});

function start(cols: number, rows: number) {
	const marker = path.join(testDir('pty-craft'), 'shutdown.txt');
	session = PtySession.node(FIXTURE, [], {cols, rows, env: {FIXTURE_MARKER: marker, FIXTURE_WIDE_NAMES: '1', NO_COLOR: '1'}});
	return session;
}

const SIZES = [
	[80, 24],
	[60, 20],
] as const;

describe.skipIf(!built)('console craft in a pseudo-terminal', () => {
	it.each(SIZES)('at %i×%i: every tab fits, wide names line up, the status bar keeps the alerts', async (cols, rows) => {
		const pty = start(cols, rows);
		await pty.waitFor('2 checks · 2 pass');
		const fits = () => {
			const screen = pty.screen();
			expect(screen).toHaveLength(rows);
			expect(screen[rows - 1]).toContain('q quit');
			expect(screen[1]).toMatch(/alerts 0$/);
			for (const key of ['1', '2', '3', '4', '5', '7']) expect(screen[0]).toMatch(new RegExp(` ${key}\\b`));
		};
		fits();
		await pty.press('2');
		await pty.waitFor('entries 50');
		fits();
		// The five wide names, first in key order: TYPE starts in one column, as the terminal draws them.
		const screen = pty.screen();
		const wide = screen.map((line, row) => ({line, row})).filter(({line}) => /^folder_-\d_/.test(line));
		expect(wide).toHaveLength(5);
		const typeColumns = new Set(wide.map(({row}) => pty.columnOf(row, ' folder ')));
		expect(typeColumns.size).toBe(1);
		expect([...typeColumns][0]).toBeGreaterThan(15);
		for (const {line} of wide) expect(line).toMatch(/^folder_-\d_.*…(x*_)?children +folder/);
		for (const tab of ['3', '4', '5', '7']) {
			await pty.press(tab);
			await pty.waitFor({'3': 'UNDLM_DOCU', '4': 'window 5 m', '5': 'PROGRESS', '7': 'no log file'}[tab]!);
			fits();
		}
		await pty.press('q');
		await pty.waitForExit();
	});

	it.each(SIZES)('at %i×%i: Enter opens the details under the list and they follow the cursor; y copies the key as OSC 52', async (cols, rows) => {
		const pty = start(cols, rows);
		await pty.waitFor('2 checks');
		await pty.press('2');
		await pty.waitFor('entries 50');
		await pty.press('G', keys.enter);
		let screen = await pty.waitFor('cached at');
		expect(screen).toMatch(/key +projects_ws-4/);
		await pty.press('k');
		screen = await pty.waitFor(/key +projects_ws-3/);
		expect(pty.screen()[rows - 1]).toContain('q quit');
		const before = pty.raw.length;
		await pty.press('y');
		await pty.waitFor('copied the key to the clipboard (OSC 52): projects_ws-3');
		expect(pty.raw.slice(before)).toContain(`\u001B]52;c;${Buffer.from('projects_ws-3').toString('base64')}\u0007`);
		await pty.press(keys.escape);
		await pty.waitFor(text => !text.includes('cached at'));
		await pty.press('q');
		await pty.waitForExit();
	});

	it.each(SIZES)('at %i×%i: Ctrl-L repaints the whole screen over a stray write', async (cols, rows) => {
		const pty = start(cols, rows);
		await pty.waitFor('2 checks · 2 pass');
		// What a `wall` message or another program's stray output leaves on the terminal.
		await pty.strayWrite('\u001B[8;3HBroadcast message from root: the machine reboots at 22:00\u001B[12;1Hstray output');
		expect(pty.text()).toContain('stray output');
		await pty.press('\u000C');
		const screen = await pty.waitFor(text => !text.includes('stray output') && !text.includes('Broadcast'));
		expect(screen).toContain('2 checks · 2 pass');
		expect(pty.screen()[rows - 1]).toContain('q quit');
		await pty.press('q');
		await pty.waitForExit();
	});

	it('edits a filter at the cursor, and the footer shows the editing keys meanwhile', async () => {
		const pty = start(80, 24);
		await pty.waitFor('2 checks');
		await pty.press('2');
		await pty.waitFor('entries 50');
		await pty.press('/');
		await pty.type('projects_ws');
		await pty.waitFor('filter: projects_ws');
		expect(pty.screen()[23]).toContain('Ctrl-A/E start/end');
		await pty.press(keys.left, keys.left, keys.left, '\u0017');
		await pty.waitFor('filter: _ws');
		await pty.press('\u0005');
		await pty.type('-2');
		const screen = await pty.waitFor('1 of 50 keys');
		expect(screen).toContain('projects_ws-2');
		await pty.press(keys.enter);
		await pty.waitFor(text => text.split('\n')[23].includes('d delete'));
		await pty.press('q');
		await pty.waitForExit();
	});
});
