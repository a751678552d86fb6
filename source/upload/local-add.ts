// A local file someone typed into the console's "add file" prompt, made ready for the queue: `~` expanded, the path
// resolved and checked (it exists, is a regular file, is not empty) before anything is said about its name; then its
// folder: the one its name maps to, or the SCENE/SHOT given for it. A name that maps to no folder is not an error
// here: the answer says a scene and shot are needed, and the prompt asks for them.
import {printable} from '../format/printable.js';
import {statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {oneLineFailure, type Nomenclature} from '../nomenclature/index.js';
import {UploadInputError} from './add-input.js';
import {planTarget} from './name-target.js';

export type SceneShot = {scene: string; shot: string};

export type LocalAddPlan = {path: string; name: string; size: number} & ({folderPath: string[]} | {folderPath: null; reason: string});

export type LocalAddOptions = {cwd?: string; home?: string};

/** `~` and `~/…` are the home directory (as a shell would have it); `~user` is left alone. */
export function expandHome(input: string, home: string = os.homedir()): string {
	return input === '~' || input.startsWith('~/') ? path.join(home, input.slice(1)) : input;
}

/** The file behind what was typed, checked; UploadInputError (naming it as typed) when it cannot be uploaded. */
export function localFileOf(input: string, options: LocalAddOptions = {}): {path: string; size: number} {
	const typed = input.trim();
	if (typed === '') throw new UploadInputError('no file given');
	const absolute = path.resolve(options.cwd ?? process.cwd(), expandHome(typed, options.home));
	const shown = absolute === typed ? printable(typed) : `${printable(typed)} (${printable(absolute)})`;
	let info;
	try {
		info = statSync(absolute);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UploadInputError(code === 'ENOENT' || code === 'ENOTDIR' ? `no such file: ${shown}` : `cannot read ${shown}: ${code ?? String(error)}`);
	}
	if (!info.isFile()) throw new UploadInputError(`not a regular file: ${shown}`);
	if (info.size < 1) throw new UploadInputError(`${shown} is empty: Frame.io needs at least 1 byte`);
	return {path: absolute, size: info.size};
}

/**
 * Where the typed file goes. The file is checked first (UploadInputError); then, without `folder`, the folder its
 * name maps to, or null with the reason when there is none; with `folder`, that SCENE/SHOT (UploadInputError when it
 * cannot be a folder path).
 */
export function planLocalAdd(input: string, nomenclature: Nomenclature, folder?: SceneShot, options: LocalAddOptions = {}): LocalAddPlan {
	const file = localFileOf(input, options);
	const name = path.basename(file.path);
	if (folder) {
		const plan = planTarget(name, nomenclature, {...folder, strictNames: false});
		if (!plan.ok) throw new UploadInputError(plan.reason);
		return {...file, name, folderPath: plan.folderPath};
	}
	const parsed = nomenclature.parse(name);
	if (!parsed.ok) return {...file, name, folderPath: null, reason: `${printable(name)} does not follow the naming patterns: ${oneLineFailure(parsed)}`};
	if (!parsed.folderPath) return {...file, name, folderPath: null, reason: `${printable(name)} maps to no folder: ${printable(parsed.folderNote ?? 'no folder mapping')}`};
	return {...file, name, folderPath: parsed.folderPath};
}

/** "SCENE/SHOT" or "SCENE SHOT" as typed at the prompt; UploadInputError when it is not two names. */
export function parseSceneShot(text: string): SceneShot {
	const parts = text.trim().split(/\s*\/\s*|\s+/).filter(part => part !== '');
	if (parts.length !== 2) throw new UploadInputError(`give the scene folder and the shot folder as SCENE/SHOT (got "${printable(text.trim())}")`);
	return {scene: parts[0]!, shot: parts[1]!};
}
