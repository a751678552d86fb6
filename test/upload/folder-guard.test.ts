// The nearest-name arithmetic of the folder guard (the guard itself runs over HTTP in
// test/upload-commands/folder-guard.test.ts).
import {describe, expect, it} from 'vitest';
import {closest, editDistance} from '../../source/upload/folder-guard.js';

describe('folder guard: the nearest existing name', () => {
	it('edit distance counts inserts, deletes and substitutions', () => {
		expect(editDistance('', '')).toBe(0);
		expect(editDistance('abc', '')).toBe(3);
		expect(editDistance('kitten', 'sitting')).toBe(3);
		expect(editDistance('UNDLM_0042', 'UNDLM_00042')).toBe(1);
	});

	it('closest ignores case, prefers the smallest distance, then name order; nothing for no candidates', () => {
		expect(closest('sc01_seq1', ['SC02_SEQ02', 'SC01_SEQ01', 'SC10_SEQ10'])).toBe('SC01_SEQ01');
		expect(closest('SC03', ['SC02_SEQ02', 'SC01_SEQ01'])).toBe('SC01_SEQ01');
		expect(closest('x', [])).toBeUndefined();
	});
});
