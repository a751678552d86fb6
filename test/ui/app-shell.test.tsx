import {afterEach, describe, expect, it} from 'vitest';
import {keymap, keysLabel} from '../../source/ui/kit/keymap.js';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
const open = (...args: Parameters<typeof renderConsole>) => (harness = renderConsole(...args));
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

describe('console shell', () => {
	it('fills the terminal exactly: one line per row, none wider than the terminal', async () => {
		const h = open();
		const frame = await h.waitFor('Health');
		expect(frame.split('\n')).toHaveLength(24);
		for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
		h.resize(100, 30);
		const bigger = await h.waitFor(text => text.split('\n').length === 30);
		for (const line of bigger.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
	});

	it('switches tabs with 1-7, Tab and Shift-Tab', async () => {
		const h = open();
		await h.waitFor('CHECK');
		await h.press('2');
		await h.waitFor('KEY');
		await h.press('3');
		await h.waitFor('nodes loaded');
		await h.press('4');
		await h.waitFor('window 5 m');
		await h.press('5');
		await h.waitFor('no upload in progress');
		await h.press('6');
		await h.waitFor('farm mode is off');
		await h.press('7');
		await h.waitFor('this console has no log file to follow');
		await h.press(KEY.tab);
		await h.waitFor('STATUS');
		await h.press(KEY.shiftTab);
		await h.waitFor('no log file');
		await h.press(KEY.shiftTab);
		await h.waitFor('farm mode is off');
		await h.press(KEY.shiftTab);
		await h.waitFor('no upload in progress');
		await h.press('1');
		expect(await h.waitFor('CHECK')).toContain('REASON');
	});

	it('shows mode, account, breaker, rate-limit headroom, refresh and alerts in the status bar', async () => {
		const fakes = fakePorts();
		const h = open(fakes);
		let frame = await h.waitFor('SANDBOX');
		const status = frame.split('\n')[1];
		expect(status).toContain('Demo Post');
		expect(status).toContain('breaker closed');
		// 95 of 100 left is plenty: no number to watch tick.
		expect(status).toContain('rate ok');
		expect(status).toContain('↻60s');
		expect(status).not.toMatch(/\d\d:\d\d:\d\d/);
		expect(status).toContain('alerts 0');
		fakes.status.change({mode: 'live', breaker: 'open', rateLimit: {endpointClass: 'uploads', remaining: 2, limit: 10}});
		fakes.alerts.fire({id: 'a', rule: 'error_rate', level: 'error', message: 'API error rate 9 % > 5 %', value: '9 %', threshold: '5 %', at: Date.now(), state: 'firing'});
		frame = await h.waitFor('alerts 1');
		expect(frame.split('\n')[1]).toContain('LIVE');
		expect(frame.split('\n')[1]).toContain('breaker open');
		expect(frame.split('\n')[1]).toContain('rate 2/10');
		fakes.status.change({down: 'no answer', lastAnswerAt: Date.now() - 42_000});
		frame = await h.waitFor('down 42s');
		expect(frame.split('\n')[1]).toContain('alerts 1');
	});

	it('refreshes more often with + and less often with -, and freezes the refresh with f', async () => {
		const h = open();
		await h.waitFor('↻60s');
		await h.press('+');
		let frame = await h.waitFor('↻30s');
		expect(frame).toContain('refresh every 30 s (+ more often, - less often)');
		await h.press('+', '=');
		await h.waitFor('↻10s');
		await h.press('-');
		await h.waitFor('↻15s');
		await h.press('f');
		frame = await h.waitFor('refresh frozen');
		expect(frame.split('\n')[1]).toContain('frozen');
		expect(h.consoleStore.clock.state().paused).toBe(true);
		// p is the upload queue's, and only on the Uploads tab: here it does nothing.
		await h.press('f', 'p');
		await h.waitFor(text => text.split('\n')[1].includes('↻15s'));
		expect(h.consoleStore.clock.state().paused).toBe(false);
	});

	it('binds a key to one thing: no tab gives a key of every tab another meaning (r refreshes in each its own way)', () => {
		const global = keymap.filter(binding => binding.scope === 'global');
		for (const scope of ['list', 'health', 'cache', 'structure', 'metrics', 'uploads', 'logs'] as const) {
			for (const binding of keymap.filter(entry => entry.scope === scope)) {
				const shadowed = global.find(entry => entry.keys.some(key => binding.keys.includes(key)));
				if (shadowed) expect(`${scope}: ${binding.command} over ${shadowed.command}`).toMatch(/: (health\.rerun|tree\.reload) over refresh$/);
			}
		}
	});

	it('lists every binding of every scope in the help overlay, generated from the keymap', async () => {
		const h = open(undefined, {rows: 110, columns: 120});
		await h.waitFor('Health');
		await h.press('?');
		const frame = await h.waitFor('Keys');
		for (const binding of keymap) {
			expect(frame).toContain(binding.description);
			expect(frame).toContain(keysLabel(binding));
		}
		for (const title of ['Everywhere', 'Lists (every pane)', 'Cache', 'Structure', 'Uploads', 'Logs', 'Text inputs', 'Confirmations']) expect(frame).toContain(title);
		await h.press(KEY.escape);
		await h.waitFor(text => !text.includes('Show or hide this help'));
	});

	it('says in the help which keys --readonly disables', async () => {
		const h = open(undefined, {rows: 70, columns: 120, readonly: true});
		await h.press('?');
		const frame = await h.waitFor('Keys');
		expect(frame).toContain('read-only mode');
		const disabled = frame.split('\n').filter(line => line.includes('[disabled: --readonly]'));
		// Everything that removes something or writes to Frame.io: purges, cancel, and adding or retrying an upload.
		expect(disabled.length).toBe(keymap.filter(binding => binding.destructive || binding.writes).length);
		expect(disabled.some(line => line.includes('Delete the selected key'))).toBe(true);
		expect(disabled.some(line => line.includes('Add a file by path'))).toBe(true);
		expect(disabled.some(line => line.includes('Retry the failed uploads'))).toBe(true);
	});

	it('scrolls the help at 80×24', async () => {
		const h = open();
		await h.press('?');
		let frame = await h.waitFor('Keys');
		expect(frame).toContain('Re-run every check');
		expect(frame).not.toContain('Close, changing nothing');
		await h.press('G');
		frame = await h.waitFor('Close, changing nothing');
		expect(frame).not.toContain('Re-run every check');
	});

	it("lists the current tab's keys first in the help", async () => {
		const h = open(undefined, {pane: 'uploads'});
		await h.waitFor('no upload in progress');
		await h.press('?');
		const lines = (await h.waitFor('Keys')).split('\n');
		const keysAt = lines.findIndex(line => line.startsWith('Keys'));
		expect(lines[keysAt + 1]).toBe('Uploads (this tab)');
		expect(lines[keysAt + 2]).toMatch(/^ {2}a +Add a file by path/);
		expect(lines.findIndex(line => line.startsWith('Lists (every pane)'))).toBeLessThan(lines.findIndex(line => line.startsWith('Everywhere')));
		await h.press(KEY.escape, '2', '?');
		const cache = (await h.waitFor('Cache (this tab)')).split('\n');
		expect(cache[cache.findIndex(line => line.startsWith('Keys')) + 1]).toBe('Cache (this tab)');
	});

	it('shows the current pane hints in the footer, from the keymap', async () => {
		const h = open(undefined, {columns: 140});
		await h.waitFor('re-run');
		await h.press('2');
		let footer = (await h.waitFor('purge')).split('\n').at(-1)!;
		for (const hint of ['/ filter', 'd delete', 'P purge', 'x expired', 'C clear', 'j/k move', '? help', 'q quit']) expect(footer).toContain(hint);
		await h.press('5');
		footer = (await h.waitFor('a add')).split('\n').at(-1)!;
		for (const hint of ['a add', 'p pause queue', 'c cancel', 'R retry', 'Enter details']) expect(footer).toContain(hint);
		expect(footer).not.toContain('d delete');
	});

	it('Ctrl-L asks the terminal for a full repaint, from a pane, the help, or a text input', async () => {
		const h = open(undefined, {pane: 'cache'});
		await h.waitFor('KEY');
		await h.press(KEY.ctrlL);
		expect(h.terminal.redraws).toBe(1);
		await h.press('/', KEY.ctrlL);
		await h.waitFor('filter:');
		expect(h.terminal.redraws).toBe(2);
		// Ctrl-L typed nothing into the filter.
		expect(h.lines().find(line => line.startsWith('filter:'))).toMatch(/^filter:  {2}|^filter: +\d/);
		await h.press(KEY.escape, '?', KEY.ctrlL);
		await h.waitFor('Keys');
		expect(h.terminal.redraws).toBe(3);
	});

	it('says "terminal too small" below 60×16 and comes back when resized', async () => {
		const h = open();
		await h.waitFor('Health');
		h.resize(59, 24);
		expect(await h.waitFor('terminal too small')).toContain('need 60×16, have 59×24');
		h.resize(80, 15);
		await h.waitFor('have 80×15');
		h.resize(80, 24);
		await h.waitFor('CHECK');
	});

	it('quits on q and on Ctrl-C, but q typed into a filter is text', async () => {
		const h = open(undefined, {pane: 'cache'});
		await h.waitFor('KEY');
		await h.press('/');
		await h.type('q');
		await h.waitFor('filter: q');
		expect(h.quits()).toBe(0);
		await h.press(KEY.enter, 'q');
		expect(h.quits()).toBe(1);
		await h.press(KEY.ctrlC);
		expect(h.quits()).toBe(2);
	});
});
