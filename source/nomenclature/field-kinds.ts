import type {CaseMode, FieldSpec} from './config-shape.js';
import {caselessSource, equalsIgnoringCase, escapeRegex, literalsIgnoreCase, patternFlags} from './case-mode.js';

/** A field ready to match: its spec plus what matching needs, built once at compile time. */
export type CompiledField = {
	name: string;
	spec: FieldSpec;
	mode: CaseMode;
	/** Anchored regex of a `pattern` field, with the mode's flags. */
	whole?: RegExp;
	/** The same without case, to tell a user "(case is strict)". */
	wholeCaseless?: RegExp;
};

export function compileField(name: string, spec: FieldSpec, mode: CaseMode): CompiledField {
	if (spec.kind !== 'pattern') return {name, spec, mode};
	return {
		name,
		spec,
		mode,
		whole: new RegExp(`^(?:${spec.regex})$`, patternFlags(mode)),
		wholeCaseless: new RegExp(`^(?:${spec.regex})$`, 'i'),
	};
}

/** The field's part of the compiled name regex, without its named group. */
export function fieldSource(field: CompiledField): string {
	const {spec, mode} = field;
	const literal = (text: string) => (literalsIgnoreCase(mode) ? caselessSource(text) : escapeRegex(text));
	switch (spec.kind) {
		case 'digits':
			return `[0-9]{${spec.min_length},${spec.max_length}}`;
		case 'pattern':
			return `(?:${spec.regex})`;
		case 'enum':
			// Longest first, so that `mp4` is not cut short by a value `mp`.
			return `(?:${[...spec.values]
				.sort((a, b) => b.length - a.length)
				.map(literal)
				.join('|')})`;
		case 'literal':
			return literal(spec.value);
	}
}

function isDigits(text: string): boolean {
	return /^[0-9]+$/.test(text);
}

/** Whether text, all of it, is a well-formed value of the field (syntax only: see valueProblem for ranges). */
export function accepts(field: CompiledField, text: string): boolean {
	const {spec, mode} = field;
	const same = (a: string, b: string) => (literalsIgnoreCase(mode) ? equalsIgnoringCase(a, b) : a === b);
	switch (spec.kind) {
		case 'digits':
			return isDigits(text) && text.length >= spec.min_length && text.length <= spec.max_length;
		case 'pattern':
			return field.whole!.test(text);
		case 'enum':
			return spec.values.some(value => same(value, text));
		case 'literal':
			return same(spec.value, text);
	}
}

/** Whether the field would accept text if case did not matter: the "(case is strict)" hint. */
export function acceptsIgnoringCase(field: CompiledField, text: string): boolean {
	const {spec} = field;
	switch (spec.kind) {
		case 'digits':
			return false;
		case 'pattern':
			return field.wholeCaseless!.test(text);
		case 'enum':
			return spec.values.some(value => equalsIgnoringCase(value, text));
		case 'literal':
			return equalsIgnoringCase(spec.value, text);
	}
}

/**
 * Where a value of this field starting at `from` could end, longest first. Only these ends are tried by the
 * part-by-part walk, which keeps it linear for digits, enums and literals.
 */
export function candidateEnds(field: CompiledField, text: string, from: number): number[] {
	const {spec} = field;
	const ends: number[] = [];
	switch (spec.kind) {
		case 'digits': {
			let run = from;
			while (run < text.length && run - from < spec.max_length && text.charCodeAt(run) >= 48 && text.charCodeAt(run) <= 57) run++;
			for (let end = run; end - from >= spec.min_length; end--) ends.push(end);
			return ends;
		}
		case 'enum': {
			const lengths = [...new Set(spec.values.map(value => value.length))].sort((a, b) => b - a);
			for (const length of lengths) if (from + length <= text.length && accepts(field, text.slice(from, from + length))) ends.push(from + length);
			return ends;
		}
		case 'literal': {
			const end = from + spec.value.length;
			return end <= text.length && accepts(field, text.slice(from, end)) ? [end] : [];
		}
		case 'pattern':
			for (let end = text.length; end >= from; end--) if (accepts(field, text.slice(from, end))) ends.push(end);
			return ends;
	}
}

/** "must be 5 digits", "must match [A-Z0-9]+" …: what the field wants, for diagnostics. */
export function requirement(spec: FieldSpec): string {
	switch (spec.kind) {
		case 'digits': {
			const count =
				spec.min_length === spec.max_length ? `${spec.min_length}` : `${spec.min_length}-${spec.max_length}`;
			return `must be ${count} digit${spec.max_length === 1 ? '' : 's'}`;
		}
		case 'pattern':
			return `must match ${spec.regex}`;
		case 'enum':
			return `must be one of ${spec.values.join(', ')}`;
		case 'literal':
			return `must be ${spec.value}`;
	}
}

/** A value that is well-formed but out of range ("must not be all zeros"), or undefined. */
export function valueProblem(spec: FieldSpec, value: string): string | undefined {
	if (spec.kind === 'digits' && spec.nonzero && /^0+$/.test(value)) return 'must not be all zeros';
	return undefined;
}

/** The value as reported: an enum or literal in its configured spelling, anything else as written. */
export function reportedValue(spec: FieldSpec, text: string): string {
	if (spec.kind === 'literal') return spec.value;
	if (spec.kind === 'enum') return spec.values.find(value => value === text) ?? spec.values.find(value => equalsIgnoringCase(value, text)) ?? text;
	return text;
}

/** A short description of the field for listings: "5 digits, not all zeros", "one of mov, mp4". */
export function describeField(spec: FieldSpec): string {
	const note = spec.description ? ` (${spec.description})` : '';
	switch (spec.kind) {
		case 'digits':
			return `${requirement(spec).replace('must be ', '')}${spec.nonzero ? ', not all zeros' : ''}${note}`;
		case 'pattern':
			return `matches ${spec.regex}${note}`;
		case 'enum':
			return `one of ${spec.values.join(', ')}${note}`;
		case 'literal':
			return `${spec.value}${note}`;
	}
}
