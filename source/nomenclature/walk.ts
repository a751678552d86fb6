import type {CaseMode} from './config-shape.js';
import {equalsIgnoringCase, literalsIgnoreCase} from './case-mode.js';
import type {CompiledPattern, NamePart} from './compile-pattern.js';
import {acceptsIgnoringCase, candidateEnds, requirement, valueProblem, type CompiledField} from './field-kinds.js';
import type {Diagnostic} from './types.js';

export type Walk = {
	diagnostics: Diagnostic[];
	/** How far the walk got: where it stopped, or the name's length + 1 when it reached the end of the template. */
	progress: number;
};

// The compiled regex says whether a name matches; this walk says why not. It follows the template part by part,
// like a person reading the name, and goes on past a field it can delimit (a wrong shot followed by `_v`) so
// that one run reports every wrong field, and stops at the first part it cannot place.

function literalAt(text: string, at: number, literal: string, mode: CaseMode): boolean {
	const slice = text.slice(at, at + literal.length);
	return literalsIgnoreCase(mode) ? equalsIgnoringCase(slice, literal) : slice === literal;
}

function wordEnd(text: string, from: number): number {
	let end = from;
	while (end < text.length && /[A-Za-z0-9]/.test(text[end]!)) end++;
	return end;
}

function quoted(text: string): string {
	return text === '' ? 'nothing (the name ends here)' : `\`${text}\``;
}

/** A field's value as shown in "got …": bare when it is a word, quoted otherwise. */
function shownValue(text: string): string {
	return /^[A-Za-z0-9]+$/.test(text) ? text : quoted(text);
}

function caseHint(mode: CaseMode, matchesIgnoringCase: boolean): string {
	return mode === 'strict' && matchesIgnoringCase ? ' (case is strict)' : '';
}

function partLabel(part: NamePart): string {
	return part.type === 'field' ? part.field.name : `\`${part.text}\``;
}

export function walkPattern(pattern: CompiledPattern, text: string, original: string, mode: CaseMode): Walk {
	const diagnostics: Diagnostic[] = [];
	const {parts} = pattern;
	let at = 0;
	for (let index = 0; index < parts.length; index++) {
		const part = parts[index]!;
		const next = parts[index + 1];
		const after = index > 0 ? ` after ${partLabel(parts[index - 1]!)}` : '';

		if (part.type === 'literal') {
			if (literalAt(text, at, part.text, mode)) {
				at += part.text.length;
				continue;
			}
			const got = original.slice(at, at + part.text.length);
			const hint = caseHint(mode, equalsIgnoringCase(got, part.text));
			diagnostics.push({message: `expected literal \`${part.text}\`${after} at position ${at}, got ${quoted(got)}${hint}`, position: at, length: Math.max(1, got.length)});
			return {diagnostics, progress: at};
		}

		const {field} = part;
		// A value may end wherever the next part can start: before the next literal, at the end of the name, or
		// anywhere when another field follows.
		const fits = (end: number) =>
			next === undefined ? end === text.length : next.type === 'literal' ? literalAt(text, end, next.text, mode) : true;
		const ends = candidateEnds(field, text, at);
		const end = ends.find(fits);
		if (end !== undefined) {
			checkValue(field, text.slice(at, end), original.slice(at, end), at, diagnostics);
			at = end;
			continue;
		}

		// No well-formed value fits. Take the word the user wrote there as the field's value.
		const longest = ends[0];
		const tokenEnd = Math.max(longest ?? at, wordEnd(text, at));
		if (longest !== undefined && longest === tokenEnd) {
			// The field itself is fine; what follows is not, and the next part (or the end check) says so.
			at = longest;
			if (next === undefined) break;
			continue;
		}
		const got = original.slice(at, tokenEnd === at ? at + 1 : tokenEnd);
		const hint = caseHint(mode, tokenEnd > at && acceptsIgnoringCase(field, text.slice(at, tokenEnd)));
		diagnostics.push({
			field: field.name,
			message: `${field.name} ${requirement(field.spec)}, got ${got === '' ? quoted(got) : shownValue(got)}${hint}`,
			position: at,
			length: Math.max(1, got.length),
		});
		if (tokenEnd > at && fits(tokenEnd)) {
			at = tokenEnd;
			continue;
		}
		return {diagnostics, progress: at};
	}
	if (at < text.length) {
		const rest = original.slice(at);
		const last = parts[parts.length - 1];
		diagnostics.push({
			message: `unexpected ${quoted(rest)}${last ? ` after ${partLabel(last)}` : ''} at position ${at}: the name should end there`,
			position: at,
			length: rest.length,
		});
		return {diagnostics, progress: at};
	}
	return {diagnostics, progress: text.length + 1};
}

/** Range checks on a well-formed value ("version must not be all zeros, got 000"). */
export function checkValue(field: CompiledField, value: string, shown: string, at: number, diagnostics: Diagnostic[]): void {
	const problem = valueProblem(field.spec, value);
	if (problem) diagnostics.push({field: field.name, message: `${field.name} ${problem}, got ${shownValue(shown)}`, position: at, length: Math.max(1, value.length)});
}

