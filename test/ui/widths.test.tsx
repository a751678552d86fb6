// Columns by display width, as a terminal draws them: names with CJK, emoji (joined, with a variation selector, with a
// skin tone) and decomposed accents line up; columns adapt to 60 and 200 columns; the status bar keeps the alert
// count at 60. Widths here are counted as a terminal without grapheme clustering counts them (each code point on its
// own: xterm with Unicode 11, tmux for all but ZWJ), which is where string-width alone goes wrong.
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {fakePorts, upload} from '../store/fakes.js';
import {renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

/** Cells a terminal gives `text` when it measures code point by code point. */
export function terminalWidth(text: string): number {
	let width = 0;
	for (const char of text) width += stringWidth(char);
	return width;
}

const NAMES = ['日本語のフォルダ', `👩\u200d👩\u200d👧_team`, `love_❤\ufe0f_it`, `ok_👍\u{1F3FD}`, 'cafe\u0301_cre\u0300me', 'plain'];

describe('widths', () => {
	it('lines up cache keys with CJK, emoji and accents: every row is 80 cells and TYPE starts in one column', async () => {
		const fakes = fakePorts();
		for (const name of NAMES) fakes.cache.set(`folder_${name}_children`);
		harness = renderConsole(fakes, {pane: 'cache'});
		const frame = await harness.waitFor('plain_children');
		const rows = frame.split('\n').filter(line => line.includes('_children'));
		expect(rows).toHaveLength(NAMES.length);
		const typeAt = rows.map(line => terminalWidth(line.slice(0, line.indexOf(' folder '))));
		expect(new Set(typeAt).size).toBe(1);
		for (const line of frame.split('\n')) expect(terminalWidth(line)).toBeLessThanOrEqual(80);
	});

	it('lines up upload names, cut or not: every active row ends its NAME in one column', async () => {
		const fakes = fakePorts();
		fakes.uploads.jobs = NAMES.map((name, index) => upload({id: `u${index}`, name: `${name}_SEQ01_00010_v00${index}_with_a_long_tail.mp4`, state: 'queued'}));
		harness = renderConsole(fakes, {pane: 'uploads'});
		const frame = await harness.waitFor('PROGRESS');
		const rows = frame.split('\n').filter(line => line.includes(' queued '));
		expect(rows).toHaveLength(NAMES.length);
		expect(new Set(rows.map(line => terminalWidth(line.slice(0, line.indexOf(' queued ')))))).toEqual(new Set([terminalWidth(rows.at(-1)!.slice(0, rows.at(-1)!.indexOf(' queued ')))]));
		for (const line of rows) expect(line).toMatch(/_tail\.mp4 +queued/);
	});

	it('gives REASON the room at 60 columns and keeps CHECK no wider than the names at 200', async () => {
		const fakes = fakePorts();
		fakes.health.results = [
			{id: 'a', name: 'Cache store and hit rate', status: 'pass', reason: 'hit rate 89.9 % over 1 204 lookups, snapshot 12 KB', ms: 12},
			{id: 'b', name: 'Token expiry', status: 'warn', reason: 'the token expires in 9 minutes: run login again', ms: 3},
		];
		harness = renderConsole(fakes, {pane: 'health', columns: 60, rows: 20});
		let frame = await harness.waitFor('Token expiry');
		const header = frame.split('\n').find(line => line.startsWith('STATUS'))!;
		// Before, CHECK was 30 cells and REASON 13 at 60 columns (REASON started 40 cells after CHECK).
		expect(header.indexOf('REASON') - header.indexOf('CHECK')).toBeLessThanOrEqual(30);
		expect(60 - header.indexOf('REASON')).toBeGreaterThanOrEqual(22);
		expect(frame).toContain('the token expires in');
		harness.resize(200, 30);
		frame = await harness.waitFor(text => text.split('\n').length === 30);
		const wide = frame.split('\n').find(line => line.startsWith('STATUS'))!;
		expect(wide.indexOf('TIME')).toBeLessThan(7 + 1 + 'Cache store and hit rate'.length + 1 + 8);
		expect(frame).toContain('hit rate 89.9 % over 1 204 lookups, snapshot 12 KB');
	});

	it('keeps the alert count in the status bar and every tab key in the tab bar at 60 columns', async () => {
		const fakes = fakePorts();
		fakes.status.view = {...fakes.status.view, account: 'Undlm Studio — Post Production Paris', down: 'no answer', lastAnswerAt: Date.now() - 35_000};
		harness = renderConsole(fakes, {columns: 60, rows: 20, readonly: true});
		fakes.alerts.fire({id: 'x', rule: 'error_rate', level: 'error', message: 'API error rate 9 % > 5 %', value: '9 %', threshold: '5 %', at: Date.now(), state: 'firing'});
		const frame = await harness.waitFor('alerts 1');
		const [tabs, status] = frame.split('\n');
		expect(status).toMatch(/alerts 1$/);
		expect(status).toContain('down 3');
		expect(terminalWidth(status)).toBeLessThanOrEqual(60);
		for (const key of ['1', '2', '3', '4', '5', '7']) expect(tabs).toMatch(new RegExp(` ${key}\\b`));
		expect(terminalWidth(tabs)).toBeLessThanOrEqual(60);
	});
});
