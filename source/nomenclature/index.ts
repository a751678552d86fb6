// The nomenclature engine: file-name patterns from config/nomenclature.json, precise diagnostics and the folder a
// name maps to. Pure: no I/O, so the CLI, uploads, health and the console all call it directly.
import type {NomenclatureConfig} from './config-shape.js';
import {compileConfig} from './compile-config.js';
import type {CompiledPattern} from './compile-pattern.js';
import {describeField} from './field-kinds.js';
import {compileFolderFit, type LayoutFolderCheck} from './folder-fit.js';
import {FolderMappingError, folderPathFor, mapFolder} from './folder-mapping.js';
import {attempt, bestFailure, type Attempt} from './parse.js';
import type {Nomenclature, ParseOptions, PatternInfo} from './nomenclature-type.js';
import type {ExampleProblem, ParseResult, PatternError, RejectedName} from './types.js';

export type {Nomenclature, ParseOptions, PatternInfo};

export type {Diagnostic, ExampleProblem, ParsedName, ParseResult, PatternError, RejectedName} from './types.js';
export {FolderMappingError, folderNameProblem, type FolderArgs} from './folder-mapping.js';
export type {FolderLevel, LayoutFolderCheck} from './folder-fit.js';
export {formatPatternList, formatResult, oneLineFailure} from './format.js';
export {shotVersionOf, type ShotVersion} from './shot-version.js';

/** A `--pattern KEY` that names no usable pattern. */
export class UnknownPatternError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnknownPatternError';
	}
}

export function compile(config: NomenclatureConfig): Nomenclature {
	const compiled = compileConfig(config);
	const errors: PatternError[] = compiled.problems.map(problem => ({
		pattern: problem.pattern ?? null,
		message: `${problem.path.join('.')}: ${problem.message}`,
	}));

	const usable = (key: string) => {
		const pattern = compiled.patterns.get(key);
		return pattern && pattern.config.enabled ? pattern : undefined;
	};
	const activePattern = usable(config.active);
	const defaultOrder: CompiledPattern[] = [
		...(activePattern ? [activePattern] : []),
		...[...compiled.patterns.values()].filter(pattern => pattern.config.enabled && pattern !== activePattern),
	];

	function order(options: ParseOptions | undefined): CompiledPattern[] {
		if (options?.pattern === undefined) return defaultOrder;
		const key = options.pattern;
		if (!Object.hasOwn(config.patterns, key)) {
			throw new UnknownPatternError(`unknown pattern "${key}" (patterns: ${Object.keys(config.patterns).join(', ')})`);
		}
		const pattern = compiled.patterns.get(key);
		if (!pattern) {
			const why = errors.filter(error => error.pattern === key).map(error => error.message);
			throw new UnknownPatternError(`pattern "${key}" does not compile: ${why.join('; ')}`);
		}
		return [pattern];
	}

	function accepted(name: string, result: Extract<Attempt, {ok: true}>): ParseResult {
		const mapping = compiled.folders
			? mapFolder(compiled.folders, result.pattern, result.fields)
			: {folderPath: null, folderNote: 'no folder mapping: the folders section of the config does not compile'};
		const base = {ok: true as const, name, pattern: result.pattern.key, fields: result.fields};
		return mapping.folderPath ? {...base, folderPath: mapping.folderPath} : {...base, folderPath: null, folderNote: mapping.folderNote};
	}

	function parse(name: string, options?: ParseOptions): ParseResult {
		const patterns = order(options);
		const failures: Array<Extract<Attempt, {ok: false}>> = [];
		for (const pattern of patterns) {
			const result = attempt(pattern, name, config.case);
			if (result.ok) return accepted(name, result);
			failures.push(result);
		}
		if (failures.length === 0) {
			return {
				ok: false,
				name,
				pattern: config.active,
				diagnostics: [{message: `no usable naming pattern: ${errors.map(error => error.message).join('; ') || 'every pattern is disabled'}`}],
				tried: [],
				examples: [],
			};
		}
		const best = bestFailure(failures, config.active);
		const examples = [...new Set([...(activePattern && !options?.pattern ? activePattern.config.examples : []), ...best.pattern.config.examples])];
		const rejected: RejectedName = {
			ok: false,
			name,
			pattern: best.pattern.key,
			diagnostics: best.walk.diagnostics,
			tried: failures.map(failure => ({pattern: failure.pattern.key, failure: failure.walk.diagnostics[0]!.message})),
			examples,
		};
		return rejected;
	}

	const patterns: PatternInfo[] = Object.entries(config.patterns).map(([key, pattern]) => ({
		key,
		active: key === config.active,
		enabled: pattern.enabled,
		description: pattern.description,
		template: pattern.template,
		fields: Object.entries(pattern.fields).map(([name, spec]) => ({name, kind: spec.kind, describe: describeField(spec)})),
		examples: pattern.examples,
		errors: errors.filter(error => error.pattern === key).map(error => error.message),
	}));

	const folderFit = compiled.folders ? compileFolderFit(compiled.folders, defaultOrder, config.case) : undefined;
	// What the patterns' own examples map to, folder by folder: the "e.g." of a refusal.
	let exampleFolders: string[][] | undefined;
	const examplesAt = (index: number) => {
		exampleFolders ??= defaultOrder.flatMap(pattern =>
			pattern.config.examples.flatMap(example => {
				const result = parse(example, {pattern: pattern.key});
				return result.ok && result.folderPath ? [result.folderPath] : [];
			}),
		);
		return [...new Set(exampleFolders.map(folderPath => folderPath[index]).filter((name): name is string => name !== undefined))];
	};

	return {
		config,
		active: config.active,
		caseMode: config.case,
		layout: config.folders.layout,
		layoutSegments: config.folders.layout.split('/'),
		patterns,
		parse,
		validateExamples() {
			const problems: ExampleProblem[] = [];
			for (const pattern of compiled.patterns.values()) {
				for (const example of pattern.config.examples) {
					const result = parse(example, {pattern: pattern.key});
					if (!result.ok) problems.push({pattern: pattern.key, example, message: result.diagnostics.map(d => d.message).join('; ')});
				}
			}
			return problems;
		},
		patternErrors: () => [...errors],
		layoutFolder(index, name) {
			const check: LayoutFolderCheck = folderFit ? folderFit(index, name) : {level: null, fits: true, format: ''};
			return {...check, examples: check.level === null ? [] : examplesAt(index)};
		},
		folderPathFor(args) {
			if (!compiled.folders) throw new FolderMappingError('the folders section of the nomenclature config does not compile');
			return folderPathFor(compiled.folders, args);
		},
	};
}
