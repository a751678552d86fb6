/** One thing wrong with a name: which field (when it is a field), what, and where (0-based, in characters). */
export type Diagnostic = {
	field?: string;
	message: string;
	position?: number;
	/** How many characters of the name the problem covers, for a caret line under it. */
	length?: number;
};

export type ParsedName = {
	ok: true;
	name: string;
	/** Key of the pattern that matched. */
	pattern: string;
	/** Every field of that pattern: project, sequence, shot, version, extension… (enum values in their configured case). */
	fields: Record<string, string>;
	/** Folder path below the project root, or null when this name maps to no folder (see folderNote). */
	folderPath: string[] | null;
	/** Why folderPath is null. */
	folderNote?: string;
};

export type RejectedName = {
	ok: false;
	name: string;
	/** Key of the pattern whose diagnostics these are: the best attempt. */
	pattern: string;
	diagnostics: Diagnostic[];
	/** Every pattern tried, in the order tried (the active one first), with its first failure. */
	tried: Array<{pattern: string; failure: string}>;
	/** Names that would be valid: the best attempt's examples, the active pattern's first. */
	examples: string[];
};

export type ParseResult = ParsedName | RejectedName;

/** A config mistake: where it is in the config (a path for file:line:col) and what. */
export type ConfigProblem = {path: Array<string | number>; message: string; pattern?: string};

/** A config mistake as health shows it. */
export type PatternError = {pattern: string | null; message: string};

export type ExampleProblem = {pattern: string; example: string; message: string};
