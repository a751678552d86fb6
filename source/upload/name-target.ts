// Where a file goes: the folder of --scene/--shot, or the one its name maps to with the nomenclature. A name that
// maps to no folder (and no --scene/--shot), or any name that does not match with --strict-names, is refused with
// the nomenclature's own diagnostic and valid examples.
import {printable} from '../format/printable.js';
import {FolderMappingError, oneLineFailure, type Nomenclature} from '../nomenclature/index.js';

export type TargetChoice = {scene?: string; shot?: string; strictNames: boolean};

export type TargetPlan = {ok: true; folderPath: string[]} | {ok: false; reason: string; examples: string[]};

export function planTarget(name: string, nomenclature: Nomenclature, choice: TargetChoice): TargetPlan {
	const parsed = nomenclature.parse(name);
	if (!parsed.ok && choice.strictNames) {
		return {ok: false, reason: `does not match the naming patterns (--strict-names): ${oneLineFailure(parsed)}`, examples: parsed.examples};
	}
	if (choice.scene !== undefined && choice.shot !== undefined) {
		try {
			return {ok: true, folderPath: nomenclature.folderPathFor({...(parsed.ok ? parsed.fields : {}), scene: choice.scene, shot: choice.shot})};
		} catch (error) {
			if (error instanceof FolderMappingError) return {ok: false, reason: `no folder for --scene/--shot: ${printable(error.message)}`, examples: []};
			throw error;
		}
	}
	if (!parsed.ok) {
		return {ok: false, reason: `no target folder: the name does not match the naming patterns (${oneLineFailure(parsed)}); give --scene and --shot, or rename it`, examples: parsed.examples};
	}
	if (!parsed.folderPath) return {ok: false, reason: `no target folder: ${printable(parsed.folderNote ?? 'the name maps to no folder')}; give --scene and --shot`, examples: []};
	return {ok: true, folderPath: parsed.folderPath};
}
