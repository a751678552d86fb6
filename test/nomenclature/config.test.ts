import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/index.js';
import {nomenclatureDefaults, type NomenclatureConfig} from '../../source/nomenclature/config-shape.js';
import {nomenclatureSchema} from '../../source/nomenclature/schema.js';
import {compile, FolderMappingError} from '../../source/nomenclature/index.js';
import {testDir} from '../helpers/secret-scan.js';

function withNomenclature(text: string): string {
	const dir = testDir('nomenclature-config');
	writeFileSync(path.join(dir, 'nomenclature.json'), text);
	return dir;
}

function loadError(text: string): ConfigError {
	try {
		loadConfig(withNomenclature(text));
	} catch (error) {
		if (error instanceof ConfigError) return error;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

/** A copy of the defaults to change in a test, without touching the shared object. */
function defaults(): NomenclatureConfig {
	return structuredClone(nomenclatureDefaults);
}

describe('config/nomenclature.json', () => {
	it('ships exactly the defaults in code, and the defaults pass the schema', () => {
		expect(loadConfig(path.resolve('config')).nomenclature).toEqual(nomenclatureDefaults);
		expect(nomenclatureSchema.safeParse(nomenclatureDefaults).success).toBe(true);
	});

	it('merges a partial file: one field changed, the rest kept', () => {
		const config = loadConfig(withNomenclature('{\n  // four-digit shots\n  "patterns": {"undlm_sequence": {"fields": {"shot": {"min_length": 4}}}}\n}')).nomenclature;
		const nomenclature = compile(config);
		expect(nomenclature.parse('UNDLM_SEQ01_0042_v002.mp4').ok).toBe(true);
		expect(config.patterns.undlm_sequence!.fields.version).toEqual(nomenclatureDefaults.patterns.undlm_sequence!.fields.version);
		expect(Object.keys(config.patterns)).toHaveLength(4);
	});

	it('lets a partial file change a field kind, dropping the old kind keys', () => {
		const text = '{"patterns": {"undlm_sequence": {"fields": {"shot": {"kind": "pattern", "regex": "SH[0-9]+", "description": "SH + number"}}}}}';
		const config = loadConfig(withNomenclature(text)).nomenclature;
		expect(config.patterns.undlm_sequence!.fields.shot).toEqual({kind: 'pattern', regex: 'SH[0-9]+', description: 'SH + number'});
		expect(compile(config).parse('UNDLM_SEQ01_SH42_v002.mp4').ok).toBe(true);
	});

	it('adds a pattern of the user and can make it active while disabling a built-in one', () => {
		const text = JSON.stringify({
			active: 'promo',
			patterns: {
				undlm_shot: {enabled: false},
				promo: {
					description: 'PROMO_<NAME>_v<VER>.<ext>',
					enabled: true,
					template: 'PROMO_{title}_v{version}.{extension}',
					fields: {
						title: {kind: 'pattern', regex: '[A-Z]+', description: 'title'},
						version: {kind: 'digits', min_length: 2, max_length: 2, nonzero: true},
						extension: {kind: 'enum', values: ['mov']},
					},
					examples: ['PROMO_TEASER_v01.mov'],
					folder: {sequence: null, shot: 'PROMO_{title}'},
				},
			},
			folders: {default_scene: 'PROMOS'},
		});
		const nomenclature = compile(loadConfig(withNomenclature(text)).nomenclature);
		expect(nomenclature.validateExamples()).toEqual([]);
		const result = nomenclature.parse('PROMO_TEASER_v01.mov');
		expect(result).toMatchObject({ok: true, pattern: 'promo', folderPath: ['WIP_BYSHOT', 'PROMOS', 'PROMO_TEASER']});
		const refused = nomenclature.parse('PROMO_TEASER_v00.mov');
		expect(!refused.ok && refused.tried[0]).toEqual({pattern: 'promo', failure: 'version must not be all zeros, got 00'});
		expect(!refused.ok && refused.tried.map(tried => tried.pattern)).not.toContain('undlm_shot');
		// A disabled pattern is not tried (the flexible one takes the name instead), but it can still be forced.
		expect(nomenclature.parse('UNDLM_00042_v002.mp4')).toMatchObject({ok: true, pattern: 'project_flexible'});
		expect(nomenclature.parse('UNDLM_00042_v002.mp4', {pattern: 'undlm_shot'}).ok).toBe(true);
	});
});

describe('folder mapping from config', () => {
	it('uses another layout, scene format and a field in the path', () => {
		const config = defaults();
		config.folders.layout = '{project}/SHOTS/{scene}/{shot}';
		config.folders.scene = 'SCENE_{sequence:3}';
		config.patterns.undlm_sequence!.folder.shot = 'SH{shot:4}_v{version}';
		const nomenclature = compile(config);
		expect(nomenclature.patternErrors()).toEqual([]);
		const result = nomenclature.parse('UNDLM_SEQ7_00042_v002.mp4');
		expect(result.ok && result.folderPath).toEqual(['UNDLM', 'SHOTS', 'SCENE_007', 'SH0042_v002']);
		// Explicit SCENE/SHOT need the field the layout names.
		expect(nomenclature.folderPathFor({scene: 'S1', shot: 'X', project: 'UNDLM'})).toEqual(['UNDLM', 'SHOTS', 'S1', 'X']);
		expect(() => nomenclature.folderPathFor({scene: 'S1', shot: 'X'})).toThrow(FolderMappingError);
		expect(() => nomenclature.folderPathFor({scene: 'S1', shot: 'X'})).toThrow(/no value for \{project\}/);
	});

	it('names scenes from scene_names, by sequence label', () => {
		const config = defaults();
		config.folders.scene_names = {SEQ01: 'INTRO', SQ02: 'CHASE'};
		const nomenclature = compile(config);
		const intro = nomenclature.parse('UNDLM_SEQ01_00042_v002.mp4');
		expect(intro.ok && intro.folderPath).toEqual(['WIP_BYSHOT', 'SC01_INTRO', 'UNDLM_00042']);
		const chase = nomenclature.parse('SQ02_UNDLM_00042_v002.mp4');
		expect(chase.ok && chase.folderPath).toEqual(['WIP_BYSHOT', 'SC02_CHASE', 'UNDLM_00042']);
		const unnamed = nomenclature.parse('UNDLM_SEQ03_00042_v002.mp4');
		expect(unnamed.ok && unnamed.folderPath).toEqual(['WIP_BYSHOT', 'SC03_SEQ03', 'UNDLM_00042']);
	});

	it('gives a valid name no folder when its sequence has no number for the scene', () => {
		const result = compile(defaults()).parse('UNDLM_INTRO_00042_v002.mp4');
		expect(result).toMatchObject({ok: true, folderPath: null});
		expect(result.ok && result.folderNote).toMatch(/needs a number, but sequence is INTRO/);
	});
});

describe('config mistakes are ConfigErrors at file:line:col', () => {
	it('a template naming an undefined field', () => {
		const error = loadError('{\n  "patterns": {\n    "undlm_sequence": {\n      "template": "{project}_{sequnce}_{shot}_v{version}.{extension}"\n    }\n  }\n}');
		expect(error.message).toMatch(/nomenclature\.json:4:19: \{sequnce\} is not defined in fields at patterns\.undlm_sequence\.template$/);
	});

	it('a typo in a field key', () => {
		const error = loadError('{"patterns": {"undlm_sequence": {"fields": {"shot": {"min_lenght": 4}}}}}');
		expect(error.message).toMatch(/nomenclature\.json:1:53: unknown key "min_lenght" at patterns\.undlm_sequence\.fields\.shot$/);
	});

	it('a regex that does not compile, an unknown kind, a bad range', () => {
		expect(loadError('{"patterns": {"undlm_sequence": {"fields": {"sequence": {"regex": "[A-Z"}}}}}').message).toMatch(
			/:1:67: regex does not compile: .* at patterns\.undlm_sequence\.fields\.sequence\.regex$/,
		);
		expect(loadError('{"patterns": {"undlm_sequence": {"fields": {"shot": {"kind": "number"}}}}}').message).toMatch(
			/:1:62: .* at patterns\.undlm_sequence\.fields\.shot\.kind$/,
		);
		expect(loadError('{"patterns": {"undlm_sequence": {"fields": {"shot": {"min_length": 6}}}}}').message).toMatch(
			/max_length 5 is less than min_length 6 at patterns\.undlm_sequence\.fields\.shot\.max_length$/,
		);
	});

	it('an unknown or disabled active pattern, a bad layout, a case mode typo, a JSON syntax error', () => {
		expect(loadError('{\n  "active": "nope"\n}').message).toMatch(/:2:13: active pattern "nope" is not defined .* at active$/);
		expect(loadError('{"patterns": {"undlm_sequence": {"enabled": false}}}').message).toMatch(/active pattern "undlm_sequence" is disabled/);
		expect(loadError('{"folders": {"layout": "WIP//{scene}/{shoot}"}}').message).toMatch(/:1:24: folder 2 of the layout is empty at folders\.layout/);
		expect(loadError('{"case": "lower"}').message).toMatch(/:1:10: .* at case$/);
		expect(loadError('{"active": "x",, }').message).toMatch(/nomenclature\.json:1:16: invalid JSON/);
	});
});

describe('patternErrors and validateExamples (for health)', () => {
	it('reports a broken pattern built in code and keeps the others usable', () => {
		const config = defaults();
		config.patterns.undlm_shot!.template = '{project}_{shot}_v{version}.{ext}';
		config.patterns.sq_undlm!.fields.sequence = {kind: 'pattern', regex: '(', description: 'broken'};
		const nomenclature = compile(config);
		const errors = nomenclature.patternErrors();
		expect(errors.map(error => error.pattern)).toEqual(expect.arrayContaining(['undlm_shot', 'sq_undlm']));
		expect(errors.find(error => error.pattern === 'undlm_shot')!.message).toMatch(/\{ext\} is not defined in fields/);
		expect(nomenclature.parse('UNDLM_SEQ01_00042_v002.mp4').ok).toBe(true);
		expect(() => nomenclature.parse('UNDLM_00042_v002.mp4', {pattern: 'undlm_shot'})).toThrow(/does not compile/);
	});

	it('reports an example that does not parse under its own pattern', () => {
		const config = defaults();
		config.patterns.undlm_sequence!.examples = ['UNDLM_SEQ01_00042_v002.mp4', 'UNDLM_SEQ01_0042_v002.mp4'];
		expect(compile(config).validateExamples()).toEqual([
			{pattern: 'undlm_sequence', example: 'UNDLM_SEQ01_0042_v002.mp4', message: 'shot must be 5 digits, got 0042'},
		]);
	});

	it('refuses every name with the reason when no pattern is usable', () => {
		const config = defaults();
		for (const pattern of Object.values(config.patterns)) pattern.enabled = false;
		const result = compile(config).parse('UNDLM_SEQ01_00042_v002.mp4');
		expect(result.ok).toBe(false);
		expect(!result.ok && result.diagnostics[0]!.message).toMatch(/no usable naming pattern/);
	});
});
