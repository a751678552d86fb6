import {describe, expect, it} from 'vitest';
import {keymap, resolveKey, footerHints} from '../../source/ui/kit/keymap.js';
import {splitKeys} from '../../source/ui/kit/keys.js';

describe('keys', () => {
	it('splits a multi-key read into key presses, control characters included', () => {
		expect(splitKeys('Pp_\r\t\u007F\u0003')).toEqual([
			{name: 'P', text: 'P'},
			{name: 'p', text: 'p'},
			{name: '_', text: '_'},
			{name: 'enter', text: ''},
			{name: 'tab', text: ''},
			{name: 'backspace', text: ''},
			{name: 'ctrl+c', text: ''},
		]);
	});

	it('resolves a key in the first scope that binds it: the pane before the global bindings', () => {
		expect(resolveKey('p', ['uploads', 'list', 'global'])?.command).toBe('uploads.pause');
		expect(resolveKey('p', ['cache', 'list', 'global'])).toBeUndefined();
		expect(resolveKey('f', ['cache', 'list', 'global'])?.command).toBe('freeze');
		expect(resolveKey('ctrl+l', ['global'])?.command).toBe('redraw');
		expect(resolveKey('r', ['structure', 'global'])?.command).toBe('tree.reload');
		expect(resolveKey('down', ['list'])?.command).toBe('move.down');
		expect(resolveKey('z', ['cache', 'list', 'global'])).toBeUndefined();
	});

	it('binds no key twice within a scope', () => {
		for (const scope of new Set(keymap.map(binding => binding.scope))) {
			const keys = keymap.filter(binding => binding.scope === scope).flatMap(binding => binding.keys);
			expect(new Set(keys).size, scope).toBe(keys.length);
		}
	});

	it('marks destructive hints as disabled in read-only mode', () => {
		const hints = footerHints('cache', true);
		expect(hints.filter(hint => hint.disabled).map(hint => hint.label)).toEqual(['delete', 'purge', 'expired', 'clear']);
		expect(footerHints('cache', false).some(hint => hint.disabled)).toBe(false);
	});
});
