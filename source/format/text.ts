// Fitting text into columns by display width (string-width): a CJK character or an emoji takes two cells, a
// combining accent none, so a column of names lines up whatever they hold. Whatever is fitted is made printable first
// (printable.ts): a column is where server names reach the console, and a control character would drive the
// terminal, or (a newline) split the row, while string-width counts it as no cell at all.
import stringWidth from 'string-width';
import {printable} from './printable.js';

export function displayWidth(text: string): number {
	return stringWidth(text);
}

/** Grapheme clusters, so that a cut never splits an accent from its letter or an emoji sequence. */
const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
function graphemes(text: string): string[] {
	return Array.from(segmenter.segment(text), each => each.segment);
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
	const text = printable(raw);
	if (stringWidth(text) <= width) return text;
	return `${head(graphemes(text), width - 1)}…`;
}

/**
 * Keeps both ends, the end longer: "UNDLM…2_v002.mp4". Names that tell rows apart at their end (shot, version,
 * extension; a cache key's `_children` or `_subfolders`) keep what differs.
 */
export function middleEllipsis(raw: string, width: number): string {
	if (width <= 0) return '';
	const text = printable(raw);
	if (stringWidth(text) <= width) return text;
	if (width === 1) return '…';
	const parts = graphemes(text);
	const headWidth = Math.floor((width - 1) / 3);
	const end = tail(parts, width - 1 - headWidth);
	const start = head(parts, width - 1 - stringWidth(end));
	return `${start}…${end}`;
}

/** Exactly `width` cells: cut with an ellipsis, then padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width);
	const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}

/**
 * `text` as lines of at most `width` cells, broken at spaces where it can and inside a word only when the word alone
 * is wider: a message shown whole, never cut. Newlines in the text start new lines; any other control is shown as
 * an escape.
 */
export function wrapLines(text: string, width: number): string[] {
	const room = Math.max(1, width);
	const lines: string[] = [];
	for (const paragraph of text.split('\n').map(printable)) {
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
