// What compile() gives: the configured patterns, ready to parse names and map them to folders.
import type {CaseMode, NomenclatureConfig} from './config-shape.js';
import type {LayoutFolderCheck} from './folder-fit.js';
import type {FolderArgs} from './folder-mapping.js';
import type {ExampleProblem, ParseResult, PatternError} from './types.js';

export type PatternInfo = {
	key: string;
	active: boolean;
	enabled: boolean;
	description: string;
	template: string;
	fields: Array<{name: string; kind: string; describe: string}>;
	examples: string[];
	/** Why this pattern cannot be used (an empty list when it compiles). */
	errors: string[];
};

export type ParseOptions = {
	/** Match only this pattern (its key), as `--pattern KEY` does; throws UnknownPatternError if there is none. */
	pattern?: string;
};

export type Nomenclature = {
	readonly config: NomenclatureConfig;
	readonly active: string;
	readonly caseMode: CaseMode;
	/** The folder layout, e.g. `WIP_BYSHOT/{scene}/{shot}`. */
	readonly layout: string;
	/** The layout one folder per entry: ['WIP_BYSHOT', '{scene}', '{shot}']. */
	readonly layoutSegments: string[];
	/** Every configured pattern in config order, for listings. */
	readonly patterns: PatternInfo[];
	parse(name: string, options?: ParseOptions): ParseResult;
	/** Each pattern's examples parsed under that pattern: the ones that do not (an empty list when all do). */
	validateExamples(): ExampleProblem[];
	/** What keeps patterns or the folder mapping from compiling (for health: "patterns compile"). */
	patternErrors(): PatternError[];
	/**
	 * Whether `name` could be folder `index` of a layout path (0: the first folder below the root): for the scene and
	 * shot folders, whether the mapping of some valid name could produce it, with the format and the folders the
	 * patterns' examples map to there. Other folders (WIP_BYSHOT) always fit.
	 */
	layoutFolder(index: number, name: string): LayoutFolderCheck & {examples: string[]};
	/** The folder path for explicit SCENE/SHOT folder names; throws FolderMappingError. */
	folderPathFor(args: FolderArgs): string[];
};
