import path from 'node:path';
import {createScanner, findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError, type SyntaxKind} from 'jsonc-parser';
import type {z} from 'zod';
import {ConfigError} from './config-error.js';
import {deepMerge} from './deep-merge.js';
import {readRegularFile, UnreadableFileError} from './read-regular-file.js';

// ConfigError lives in its own module so that cli.ts can name it without loading jsonc-parser (bench: startup).
export {ConfigError};

export type LoadedFile<T> = {value: T; file: string; exists: boolean};

/** The shipped files are a few KiB; anything near this is a mistake (or an attack), not a configuration. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** The deepest shipped setting is 5 levels down. Parsing, merging and validating recurse once per level. */
export const MAX_CONFIG_DEPTH = 64;

function displayPath(file: string): string {
	const relative = path.relative(process.cwd(), file);
	return relative && !relative.startsWith('..') ? relative : file;
}

function lineColumn(text: string, offset: number): {line: number; column: number} {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text.charCodeAt(i) === 10) {
			line++;
			lineStart = i + 1;
		}
	}
	return {line, column: offset - lineStart + 1};
}

function jsonTypeName(node: Node | undefined): string {
	if (!node) return 'nothing';
	if (node.type === 'null') return 'null';
	return node.type;
}

/** The deepest node that exists along the issue path, so an error points as close as possible. */
function nodeForPath(root: Node, issuePath: PropertyKey[]): {node: Node; exact: boolean} {
	const segments = issuePath.map(segment => (typeof segment === 'number' ? segment : String(segment)));
	for (let length = segments.length; length > 0; length--) {
		const node = findNodeAtLocation(root, segments.slice(0, length));
		if (node) return {node, exact: length === segments.length};
	}
	return {node: root, exact: segments.length === 0};
}

function describeIssue(issue: z.core.$ZodIssue, node: Node | undefined, exact: boolean): string {
	const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
	switch (issue.code) {
		case 'invalid_type':
			return `expected ${issue.expected}, got ${exact ? jsonTypeName(node) : 'nothing (missing)'}${where}`;
		case 'unrecognized_keys':
			return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `"${k}"`).join(', ')}${where}`;
		case 'too_big':
		case 'too_small':
			// A bound says what is allowed; the value the user wrote says what to change.
			return exact && node?.type === 'number' ? `${issue.message}, got ${String(node.value)}${where}` : `${issue.message}${where}`;
		default:
			return `${issue.message}${where}`;
	}
}

/**
 * Reads a JSON-with-comments file, merges it deeply over the defaults and validates the result.
 * A missing file yields the defaults. Any problem throws a ConfigError naming file:line:col.
 */
export function loadConfigFile<S extends z.ZodType>(file: string, schema: S, defaults: z.infer<S>): LoadedFile<z.infer<S>> {
	const shown = displayPath(file);
	let text: string | null;
	try {
		text = readRegularFile(file, {maxBytes: MAX_CONFIG_BYTES, what: 'a config file'});
	} catch (error) {
		if (error instanceof UnreadableFileError) throw new ConfigError(shown, 1, 1, error.problem);
		throw new ConfigError(shown, 1, 1, `cannot read: ${(error as Error).message}`);
	}
	if (text === null) return {value: defaults, file: shown, exists: false};

	const tooDeep = firstTooDeep(text, MAX_CONFIG_DEPTH);
	if (tooDeep !== undefined) {
		const {line, column} = lineColumn(text, tooDeep);
		throw new ConfigError(shown, line, column, `nested deeper than ${MAX_CONFIG_DEPTH} levels`);
	}

	const errors: ParseError[] = [];
	const root = parseTree(text, errors, {allowTrailingComma: true, disallowComments: false});
	if (errors.length > 0 || !root) {
		const first = errors[0];
		const {line, column} = lineColumn(text, first?.offset ?? 0);
		throw new ConfigError(shown, line, column, first ? `invalid JSON: ${printParseErrorCode(first.error)}` : 'empty file');
	}
	if (root.type !== 'object') throw new ConfigError(shown, 1, 1, `expected an object at the top level, got ${root.type}`);

	// Validate the user's own keys first so positions point into their file, then the merged whole.
	const merged = deepMerge(defaults, JSON.parse(JSON.stringify(evaluate(root))));
	const result = schema.safeParse(merged);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		const {node, exact} = nodeForPath(root, issue.path);
		const {line, column} = lineColumn(text, node.offset);
		throw new ConfigError(shown, line, column, describeIssue(issue, node, exact));
	}
	return {value: result.data, file: shown, exists: true};
}

/**
 * The offset of the first bracket that opens a level deeper than `max`, or undefined. A flat token scan (comments
 * and strings understood), because the parser recurses once per level and would overflow the stack first.
 */
// jsonc-parser's SyntaxKind is a const enum, which isolatedModules cannot read: its values, spelled out.
const OPEN_BRACE = 1 as SyntaxKind;
const CLOSE_BRACE = 2 as SyntaxKind;
const OPEN_BRACKET = 3 as SyntaxKind;
const CLOSE_BRACKET = 4 as SyntaxKind;
const EOF = 17 as SyntaxKind;

function firstTooDeep(text: string, max: number): number | undefined {
	const scanner = createScanner(text, false);
	let depth = 0;
	for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
		if (token === OPEN_BRACE || token === OPEN_BRACKET) {
			if (++depth > max) return scanner.getTokenOffset();
		} else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) {
			depth = Math.max(0, depth - 1);
		}
	}
	return undefined;
}

function evaluate(node: Node): unknown {
	switch (node.type) {
		case 'object':
			return Object.fromEntries(
				(node.children ?? []).map(property => [property.children![0]!.value as string, evaluate(property.children![1]!)]),
			);
		case 'array':
			return (node.children ?? []).map(evaluate);
		default:
			return node.value;
	}
}
