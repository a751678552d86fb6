// Column text by display width: what string-width counts is what tmux and an xterm with Unicode 11 draw, for
// CJK, emoji (joined, with a variation selector, with a skin tone) and decomposed accents; and a cut keeps the
// words at the end that tell rows apart.
import {describe, expect, it} from 'vitest';
import {displayWidth, fit, middleEllipsis, terminalText, truncate} from '../../source/format/text.js';

const FAMILY = '👩\u200d👩\u200d👧\u200d👦';
const HEART = '❤\ufe0f';
const THUMB = '👍\u{1F3FD}';
const CAFE = 'cafe\u0301';

describe('text fitted by display width', () => {
	it('removes what terminals disagree on, and composes accents', () => {
		expect(terminalText(FAMILY)).toBe('👩👩👧👦');
		expect(terminalText(HEART)).toBe('❤');
		expect(terminalText(THUMB)).toBe('👍');
		expect(terminalText(CAFE)).toBe('café');
		expect(terminalText('日本語')).toBe('日本語');
		expect(displayWidth(FAMILY)).toBe(8);
		expect(displayWidth(HEART)).toBe(1);
		expect(displayWidth(THUMB)).toBe(2);
		expect(displayWidth(CAFE)).toBe(4);
		expect(displayWidth('日本語')).toBe(6);
	});

	it.each([
		['日本語のフォルダ名_children'],
		[`folder_${FAMILY}_children`],
		[`${HEART}${HEART}_${THUMB}_${CAFE}_v001.mp4`],
		['🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬'],
		['plain_ascii_name_that_is_long.mp4'],
	])('fits %j in exactly 20 cells, cut or padded', text => {
		for (const width of [5, 11, 20, 33]) {
			expect(displayWidth(fit(text, width))).toBe(width);
			expect(displayWidth(fit(text, width, 'right'))).toBe(width);
			expect(displayWidth(middleEllipsis(text, width))).toBeLessThanOrEqual(width);
			expect(displayWidth(truncate(text, width))).toBeLessThanOrEqual(width);
		}
	});

	it('keeps the shot and the version of a file name, and the suffix of a cache key', () => {
		expect(middleEllipsis('UNDLM_SEQ02_00110_v114.mp4', 24)).toBe('UNDLM_SEQ…00110_v114.mp4');
		expect(middleEllipsis('UNDLM_SEQ02_00110_v114.mp4', 20)).toBe('UNDLM…00110_v114.mp4');
		expect(middleEllipsis('UNDLM_SEQ02_00110_v114.mp4', 16)).toBe('…00110_v114.mp4');
		expect(middleEllipsis('UNDLM_SEQ02_00110_v114.mp4', 26)).toBe('UNDLM_SEQ02_00110_v114.mp4');
		const children = middleEllipsis('folder_4ff684c5-1a1f-5e6a-b154-42473a5f06b9_children', 31);
		const subfolders = middleEllipsis('folder_4ff684c5-1a1f-5e6a-b154-42473a5f06b9_subfolders', 31);
		expect(children).toBe('folder_4f…42473a5f06b9_children');
		expect(subfolders).toMatch(/….*_subfolders$/);
		expect(displayWidth(children)).toBeLessThanOrEqual(31);
		// The start keeps its first word: a key that differs at its start is not cut to its end alone.
		expect(middleEllipsis(`a0_日本語_${'x'.repeat(40)}_children`, 40)).toBe(`a0_日本語_${'x'.repeat(21)}…children`);
		// One long word: both ends, as before.
		expect(middleEllipsis('averyveryverylongnamewithoutseparators', 12)).toBe('ave…parators');
	});
});
