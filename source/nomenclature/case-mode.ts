import type {CaseMode} from './config-shape.js';

// Case folding that agrees with a non-unicode /i regex (ECMAScript Canonicalize), so that the part-by-part walk
// and the compiled regex accept exactly the same characters. Every fold maps one code unit to one, so positions
// in a folded or normalized name are positions in the original.
function canonicalUnit(unit: string): string {
	const upper = unit.toUpperCase();
	if (upper.length !== 1) return unit;
	if (unit.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) return unit;
	return upper;
}

export function foldCase(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) out += canonicalUnit(text[i]!);
	return out;
}

export function equalsIgnoringCase(a: string, b: string): boolean {
	return a.length === b.length && foldCase(a) === foldCase(b);
}

function mapUnits(text: string, map: (unit: string) => string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const unit = text[i]!;
		const mapped = map(unit);
		out += mapped.length === 1 ? mapped : unit;
	}
	return out;
}

/**
 * The text the patterns are matched against. 'upper': the name upper-cased and its extension (after the last
 * dot) lower-cased, so `undlm_seq01_00042_v002.MP4` reads as `UNDLM_SEQ01_00042_V002.mp4`; otherwise unchanged.
 */
export function normalizeName(name: string, mode: CaseMode): string {
	if (mode !== 'upper') return name;
	const dot = name.lastIndexOf('.');
	const base = dot < 0 ? name : name.slice(0, dot);
	const extension = dot < 0 ? '' : name.slice(dot);
	return mapUnits(base, unit => unit.toUpperCase()) + mapUnits(extension, unit => unit.toLowerCase());
}

/**
 * Whether literal text (template literals, literal and enum fields) compares without case. In 'upper' mode the
 * name was upper-cased, so a template's `_v` must still match the `_V` it became.
 */
export function literalsIgnoreCase(mode: CaseMode): boolean {
	return mode !== 'strict';
}

/** Flags for the regexes of `pattern` fields: only 'insensitive' relaxes them ('upper' already normalized). */
export function patternFlags(mode: CaseMode): string {
	return mode === 'insensitive' ? 'i' : '';
}

const SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

export function escapeRegex(text: string): string {
	return text.replace(SPECIAL, '\\$&');
}

/** Regex source for literal text that matches without case but without the /i flag (it would relax the fields). */
export function caselessSource(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const unit = text[i]!;
		const variants = [...new Set([unit, unit.toUpperCase(), unit.toLowerCase()])].filter(
			variant => variant.length === 1 && canonicalUnit(variant) === canonicalUnit(unit),
		);
		out += variants.length === 1 ? escapeRegex(unit) : `[${variants.map(escapeRegex).join('')}]`;
	}
	return out;
}
