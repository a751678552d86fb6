import type {CaseMode, PatternConfig} from './config-shape.js';
import {caselessSource, escapeRegex, literalsIgnoreCase} from './case-mode.js';
import {compileField, fieldSource, type CompiledField} from './field-kinds.js';
import {parsePlaceholders, placeholderNames, type TemplatePart} from './placeholders.js';
import type {ConfigProblem} from './types.js';

export type NamePart = {type: 'literal'; text: string} | {type: 'field'; field: CompiledField};

export type CompiledPattern = {
	key: string;
	config: PatternConfig;
	parts: NamePart[];
	/** Anchored, with one named group per field; `d` gives each group's position for diagnostics. */
	regex: RegExp;
	folder: {sequence: TemplatePart[] | null; shot: TemplatePart[]};
};

export type PatternCompilation = {pattern?: CompiledPattern; problems: ConfigProblem[]};

function checkRegex(source: string): string | undefined {
	try {
		const regex = new RegExp(`^(?:${source})$`);
		if (regex.test('')) return 'regex must not match an empty value';
	} catch (error) {
		return `regex does not compile: ${(error as Error).message}`;
	}
	return undefined;
}

function compileFormat(
	text: string,
	allowed: ReadonlySet<string>,
	path: Array<string | number>,
	problems: ConfigProblem[],
	key: string,
): TemplatePart[] | undefined {
	const parsed = parsePlaceholders(text);
	if (!parsed.ok) {
		problems.push({path, message: parsed.error, pattern: key});
		return undefined;
	}
	for (const name of placeholderNames(parsed.parts)) {
		if (!allowed.has(name)) problems.push({path, message: `{${name}} is not a field of this pattern (fields: ${[...allowed].join(', ')})`, pattern: key});
	}
	return parsed.parts;
}

/** Compiles one pattern of the config. Never throws: what is wrong comes back as problems with config paths. */
export function compilePattern(key: string, config: PatternConfig, mode: CaseMode): PatternCompilation {
	const base = ['patterns', key];
	const problems: ConfigProblem[] = [];
	const problem = (path: Array<string | number>, message: string) => problems.push({path: [...base, ...path], message, pattern: key});

	const fields = new Map<string, CompiledField>();
	for (const [name, spec] of Object.entries(config.fields)) {
		if (spec.kind === 'digits' && spec.max_length < spec.min_length) {
			problem(['fields', name, 'max_length'], `max_length ${spec.max_length} is less than min_length ${spec.min_length}`);
			continue;
		}
		if (spec.kind === 'pattern') {
			const error = checkRegex(spec.regex);
			if (error) {
				problem(['fields', name, 'regex'], error);
				continue;
			}
		}
		if (spec.kind === 'enum' && new Set(spec.values).size !== spec.values.length) {
			problem(['fields', name, 'values'], 'values must be unique');
			continue;
		}
		fields.set(name, compileField(name, spec, mode));
	}

	const template = parsePlaceholders(config.template);
	const parts: NamePart[] = [];
	if (!template.ok) problem(['template'], template.error);
	else {
		const used = new Set<string>();
		for (const part of template.parts) {
			if (part.type === 'literal') {
				parts.push(part);
				continue;
			}
			if (part.width !== undefined) problem(['template'], `{${part.name}:${part.width}}: widths belong in folder formats, not in the name template`);
			if (used.has(part.name)) problem(['template'], `{${part.name}} appears twice`);
			used.add(part.name);
			if (!(part.name in config.fields)) problem(['template'], `{${part.name}} is not defined in fields`);
			const field = fields.get(part.name);
			if (field) parts.push({type: 'field', field});
		}
		for (const name of Object.keys(config.fields)) if (!used.has(name)) problem(['fields', name], `field ${name} is not used in the template`);
		if (!parts.some(part => part.type === 'field')) problem(['template'], 'template has no {field}');
	}

	const allowed = new Set(Object.keys(config.fields));
	const sequence = config.folder.sequence === null ? null : compileFormat(config.folder.sequence, allowed, [...base, 'folder', 'sequence'], problems, key);
	const shot = compileFormat(config.folder.shot, allowed, [...base, 'folder', 'shot'], problems, key);

	if (problems.length > 0 || sequence === undefined || shot === undefined) return {problems};

	const source = parts
		.map(part => {
			if (part.type === 'field') return `(?<${part.field.name}>${fieldSource(part.field)})`;
			return literalsIgnoreCase(mode) ? caselessSource(part.text) : escapeRegex(part.text);
		})
		.join('');
	let regex: RegExp;
	try {
		regex = new RegExp(`^${source}$`, `d${mode === 'insensitive' ? 'i' : ''}`);
	} catch (error) {
		// A field regex can compile alone and still break the whole, e.g. with a named group of its own.
		problem(['template'], `the template's regex does not compile: ${(error as Error).message}`);
		return {problems};
	}
	return {pattern: {key, config, parts, regex, folder: {sequence, shot}}, problems};
}
