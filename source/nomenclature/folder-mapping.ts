import type {FoldersConfig} from './config-shape.js';
import type {CompiledPattern} from './compile-pattern.js';
import {fillPlaceholders, parsePlaceholders, placeholderNames, type TemplatePart} from './placeholders.js';
import type {ConfigProblem} from './types.js';

/** A SCENE/SHOT (or a mapped name) that cannot become a folder path. */
export class FolderMappingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FolderMappingError';
	}
}

export type CompiledFolders = {
	layout: TemplatePart[][];
	scene: TemplatePart[];
	sceneNames: Readonly<Record<string, string>>;
	defaultScene: string | null;
	/** The layout as configured, for listings. */
	layoutText: string;
};

export type FolderMapping = {folderPath: string[]; folderNote?: undefined} | {folderPath: null; folderNote: string};

/**
 * Why a folder name would be refused, or undefined when it is fine. Frame.io takes 1-255 characters; a slash
 * would split the path, and control characters, `.`/`..` and outer spaces make find-by-name unreliable.
 */
export function folderNameProblem(name: string): string | undefined {
	const length = [...name].length;
	if (length === 0) return 'is empty';
	if (length > 255) return `is ${length} characters long, more than 255`;
	if (name.includes('/')) return 'contains a /';
	if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
	if (name === '.' || name === '..') return `is ${name}`;
	if (name.trim() !== name) return 'starts or ends with a space';
	return undefined;
}

const SCENE_PLACEHOLDERS = new Set(['sequence', 'name']);

/** Compiles the folder section; fieldNames are every field of every pattern (the layout may use them). */
export function compileFolders(config: FoldersConfig, fieldNames: ReadonlySet<string>): {folders?: CompiledFolders; problems: ConfigProblem[]} {
	const problems: ConfigProblem[] = [];
	const layout: TemplatePart[][] = [];
	const allowedInLayout = new Set(['scene', 'shot', ...fieldNames]);
	const segments = config.layout.split('/');
	segments.forEach((segment, index) => {
		const parsed = parsePlaceholders(segment);
		if (!parsed.ok) return problems.push({path: ['folders', 'layout'], message: parsed.error});
		if (parsed.parts.length === 0) return problems.push({path: ['folders', 'layout'], message: `folder ${index + 1} of the layout is empty`});
		for (const name of placeholderNames(parsed.parts)) {
			if (!allowedInLayout.has(name)) problems.push({path: ['folders', 'layout'], message: `{${name}} is neither {scene}, {shot} nor a field of a pattern`});
		}
		const literal = parsed.parts.every(part => part.type === 'literal') ? segment : undefined;
		const problem = literal === undefined ? undefined : folderNameProblem(literal);
		if (problem) problems.push({path: ['folders', 'layout'], message: `folder "${literal}" ${problem}`});
		layout.push(parsed.parts);
	});

	const scene = parsePlaceholders(config.scene);
	if (!scene.ok) problems.push({path: ['folders', 'scene'], message: scene.error});
	else {
		for (const name of placeholderNames(scene.parts)) {
			if (!SCENE_PLACEHOLDERS.has(name)) problems.push({path: ['folders', 'scene'], message: `{${name}} is not available here: use {sequence} or {name}`});
		}
	}
	for (const [label, name] of Object.entries(config.scene_names)) {
		const problem = folderNameProblem(name);
		if (problem) problems.push({path: ['folders', 'scene_names', label], message: `scene name "${name}" ${problem}`});
	}
	if (config.default_scene !== null) {
		const problem = folderNameProblem(config.default_scene);
		if (problem) problems.push({path: ['folders', 'default_scene'], message: `default_scene ${problem}`});
	}
	if (problems.length > 0 || !scene.ok) return {problems};
	return {
		folders: {layout, scene: scene.parts, sceneNames: config.scene_names, defaultScene: config.default_scene, layoutText: config.layout},
		problems,
	};
}

function layoutPath(folders: CompiledFolders, values: Readonly<Record<string, string | undefined>>): FolderMapping {
	const path: string[] = [];
	for (const segment of folders.layout) {
		const filled = fillPlaceholders(segment, values);
		if (!filled.ok) return {folderPath: null, folderNote: `the folder layout ${folders.layoutText} cannot be filled: ${filled.error}`};
		const problem = folderNameProblem(filled.text);
		if (problem) return {folderPath: null, folderNote: `folder name "${filled.text}" ${problem}`};
		path.push(filled.text);
	}
	return {folderPath: path};
}

/** The scene folder's name for a sequence label: "SC01_SEQ01", or "SC01_INTRO" with scene_names {SEQ01: INTRO}. */
export function sceneFolder(folders: CompiledFolders, label: string): {ok: true; scene: string} | {ok: false; error: string} {
	const name = Object.hasOwn(folders.sceneNames, label) ? folders.sceneNames[label] : label;
	const filled = fillPlaceholders(folders.scene, {sequence: label, name});
	if (!filled.ok) return {ok: false, error: `scene folder for sequence ${label}: ${filled.error}`};
	return {ok: true, scene: filled.text};
}

/** Where a parsed name goes: layout filled with its scene folder, shot folder and fields. */
export function mapFolder(folders: CompiledFolders, pattern: CompiledPattern, fields: Readonly<Record<string, string>>): FolderMapping {
	const shot = fillPlaceholders(pattern.folder.shot, fields);
	if (!shot.ok) return {folderPath: null, folderNote: `shot folder: ${shot.error}`};
	let scene: string;
	if (pattern.folder.sequence === null) {
		if (folders.defaultScene === null) {
			return {folderPath: null, folderNote: `no folder mapping: pattern ${pattern.key} has no sequence and folders.default_scene is not set`};
		}
		scene = folders.defaultScene;
	} else {
		const label = fillPlaceholders(pattern.folder.sequence, fields);
		if (!label.ok) return {folderPath: null, folderNote: `sequence label: ${label.error}`};
		const mapped = sceneFolder(folders, label.text);
		if (!mapped.ok) return {folderPath: null, folderNote: mapped.error};
		scene = mapped.scene;
	}
	return layoutPath(folders, {...fields, scene, shot: shot.text});
}

export type FolderArgs = {scene: string; shot: string} & Readonly<Record<string, string>>;

/**
 * The folder path for explicit SCENE/SHOT folder names (as `test-upload FILE SCENE SHOT` passes them):
 * {scene: 'SC01_SEQ01', shot: 'UNDLM_00042'} → ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042'].
 * Throws FolderMappingError when a name is not a valid folder name or the layout needs a value not given.
 */
export function folderPathFor(folders: CompiledFolders, args: FolderArgs): string[] {
	for (const key of ['scene', 'shot'] as const) {
		const problem = folderNameProblem(args[key]);
		if (problem) throw new FolderMappingError(`${key} folder name "${args[key]}" ${problem}`);
	}
	const mapped = layoutPath(folders, args);
	if (mapped.folderPath === null) throw new FolderMappingError(mapped.folderNote);
	return mapped.folderPath;
}
