// The console's text inputs (filter, purge pattern, add-file path) edit like a readline, and the footer shows their
// keys while one is open.
import {afterEach, describe, expect, it} from 'vitest';
import {applyEdit, visiblePart} from '../../source/ui/components/text-prompt.js';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

const promptLine = (h: ConsoleHarness) => h.lines().find(line => line.startsWith('filter: ')) ?? '';
const footer = (h: ConsoleHarness) => h.lines().at(-1) ?? '';

describe('text inputs', () => {
	it('edit at the cursor: ←/→, Home/End, Ctrl-A/E, Backspace, Ctrl-U, Ctrl-W, Ctrl-K', async () => {
		const fakes = fakePorts();
		fakes.cache.set('projects_ws-1');
		harness = renderConsole(fakes, {pane: 'cache'});
		const h = harness;
		await h.waitFor('projects_ws-1');
		await h.press('/');
		await h.type('folder children');
		await h.waitFor('filter: folder children');
		await h.press(KEY.left, KEY.left, KEY.left);
		await h.type('X');
		await h.waitFor('filter: folder childXren');
		await h.press(KEY.home);
		await h.type('^');
		await h.waitFor('filter: ^folder childXren');
		await h.press(KEY.end);
		await h.type('$');
		await h.waitFor('filter: ^folder childXren$');
		await h.press(KEY.ctrlA, KEY.right);
		await h.press(KEY.backspace);
		await h.waitFor('filter: folder childXren$');
		await h.press(KEY.ctrlE, KEY.backspace);
		await h.waitFor(text => promptLine(h).startsWith('filter: folder childXren ') || promptLine(h) === 'filter: folder childXren');
		// Ctrl-W: the word before the cursor, with the spaces before it.
		await h.press(KEY.ctrlW);
		await h.waitFor(() => /^filter: folder  /.test(promptLine(h)));
		await h.type('kids');
		await h.waitFor('filter: folder kids');
		// Ctrl-U: everything before the cursor; Ctrl-K everything after it.
		await h.press(KEY.left, KEY.left, KEY.ctrlU);
		await h.waitFor(() => /^filter: ds /.test(promptLine(h)));
		await h.press(KEY.ctrlA, KEY.right, KEY.ctrlK);
		await h.waitFor(() => /^filter: d /.test(promptLine(h)));
		await h.press(KEY.enter);
		await h.waitFor('filter "d"');
	});

	it('shows the input keys in the footer while one is open, the pane keys again when it closes', async () => {
		harness = renderConsole(fakePorts(), {pane: 'cache'});
		const h = harness;
		await h.waitFor('KEY');
		expect(footer(h)).toContain('d delete');
		await h.press('P');
		await h.waitFor('purge keys containing:');
		expect(footer(h)).toBe('←/→ move  Ctrl-A/E start/end  Ctrl-U/W delete start/word  Enter ok  Esc cancel');
		await h.press(KEY.escape);
		await h.waitFor(text => text.split('\n').at(-1)!.includes('d delete'));
		// At 60 columns the editing keys that do not fit go, Enter and Esc stay.
		h.resize(60, 20);
		await h.press('/');
		await h.waitFor('filter:');
		expect(footer(h)).toMatch(/^←\/→ move .*Enter ok  Esc cancel$/);
		expect(footer(h).length).toBeLessThanOrEqual(60);
	});

	it('applyEdit and visiblePart: graphemes, not code units; the cursor stays in view', () => {
		expect(applyEdit('input.backspace', {value: 'caf\u00e9👩‍👩‍👧', cursor: 5})).toEqual({value: 'caf\u00e9', cursor: 4});
		expect(applyEdit('insert', {value: 'ab', cursor: 1}, '日本')).toEqual({value: 'a日本b', cursor: 3});
		expect(applyEdit('input.deleteWord', {value: '/renders/out  ', cursor: 14})).toEqual({value: '', cursor: 0});
		expect(applyEdit('input.deleteWord', {value: 'a b c', cursor: 3})).toEqual({value: 'a  c', cursor: 2});
		expect(applyEdit('input.left', {value: 'ab', cursor: 0})).toEqual({value: 'ab', cursor: 0});
		expect(applyEdit('input.right', {value: 'ab', cursor: 2})).toEqual({value: 'ab', cursor: 2});
		const long = 'x'.repeat(100) + 'END';
		const atEnd = visiblePart(long, long.length, 20);
		expect(`${atEnd.before}${atEnd.at}${atEnd.after}`.length).toBeLessThanOrEqual(20);
		expect(atEnd.before.endsWith('END')).toBe(true);
		const atStart = visiblePart(long, 0, 20);
		expect(atStart.before).toBe('');
		expect(atStart.after.endsWith('…')).toBe(true);
	});
});
