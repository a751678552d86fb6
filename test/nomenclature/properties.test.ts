import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {caseModes, nomenclatureDefaults, type FieldSpec, type PatternConfig} from '../../source/nomenclature/config-shape.js';
import {compile, type Nomenclature, type ParseResult} from '../../source/nomenclature/index.js';
import {parsePlaceholders} from '../../source/nomenclature/placeholders.js';

const nomenclature = compile(nomenclatureDefaults);
const patternKeys = Object.keys(nomenclatureDefaults.patterns);

function fieldArbitrary(spec: FieldSpec): fc.Arbitrary<string> {
	switch (spec.kind) {
		case 'digits':
			return fc
				.string({unit: fc.constantFrom(...'0123456789'), minLength: spec.min_length, maxLength: spec.max_length})
				.filter(value => !spec.nonzero || /[1-9]/.test(value));
		case 'pattern':
			return fc.stringMatching(new RegExp(`^(?:${spec.regex})$`)).filter(value => value.length <= 12);
		case 'enum':
			return fc.constantFrom(...spec.values);
		case 'literal':
			return fc.constant(spec.value);
	}
}

function render(pattern: PatternConfig, fields: Record<string, string>): string {
	const parsed = parsePlaceholders(pattern.template);
	if (!parsed.ok) throw new Error(parsed.error);
	return parsed.parts.map(part => (part.type === 'literal' ? part.text : fields[part.name])).join('');
}

/** A valid name of one built-in pattern, with the fields it was built from. Arbitraries are built once per pattern. */
const validName = fc.oneof(
	...patternKeys.map(key => {
		const pattern = nomenclatureDefaults.patterns[key]!;
		const fields = fc.record(Object.fromEntries(Object.entries(pattern.fields).map(([name, spec]) => [name, fieldArbitrary(spec)])));
		return fields.map(values => ({key, fields: values as Record<string, string>, name: render(pattern, values as Record<string, string>)}));
	}),
);

// Characters that matter to the patterns (separators, digits, letters in both cases) and a few that should not.
const mutationChar = fc.oneof(
	fc.constantFrom(...'_.-vVsSqQ019AZaz '),
	fc.constantFrom('\u0000', '\n', '/', 'é', 'ß', 'ſ', '\u212a', '😀', '\ud800'),
);

// Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit is much slower to generate).
const anyCodeUnit = fc.integer({min: 0, max: 0xffff}).map(code => String.fromCharCode(code));

type Mutation = {kind: 'replace' | 'insert' | 'delete'; at: number; char: string};

function mutate(name: string, mutation: Mutation): string {
	const at = Math.min(mutation.at, mutation.kind === 'insert' ? name.length : name.length - 1);
	if (mutation.kind === 'insert') return name.slice(0, at) + mutation.char + name.slice(at);
	if (mutation.kind === 'delete') return name.slice(0, at) + name.slice(at + 1);
	return name.slice(0, at) + mutation.char + name.slice(at + 1);
}

/** An oracle independent of the engine: whether a reported value satisfies its field spec (strict case). */
function satisfies(spec: FieldSpec, value: string): boolean {
	switch (spec.kind) {
		case 'digits':
			return /^[0-9]+$/.test(value) && value.length >= spec.min_length && value.length <= spec.max_length && (!spec.nonzero || /[1-9]/.test(value));
		case 'pattern':
			return new RegExp(`^(?:${spec.regex})$`).test(value);
		case 'enum':
			return spec.values.includes(value);
		case 'literal':
			return value === spec.value;
	}
}

function fail(name: string, problem: string): never {
	throw new Error(`${JSON.stringify(name)}: ${problem}`);
}

/** The invariants every result keeps, valid or not (plain checks: this runs thousands of times). */
function checkResult(engine: Nomenclature, name: string, result: ParseResult, strictCase: boolean): void {
	if (result.name !== name) fail(name, `result names ${JSON.stringify(result.name)}`);
	if (result.ok) {
		// A valid name really is its pattern's template filled with its fields (in strict mode, character for character).
		const rendered = render(engine.config.patterns[result.pattern]!, result.fields);
		const same = strictCase ? rendered === name : rendered.toLowerCase() === name.toLowerCase();
		if (!same) fail(name, `valid under ${result.pattern}, but its fields render as ${JSON.stringify(rendered)}`);
		if (strictCase) {
			for (const [field, spec] of Object.entries(engine.config.patterns[result.pattern]!.fields)) {
				if (!satisfies(spec, result.fields[field]!)) fail(name, `valid, but ${field}=${result.fields[field]} breaks its spec`);
			}
		}
		return;
	}
	if (result.diagnostics.length === 0) fail(name, 'refused without a diagnostic');
	for (const diagnostic of result.diagnostics) {
		if (typeof diagnostic.message !== 'string' || diagnostic.message.length === 0) fail(name, 'empty diagnostic');
		const {position} = diagnostic;
		if (position !== undefined && (position < 0 || position > name.length)) fail(name, `position ${position} outside the name`);
	}
	if (result.tried.length === 0) fail(name, 'refused without trying a pattern');
}

describe('nomenclature properties', () => {
	it('every generated valid name parses back to the fields it was built from', () => {
		fc.assert(
			fc.property(validName, ({key, fields, name}) => {
				const forced = nomenclature.parse(name, {pattern: key});
				expect(forced).toMatchObject({ok: true, pattern: key, fields});
				// Unforced, some pattern takes it (the active one first), and its folder mapping is deterministic.
				const any = nomenclature.parse(name);
				expect(any.ok).toBe(true);
				expect(nomenclature.parse(name)).toEqual(any);
			}),
			{numRuns: 1000},
		);
	});

	it('every single-character mutation of a valid name is still valid or gets a diagnostic, never a crash', () => {
		const mutation = fc.record({kind: fc.constantFrom<Mutation['kind']>('replace', 'insert', 'delete'), at: fc.nat({max: 40}), char: mutationChar});
		fc.assert(
			fc.property(validName, mutation, ({key, name}, change) => {
				const mutated = mutate(name, change);
				checkResult(nomenclature, mutated, nomenclature.parse(mutated), true);
				checkResult(nomenclature, mutated, nomenclature.parse(mutated, {pattern: key}), true);
			}),
			{numRuns: 2000},
		);
	});

	it('a mutation that breaks the forced pattern is pinned to a position at or before the change', () => {
		fc.assert(
			fc.property(validName, fc.nat({max: 40}), fc.constantFrom(...'#-+'), ({key, name}, at, char) => {
				// These characters appear in no built-in pattern, so the name cannot stay valid.
				const position = Math.min(at, name.length - 1);
				const mutated = name.slice(0, position) + char + name.slice(position + 1);
				const result = nomenclature.parse(mutated, {pattern: key});
				expect(result.ok).toBe(false);
				if (!result.ok) expect(result.diagnostics[0]!.position).toBeLessThanOrEqual(position);
			}),
			{numRuns: 500},
		);
	});

	it('arbitrary strings never crash the parser, in every case mode', () => {
		const engines = caseModes.map(mode => ({mode, engine: compile({...nomenclatureDefaults, case: mode})}));
		fc.assert(
			fc.property(fc.oneof(fc.string({maxLength: 40}), fc.string({unit: anyCodeUnit, maxLength: 40})), fc.constantFrom(...engines), (name, {mode, engine}) => {
				checkResult(engine, name, engine.parse(name), mode === 'strict');
			}),
			{numRuns: 1000},
		);
	});

	it('upper mode accepts any casing of a valid name and reports the canonical fields', () => {
		const upper = compile({...nomenclatureDefaults, case: 'upper'});
		fc.assert(
			fc.property(validName, fc.array(fc.boolean(), {minLength: 40, maxLength: 40}), ({key, fields, name}, flips) => {
				const scrambled = [...name].map((char, i) => (flips[i] ? char.toLowerCase() : char.toUpperCase())).join('');
				expect(upper.parse(scrambled, {pattern: key})).toMatchObject({ok: true, fields});
			}),
			{numRuns: 300},
		);
	});
});
