// The one function that makes outside text safe for a terminal: what it shows, and that nothing it returns can
// drive one, whatever the input.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isPrintable, printable, printableValue} from '../../source/format/printable.js';

/** Anything a terminal acts on, or that breaks a line. */
const DRIVES_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
	it('shows escape sequences as visible text', () => {
		expect(printable('\u001b]0;TITLE\u0007shot')).toBe('\\x1b]0;TITLE\\x07shot');
		expect(printable('\u001b[41mred\u001b[0m')).toBe('\\x1b[41mred\\x1b[0m');
		expect(printable('\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\')).toBe('\\x1b]8;;https://evil.example\\x1b\\click\\x1b]8;;\\x1b\\');
	});

	it('keeps one line one line', () => {
		expect(printable('a\nb\r\nc\td')).toBe('a\\nb\\r\\nc\\td');
		expect(printable('x\u2028y\u2029z\u0085w')).toBe('x\\u2028y\\u2029z\\x85w');
	});

	it('shows DEL, C1 controls and bidirectional overrides', () => {
		expect(printable('a\u007fb\u009bc')).toBe('a\\x7fb\\x9bc');
		expect(printable('invoice\u202Egpj.exe')).toBe('invoice\\u202egpj.exe');
		expect(printable('\u2066x\u2069\u200f')).toBe('\\u2066x\\u2069\\u200f');
	});

	it('leaves ordinary text, accents, CJK and emoji alone', () => {
		for (const text of ['UNDLM_SEQ01_00042_v002.mp4', 'Amélie Poulain', '東京 ショット', '🎬 final', 'C:\\renders\\a b']) {
			expect(printable(text)).toBe(text);
			expect(isPrintable(text)).toBe(true);
		}
	});

	it('never returns anything that drives a terminal', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary'}), text => {
				const shown = printable(text);
				expect(DRIVES_TERMINAL.test(shown)).toBe(false);
				expect(isPrintable(shown)).toBe(true);
			}),
			{numRuns: 500},
		);
	});

	it('renders other values as JSON, printable', () => {
		expect(printableValue({name: 'a\u001bb'})).toBe('{"name":"a\\u001bb"}');
		expect(printableValue(undefined)).toBe('undefined');
		expect(printableValue(42)).toBe('42');
	});
});
