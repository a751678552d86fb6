// Fitting text into columns by display width (string-width): a CJK character or an emoji takes two cells, a
// combining accent none, so a column of names lines up whatever they hold. Whatever is fitted is made printable first
// (printable.ts): a column is where server names reach the console, and a control character would drive the
// terminal, or (a newline) split the row, while string-width counts it as no cell at all.
//
// Terminals do not agree on every sequence: tmux and most terminals give an emoji joined by ZWJ (a family) the sum
// of its parts, or the first part only; a heart with a variation selector (❤️) one cell where string-width says two;
// a thumb with a skin tone four. Text fitted here goes through terminalText first, which removes what they disagree
// on (ZWJ, variation selectors, skin-tone modifiers) and composes decomposed accents, so that the width we count is
// the width every terminal draws. The names stay readable (👩👩👧 for a family); the detail views and the copied
// ids keep the original text.
import stringWidth from 'string-width';
import {printable} from './printable.js';

const PLAIN = /^[\u0020-\u007e]*$/;
// ZWJ, VS15, VS16, and the five Fitzpatrick skin-tone modifiers.
const AMBIGUOUS = /\u200d|\ufe0e|\ufe0f|\ud83c[\udffb-\udfff]/g;

/** `text` as every terminal draws it at the width string-width counts (see above). */
export function terminalText(text: string): string {
	if (PLAIN.test(text)) return text;
	return text.normalize('NFC').replace(AMBIGUOUS, '');
}

export function displayWidth(text: string): number {
	return PLAIN.test(text) ? text.length : stringWidth(terminalText(text));
}

/**
 * Grapheme clusters, so that a cut never splits an accent from its letter or an emoji sequence. Plain ASCII is split
 * without the segmenter: its first use loads ICU's break rules (tens of ms), which a keystroke should not wait for.
 */
const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
export function graphemes(text: string): string[] {
	return PLAIN.test(text) ? text.split('') : Array.from(segmenter.segment(text), each => each.segment);
}

/** The longest head of `text` that fits in `width` cells. */
function head(parts: readonly string[], width: number): string {
	let used = 0;
	let out = '';
	for (const part of parts) {
		const w = stringWidth(part);
		if (used + w > width) break;
		used += w;
		out += part;
	}
	return out;
}

/** The longest tail of `text` that fits in `width` cells. */
function tail(parts: readonly string[], width: number): string {
	let used = 0;
	let out = '';
	for (let i = parts.length - 1; i >= 0; i--) {
		const w = stringWidth(parts[i]);
		if (used + w > width) break;
		used += w;
		out = parts[i] + out;
	}
	return out;
}

/** Cuts the end: "a long name…", at most `width` cells. */
export function truncate(raw: string, width: number): string {
	if (width <= 0) return '';
	const safe = terminalText(printable(raw));
	if (displayWidth(safe) <= width) return safe;
	return `${head(graphemes(safe), width - 1)}…`;
}

// Where a name splits into the words that tell rows apart: UNDLM_SEQ02_00110_v114.mp4, folder_<uuid>_children.
const SEPARATOR = /[_\-. /]/;

/**
 * Keeps both ends, the end whole from a word boundary: "UNDLM_SEQ…00110_v114.mp4", "folder_4f…42473a5f06b9_children".
 * Names that tell rows apart at their end (shot, version, extension; a cache key's `_children` or `_subfolders`)
 * keep what differs: the end is the longest run of whole words that fits, the start takes the rest. From 20 cells
 * on, the start keeps at least its first word (up to a quarter of the room): what a name begins with tells rows
 * apart too.
 */
export function middleEllipsis(raw: string, width: number): string {
	if (width <= 0) return '';
	const safe = terminalText(printable(raw));
	if (displayWidth(safe) <= width) return safe;
	if (width === 1) return '…';
	const parts = graphemes(safe);
	const room = width - 1;
	const firstWord = parts.findIndex(part => SEPARATOR.test(part));
	const minStart = room >= 19 ? Math.min(firstWord < 0 ? 0 : stringWidth(parts.slice(0, firstWord).join('')), Math.floor(room / 4)) : 0;
	let end = '';
	// The longest suffix that starts right after a separator.
	let used = 0;
	for (let i = parts.length - 1; i > 0; i--) {
		used += stringWidth(parts[i]);
		if (used > room - minStart) break;
		if (SEPARATOR.test(parts[i - 1]) && !SEPARATOR.test(parts[i])) end = parts.slice(i).join('');
	}
	if (end === '') {
		// One long word: a third for the start, the rest for the end, as before.
		end = tail(parts, room - Math.floor(room / 3));
	}
	const startRoom = room - stringWidth(end);
	// A start of one or two cells reads as noise: "…00042_v002.mp4" rather than "U…00042_v002.mp4".
	const start = startRoom < 3 && end !== '' ? '' : head(parts, startRoom);
	return `${start}…${end}`;
}

/** Exactly `width` cells: cut with an ellipsis, then padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width);
	return pad(cut, width, align);
}

/** Exactly `width` cells: middleEllipsis, then padded. */
export function fitMiddle(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	return pad(middleEllipsis(text, width), width, align);
}

/** `text` (already at most `width` cells) padded with spaces to `width` cells. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const room = ' '.repeat(Math.max(0, width - displayWidth(text)));
	return align === 'left' ? text + room : room + text;
}

/**
 * `text` as lines of at most `width` cells, broken at spaces where it can and inside a word only when the word alone
 * is wider: a message shown whole, never cut. Newlines in the text start new lines; any other control is shown as
 * an escape.
 */
export function wrapLines(text: string, width: number): string[] {
	const room = Math.max(1, width);
	const lines: string[] = [];
	for (const paragraph of terminalText(text).split('\n').map(printable)) {
		let line = '';
		for (const word of paragraph.split(' ')) {
			const joined = line === '' ? word : `${line} ${word}`;
			if (stringWidth(joined) <= room) {
				line = joined;
				continue;
			}
			if (line !== '') lines.push(line);
			line = '';
			// A word wider than the line is cut into line-wide pieces, grapheme by grapheme.
			let rest = graphemes(word);
			while (stringWidth(rest.join('')) > room) {
				const piece = head(rest, room) || rest[0]!;
				lines.push(piece);
				rest = rest.slice(graphemes(piece).length);
			}
			line = rest.join('');
		}
		lines.push(line);
	}
	return lines;
}
