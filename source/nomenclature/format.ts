// Plain-text rendering of parse results and pattern listings, shared by the nomenclature command and by
// anything else that has to explain a refused name (uploads with --strict-names, health).
import {printable} from '../format/printable.js';
import type {Nomenclature, PatternInfo} from './nomenclature-type.js';
import type {Diagnostic, ParseResult} from './types.js';

function caretLine(name: string, diagnostic: Diagnostic, indent: string): string[] {
	if (diagnostic.position === undefined) return [];
	const length = Math.max(1, Math.min(diagnostic.length ?? 1, Math.max(1, name.length - diagnostic.position + 1)));
	// The carets under the name as shown: a control character before them is shown as an escape of several cells.
	const before = printable(name.slice(0, diagnostic.position)).length;
	const under = printable(name.slice(diagnostic.position, diagnostic.position + length)).length;
	return [`${indent}${printable(name)}`, `${indent}${' '.repeat(before)}${'^'.repeat(Math.max(1, under))}`];
}

function row(label: string, value: string): string {
	return `  ${label.padEnd(10)} ${value}`;
}

/** "shot must be 5 digits, got 0042; …": a refusal in one line, for logs and one-line outputs. */
export function oneLineFailure(result: Extract<ParseResult, {ok: false}>): string {
	return result.diagnostics.map(diagnostic => printable(diagnostic.message)).join('; ');
}

export function formatResult(result: ParseResult, nomenclature: Nomenclature, shownAs = result.name): string {
	const lines: string[] = [];
	if (result.ok) {
		const pattern = nomenclature.patterns.find(info => info.key === result.pattern);
		lines.push(`${printable(shownAs)}: valid`);
		lines.push(row('pattern', `${result.pattern}${result.pattern === nomenclature.active ? ' (active)' : ''}${pattern ? `: ${pattern.description}` : ''}`));
		for (const [name, value] of Object.entries(result.fields)) lines.push(row(name, printable(value)));
		lines.push(row('folder', result.folderPath ? result.folderPath.map(printable).join('/') : `none: ${printable(result.folderNote ?? '')}`));
		return lines.join('\n');
	}
	lines.push(`${printable(shownAs)}: INVALID (best match: pattern ${result.pattern}${result.pattern === nomenclature.active ? ', the active one' : ''})`);
	for (const diagnostic of result.diagnostics) {
		lines.push(`  - ${printable(diagnostic.message)}`);
		lines.push(...caretLine(result.name, diagnostic, '      '));
	}
	if (result.tried.length > 1) {
		lines.push('  tried');
		for (const tried of result.tried) lines.push(`    ${tried.pattern}: ${printable(tried.failure)}`);
	}
	if (result.examples.length > 0) lines.push(row('examples', result.examples.join(', ')));
	return lines.join('\n');
}

function formatPattern(info: PatternInfo, nomenclature: Nomenclature): string {
	const flags = [info.active ? 'active' : '', info.enabled ? '' : 'disabled'].filter(Boolean);
	const lines = [`${info.active ? '*' : ' '} ${info.key}${flags.length ? ` (${flags.join(', ')})` : ''}: ${info.description}`];
	lines.push(`    template  ${info.template}`);
	for (const field of info.fields) lines.push(`    ${field.name.padEnd(10)}${field.describe}`);
	for (const example of info.examples) {
		const result = info.errors.length > 0 ? undefined : nomenclature.parse(example, {pattern: info.key});
		const where = !result
			? ''
			: result.ok
				? ` → ${result.folderPath ? result.folderPath.join('/') : '(no folder mapping)'}`
				: ` → DOES NOT PARSE: ${oneLineFailure(result)}`;
		lines.push(`    example   ${example}${where}`);
	}
	for (const error of info.errors) lines.push(`    ERROR     ${error}`);
	return lines.join('\n');
}

export function formatPatternList(nomenclature: Nomenclature): string {
	const header = [
		`Naming patterns (case: ${nomenclature.caseMode}; folder layout: ${nomenclature.layout}; * = active, tried first)`,
		'',
	];
	const general = nomenclature.patternErrors().filter(error => error.pattern === null);
	const footer = general.length > 0 ? ['', ...general.map(error => `ERROR ${error.message}`)] : [];
	return [...header, nomenclature.patterns.map(info => formatPattern(info, nomenclature)).join('\n\n'), ...footer].join('\n');
}
