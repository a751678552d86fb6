// Which typed folder names fit the layout's scene and shot folders (nomenclature.layoutFolder): the check the upload
// commands make before they create a folder someone typed.
import {describe, expect, it} from 'vitest';
import {nomenclatureDefaults, type NomenclatureConfig} from '../../source/nomenclature/config-shape.js';
import {compile} from '../../source/nomenclature/index.js';

const builtIn = compile(nomenclatureDefaults);
const copy = (): NomenclatureConfig => structuredClone(nomenclatureDefaults) as NomenclatureConfig;

describe('nomenclature.layoutFolder: the built-in layout WIP_BYSHOT/{scene}/{shot}', () => {
	it('knows which folder of the path is the scene and which the shot, and lets the literal root be', () => {
		expect(builtIn.layoutFolder(0, 'WIP_BYSHOT')).toMatchObject({level: null, fits: true, examples: []});
		expect(builtIn.layoutFolder(0, 'anything')).toMatchObject({level: null, fits: true});
		expect(builtIn.layoutFolder(1, 'SC01_SEQ01')).toMatchObject({level: 'scene', fits: true, format: 'SC{sequence:2}_{name}'});
		expect(builtIn.layoutFolder(2, 'UNDLM_00042')).toMatchObject({level: 'shot', fits: true, format: '{project}_{shot:5}'});
	});

	it('accepts what the mapping of a valid name produces, every pattern included', () => {
		for (const scene of ['SC01_SEQ01', 'SC12_SEQ12', 'SC01_SQ01', 'SC310_SEQ310', 'SC07_INTRO7']) expect(builtIn.layoutFolder(1, scene).fits, scene).toBe(true);
		// project_flexible maps DOCU_0042 to DOCU_00042; a 6-digit shot keeps its 6 digits.
		for (const shot of ['UNDLM_00042', 'DOCU_00042', 'UNDLM_000420']) expect(builtIn.layoutFolder(2, shot).fits, shot).toBe(true);
	});

	it('refuses a scene or shot no valid name maps to: wrong case, missing parts, the shot in the scene\'s place', () => {
		for (const scene of ['sc01_seq01', 'SC1_SEQ01', 'SC01', 'SEQ01', 'SC01_seq01', 'UNDLM_00042', 'SC01-SEQ01']) expect(builtIn.layoutFolder(1, scene).fits, scene).toBe(false);
		for (const shot of ['shot42', 'undlm_00042', 'UNDLM_042', 'UNDLM00042', 'SC01_SEQ01', '00042']) expect(builtIn.layoutFolder(2, shot).fits, shot).toBe(false);
	});

	it('gives, as examples, the folders the patterns\' own examples map to', () => {
		expect(builtIn.layoutFolder(1, 'x').examples).toEqual(['SC01_SEQ01', 'SC12_SEQ12', 'SC01_SQ01']);
		expect(builtIn.layoutFolder(2, 'x').examples[0]).toBe('UNDLM_00042');
	});
});

describe('nomenclature.layoutFolder follows the config', () => {
	it('another layout and formats: a field in the path, scene_names, the shot format of the pattern', () => {
		const config = copy();
		config.folders.layout = '{project}/SHOTS/{scene}/{shot}';
		config.folders.scene = 'SCENE_{sequence:3}_{name}';
		config.folders.scene_names = {SEQ7: 'INTRO'};
		for (const key of ['undlm_shot', 'project_flexible', 'sq_undlm']) config.patterns[key]!.enabled = false;
		config.patterns.undlm_sequence!.folder.shot = 'SH{shot:4}';
		const nomenclature = compile(config);
		expect(nomenclature.patternErrors()).toEqual([]);
		expect(nomenclature.layoutFolder(0, 'UNDLM')).toMatchObject({level: null, fits: true});
		expect(nomenclature.layoutFolder(2, 'SCENE_007_INTRO')).toMatchObject({level: 'scene', fits: true});
		expect(nomenclature.layoutFolder(2, 'SCENE_007_SEQ7').fits).toBe(true);
		expect(nomenclature.layoutFolder(2, 'SC07_SEQ7').fits).toBe(false);
		expect(nomenclature.layoutFolder(3, 'SH0042')).toMatchObject({level: 'shot', fits: true, format: 'SH{shot:4}'});
		expect(nomenclature.layoutFolder(3, 'UNDLM_00042').fits).toBe(false);
	});

	it('a pattern without a sequence vouches for folders.default_scene, and only when it is set', () => {
		const config = copy();
		config.patterns.undlm_sequence!.enabled = false;
		config.patterns.sq_undlm!.enabled = false;
		config.active = 'undlm_shot';
		expect(compile(config).layoutFolder(1, 'SC01_SEQ01').fits).toBe(false);
		config.folders.default_scene = 'SC00_UNSORTED';
		expect(compile(config).layoutFolder(1, 'SC00_UNSORTED').fits).toBe(true);
		expect(compile(config).layoutFolder(1, 'SC01_SEQ01').fits).toBe(false);
	});

	it('case "insensitive" accepts any case (the values keep the case they were written in)', () => {
		const config = copy();
		config.case = 'insensitive';
		expect(compile(config).layoutFolder(1, 'sc01_seq01').fits).toBe(true);
		expect(builtIn.layoutFolder(1, 'sc01_seq01').fits).toBe(false);
	});
});
