import type {CaseMode} from './config-shape.js';
import {normalizeName} from './case-mode.js';
import type {CompiledPattern} from './compile-pattern.js';
import {reportedValue} from './field-kinds.js';
import {checkValue, walkPattern, type Walk} from './walk.js';
import type {Diagnostic} from './types.js';

export type Attempt =
	| {ok: true; pattern: CompiledPattern; fields: Record<string, string>}
	/** shapeMatched: the name has the pattern's shape and only values are out of range (all zeros). */
	| {ok: false; pattern: CompiledPattern; walk: Walk; shapeMatched: boolean};

/** Matches one name against one pattern: the regex decides, the walk explains a refusal. */
export function attempt(pattern: CompiledPattern, name: string, mode: CaseMode): Attempt {
	const text = normalizeName(name, mode);
	const match = pattern.regex.exec(text);
	if (!match) {
		const walk = walkPattern(pattern, text, name, mode);
		// The walk takes each value longest-first and does not backtrack across fields, so in odd cases (two adjacent
		// fields, exotic case folding) it can read a name the regex refused as fine: then the template itself is the
		// diagnostic, so that a refusal always says something.
		if (walk.diagnostics.length === 0) {
			walk.diagnostics.push({message: `does not match ${pattern.config.template}`, position: 0, length: Math.max(1, name.length)});
		}
		return {ok: false, pattern, walk, shapeMatched: false};
	}
	const fields: Record<string, string> = {};
	const diagnostics: Diagnostic[] = [];
	for (const part of pattern.parts) {
		if (part.type !== 'field') continue;
		const {name: fieldName, spec} = part.field;
		const value = match.groups![fieldName]!;
		const [start] = match.indices!.groups![fieldName]!;
		checkValue(part.field, value, name.slice(start, start + value.length), start, diagnostics);
		fields[fieldName] = reportedValue(spec, value);
	}
	if (diagnostics.length > 0) return {ok: false, pattern, walk: {diagnostics, progress: text.length + 1}, shapeMatched: true};
	return {ok: true, pattern, fields};
}

function firstProblemAt(failure: Extract<Attempt, {ok: false}>): number {
	return failure.walk.diagnostics[0]?.position ?? 0;
}

/**
 * The refusal to show among several: one that has the name's shape with only out-of-range values; else the one
 * whose first problem comes furthest into the name (it read the most of it); then the one whose walk went
 * furthest, the active pattern on a tie, the one with fewer problems, and config order (attempts come in order).
 */
export function bestFailure(failures: Array<Extract<Attempt, {ok: false}>>, active: string): Extract<Attempt, {ok: false}> {
	const rank = (failure: Extract<Attempt, {ok: false}>) => [
		failure.shapeMatched ? 1 : 0,
		firstProblemAt(failure),
		failure.walk.progress,
		failure.pattern.key === active ? 1 : 0,
		-failure.walk.diagnostics.length,
	];
	let best = failures[0]!;
	let bestRank = rank(best);
	for (const failure of failures.slice(1)) {
		const candidate = rank(failure);
		const index = candidate.findIndex((value, i) => value !== bestRank[i]);
		if (index >= 0 && candidate[index]! > bestRank[index]!) {
			best = failure;
			bestRank = candidate;
		}
	}
	return best;
}
