// Whether a folder name could be a scene or shot folder of the layout: what the mapping of some valid name could
// produce. The upload commands ask before they create a folder someone typed (`test-upload x.mov sc01_seq01 shot42`),
// so that a typo does not become a folder beside SC01_SEQ01.
//
// Each enabled pattern gives one regex per layout folder: the scene format (SC{sequence:2}_{name}) filled with the
// pattern's sequence label, the pattern's shot format ({project}_{shot:5}) filled with its fields' own syntax, and
// `{x:N}` as N or more digits (the padded number). A pattern without a sequence stands for folders.default_scene.
import type {CaseMode} from './config-shape.js';
import {escapeRegex, patternFlags} from './case-mode.js';
import type {CompiledPattern} from './compile-pattern.js';
import {fieldSource} from './field-kinds.js';
import type {CompiledFolders} from './folder-mapping.js';
import {placeholderNames, type TemplatePart} from './placeholders.js';

export type FolderLevel = 'scene' | 'shot';

export type LayoutFolderCheck = {
	/** The level this folder of the layout is, or null for a folder the user never names (WIP_BYSHOT). */
	level: FolderLevel | null;
	/** Whether the name could come out of the mapping of a valid name (always true when level is null). */
	fits: boolean;
	/** The format as configured, for messages: `SC{sequence:2}_{name}`, `{project}_{shot:5}`. */
	format: string;
};

/** The level of one layout folder: the one it names ({shot} wins when a folder names both). */
export function levelOf(segment: readonly TemplatePart[]): FolderLevel | null {
	const names = placeholderNames([...segment]);
	if (names.includes('shot')) return 'shot';
	if (names.includes('scene')) return 'scene';
	return null;
}

type Sources = {scene: string | null; shot: string; field(name: string, width?: number): string};

/** The regex sources one pattern gives {scene}, {shot} and its own fields. */
function patternSources(folders: CompiledFolders, pattern: CompiledPattern): Sources {
	const fields = new Map(pattern.parts.flatMap(part => (part.type === 'field' ? [[part.field.name, part.field] as const] : [])));
	const field = (name: string, width?: number) => {
		if (width !== undefined) return `[0-9]{${width},}`;
		const compiled = fields.get(name);
		return compiled ? `(?:${fieldSource(compiled)})` : '.+';
	};
	const fill = (parts: readonly TemplatePart[], value: (part: Extract<TemplatePart, {type: 'field'}>) => string) =>
		parts.map(part => (part.type === 'literal' ? escapeRegex(part.text) : value(part))).join('');
	const shot = fill(pattern.folder.shot, part => field(part.name, part.width));
	let scene: string | null;
	if (pattern.folder.sequence === null) scene = folders.defaultScene === null ? null : escapeRegex(folders.defaultScene);
	else {
		const label = `(?:${fill(pattern.folder.sequence, part => field(part.name, part.width))})`;
		const names = Object.values(folders.sceneNames).map(escapeRegex);
		scene = fill(folders.scene, part => {
			if (part.width !== undefined) return `[0-9]{${part.width},}`;
			return part.name === 'name' && names.length > 0 ? `(?:${label}|${names.join('|')})` : label;
		});
	}
	return {scene, shot, field};
}

function segmentRegex(segment: readonly TemplatePart[], sources: Sources, flags: string): RegExp | undefined {
	let source = '';
	for (const part of segment) {
		if (part.type === 'literal') source += escapeRegex(part.text);
		else if (part.name === 'scene') {
			if (sources.scene === null) return undefined;
			source += `(?:${sources.scene})`;
		} else if (part.name === 'shot') source += `(?:${sources.shot})`;
		else source += sources.field(part.name, part.width);
	}
	try {
		return new RegExp(`^(?:${source})$`, flags);
	} catch {
		// A field regex with a named group of its own can break when used twice: that pattern then vouches for nothing.
		return undefined;
	}
}

function formatText(segment: readonly TemplatePart[], folders: CompiledFolders, patterns: readonly CompiledPattern[]): string {
	const text = (parts: readonly TemplatePart[]) => parts.map(part => (part.type === 'literal' ? part.text : `{${part.name}${part.width ? `:${part.width}` : ''}}`)).join('');
	const shots = [...new Set(patterns.map(pattern => text(pattern.folder.shot)))];
	return segment
		.map(part => {
			if (part.type === 'literal') return part.text;
			if (part.name === 'scene') return text(folders.scene);
			if (part.name === 'shot') return shots.join(' or ');
			return text([part]);
		})
		.join('');
}

/** Checks names against layout folder `index`, for the enabled patterns. */
export function compileFolderFit(folders: CompiledFolders, patterns: readonly CompiledPattern[], mode: CaseMode): (index: number, name: string) => LayoutFolderCheck {
	const perSegment = folders.layout.map(segment => {
		const level = levelOf(segment);
		if (level === null) return {level, regexes: [] as RegExp[], format: formatText(segment, folders, patterns)};
		const regexes = patterns.map(pattern => segmentRegex(segment, patternSources(folders, pattern), patternFlags(mode))).filter((regex): regex is RegExp => regex !== undefined);
		return {level, regexes, format: formatText(segment, folders, patterns)};
	});
	return (index, name) => {
		const segment = perSegment[index];
		if (!segment || segment.level === null) return {level: null, fits: true, format: segment?.format ?? ''};
		return {level: segment.level, fits: segment.regexes.some(regex => regex.test(name)), format: segment.format};
	};
}
