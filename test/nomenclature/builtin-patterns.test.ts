import {describe, expect, it} from 'vitest';
import {nomenclatureDefaults} from '../../source/nomenclature/config-shape.js';
import {compile, type ParseResult, type RejectedName} from '../../source/nomenclature/index.js';

const nomenclature = compile(nomenclatureDefaults);

function rejected(result: ParseResult): RejectedName {
	if (result.ok) throw new Error(`expected ${result.name} to be refused, it matched ${result.pattern}`);
	return result;
}

function messages(name: string, pattern?: string): string[] {
	return rejected(nomenclature.parse(name, {pattern})).diagnostics.map(diagnostic => diagnostic.message);
}

describe('the built-in config', () => {
	it('compiles, and every example parses under its own pattern', () => {
		expect(nomenclature.patternErrors()).toEqual([]);
		expect(nomenclature.validateExamples()).toEqual([]);
		expect(nomenclature.patterns.map(pattern => pattern.key)).toEqual(['undlm_sequence', 'undlm_shot', 'project_flexible', 'sq_undlm']);
		expect(nomenclature.active).toBe('undlm_sequence');
	});
});

describe('undlm_sequence (active): UNDLM_<SEQUENCE>_<SHOT5>_v<VER3>.<ext>', () => {
	it('parses the seed example into fields and its folder', () => {
		expect(nomenclature.parse('UNDLM_SEQ01_00042_v002.mp4')).toEqual({
			ok: true,
			name: 'UNDLM_SEQ01_00042_v002.mp4',
			pattern: 'undlm_sequence',
			fields: {project: 'UNDLM', sequence: 'SEQ01', shot: '00042', version: '002', extension: 'mp4'},
			folderPath: ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042'],
		});
	});

	it('maps the sandbox demo seed names to its folders', () => {
		const result = nomenclature.parse('UNDLM_SEQ01_00010_v001.mov');
		expect(result.ok && result.folderPath).toEqual(['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00010']);
		const other = nomenclature.parse('UNDLM_SEQ12_00310_v003.mxf');
		expect(other.ok && other.folderPath).toEqual(['WIP_BYSHOT', 'SC12_SEQ12', 'UNDLM_00310']);
	});

	it('accepts every configured extension and refuses others', () => {
		for (const extension of ['mov', 'mp4', 'avi', 'mkv', 'mxf']) {
			const result = nomenclature.parse(`UNDLM_SEQ01_00042_v002.${extension}`);
			expect(result.ok && result.fields.extension).toBe(extension);
		}
		expect(messages('UNDLM_SEQ01_00042_v002.mpg')).toEqual(['extension must be one of mov, mp4, avi, mkv, mxf, got mpg']);
	});

	it('says which part is wrong, with its position', () => {
		const shot = rejected(nomenclature.parse('UNDLM_SEQ01_0042_v002.mp4'));
		expect(shot.pattern).toBe('undlm_sequence');
		expect(shot.diagnostics).toEqual([{field: 'shot', message: 'shot must be 5 digits, got 0042', position: 12, length: 4}]);
		expect(messages('UNDLM_SEQ01_000042_v002.mp4')).toEqual(['shot must be 5 digits, got 000042']);
		expect(messages('UNDLM_SEQ01_00042_v02.mp4')).toEqual(['version must be 3 digits, got 02']);
		expect(messages('UNDLM_SEQ01_00042-v002.mp4')).toEqual(['expected literal `_v` after shot at position 17, got `-v`']);
		expect(messages('UNDLM_SEQ01_00042_v002.mp4.bak')).toEqual([
			'unexpected `.bak` after extension at position 26: the name should end there',
		]);
		expect(messages('UNDLM_SEQ-1_00042_v002.mp4')).toEqual(['expected literal `_` after sequence at position 9, got `-`']);
		expect(messages('UNDLM_SEQ01__00042_v002.mp4')).toEqual(['shot must be 5 digits, got `_`']);
	});

	it('reports every wrong field it can delimit, not only the first', () => {
		expect(messages('UNDLM_SEQ01_0042_v02.mpg')).toEqual([
			'shot must be 5 digits, got 0042',
			'version must be 3 digits, got 02',
			'extension must be one of mov, mp4, avi, mkv, mxf, got mpg',
		]);
	});

	it('explains a truncated or empty name', () => {
		expect(messages('UNDLM_SEQ01_000')).toEqual(['shot must be 5 digits, got 000']);
		expect(messages('UNDLM_SEQ01_00042_v002')).toEqual(['expected literal `.` after version at position 22, got nothing (the name ends here)']);
		expect(messages('')).toEqual(['project must be UNDLM, got nothing (the name ends here)']);
	});

	it('is strict about case by default, and says so', () => {
		expect(messages('UNDLM_seq01_00042_v002.mp4')).toEqual(['sequence must match [A-Z0-9]+, got seq01 (case is strict)']);
		expect(messages('UNDLM_SEQ01_00042_V002.mp4')).toEqual(['expected literal `_v` after shot at position 17, got `_V` (case is strict)']);
		expect(messages('UNDLM_SEQ01_00042_v002.MP4')).toEqual(['extension must be one of mov, mp4, avi, mkv, mxf, got MP4 (case is strict)']);
		expect(messages('undlm_SEQ01_00042_v002.mp4', 'undlm_sequence')).toEqual(['project must be UNDLM, got undlm (case is strict)']);
	});

	it('lists what it tried and offers valid examples', () => {
		const result = rejected(nomenclature.parse('UNDLM_SEQ01_0042_v002.mp4'));
		expect(result.tried.map(tried => tried.pattern)).toEqual(['undlm_sequence', 'undlm_shot', 'project_flexible', 'sq_undlm']);
		expect(result.tried[0]!.failure).toBe('shot must be 5 digits, got 0042');
		expect(result.examples[0]).toBe('UNDLM_SEQ01_00042_v002.mp4');
		for (const example of result.examples) expect(nomenclature.parse(example).ok).toBe(true);
	});
});

describe('undlm_shot: UNDLM_<SHOT5>_v<VER3>.<ext>, no sequence', () => {
	it('parses, and maps to no folder while default_scene is unset', () => {
		const result = nomenclature.parse('UNDLM_00042_v002.mov');
		expect(result).toMatchObject({ok: true, pattern: 'undlm_shot', fields: {project: 'UNDLM', shot: '00042', version: '002', extension: 'mov'}});
		expect(result.ok && result.folderPath).toBeNull();
		expect(result.ok && result.folderNote).toMatch(/no folder mapping: pattern undlm_shot has no sequence/);
	});

	it('gives its own diagnostics when forced', () => {
		expect(messages('UNDLM_0042_v002.mov', 'undlm_shot')).toEqual(['shot must be 5 digits, got 0042']);
		expect(messages('UNDLM_00042_v0002.mov', 'undlm_shot')).toEqual(['version must be 3 digits, got 0002']);
		expect(messages('UNDLM_00042_v002.mov', 'undlm_sequence')).toEqual(['shot must be 5 digits, got v002']);
	});
});

describe('project_flexible: <PROJECT>_<SHOT 4-6>_v<VER 2-4>.<ext>', () => {
	it('accepts the range bounds of shot and version', () => {
		for (const name of ['DOCU_0042_v02.mov', 'DOCU_004200_v0002.mov', 'X_00042_v123.avi']) {
			expect(nomenclature.parse(name)).toMatchObject({ok: true, pattern: 'project_flexible'});
		}
		const result = nomenclature.parse('DOCU_0042_v02.mov');
		expect(result.ok && result.fields).toEqual({project: 'DOCU', shot: '0042', version: '02', extension: 'mov'});
	});

	it('refuses values just outside the ranges', () => {
		expect(messages('DOCU_042_v02.mov')).toEqual(['shot must be 4-6 digits, got 042']);
		expect(messages('DOCU_0042000_v02.mov')).toEqual(['shot must be 4-6 digits, got 0042000']);
		expect(messages('DOCU_0042_v2.mov')).toEqual(['version must be 2-4 digits, got 2']);
		expect(messages('DOCU_0042_v00002.mov')).toEqual(['version must be 2-4 digits, got 00002']);
		expect(messages('docu_0042_v02.mov')).toEqual(['project must match [A-Z][A-Z0-9]*, got docu (case is strict)']);
	});

	it('pads a 4-digit shot to the 5-digit shot folder when a default scene is set', () => {
		const mapped = compile({...nomenclatureDefaults, folders: {...nomenclatureDefaults.folders, default_scene: 'SC00_UNSORTED'}});
		const result = mapped.parse('DOCU_0042_v02.mov');
		expect(result.ok && result.folderPath).toEqual(['WIP_BYSHOT', 'SC00_UNSORTED', 'DOCU_00042']);
		// The shot's number, so 0042, 00042 and 000042 share a folder; a longer number keeps its digits.
		const six = mapped.parse('DOCU_000042_v02.mov');
		expect(six.ok && six.folderPath).toEqual(['WIP_BYSHOT', 'SC00_UNSORTED', 'DOCU_00042']);
		const big = mapped.parse('DOCU_123456_v02.mov');
		expect(big.ok && big.folderPath).toEqual(['WIP_BYSHOT', 'SC00_UNSORTED', 'DOCU_123456']);
	});
});

describe('sq_undlm: SQ<nn>_UNDLM_<SHOT5>_v<VER3>.<ext>, no all-zero values', () => {
	it('parses and maps the SQ sequence to its scene', () => {
		const result = nomenclature.parse('SQ01_UNDLM_00042_v002.mp4');
		expect(result).toMatchObject({ok: true, pattern: 'sq_undlm', fields: {sequence: '01', project: 'UNDLM', shot: '00042', version: '002'}});
		expect(result.ok && result.folderPath).toEqual(['WIP_BYSHOT', 'SC01_SQ01', 'UNDLM_00042']);
	});

	it('refuses an all-zero sequence, shot or version, each by name', () => {
		expect(messages('SQ00_UNDLM_00042_v002.mp4')).toEqual(['sequence must not be all zeros, got 00']);
		expect(messages('SQ01_UNDLM_00000_v002.mp4')).toEqual(['shot must not be all zeros, got 00000']);
		expect(messages('SQ01_UNDLM_00042_v000.mp4')).toEqual(['version must not be all zeros, got 000']);
		const all = rejected(nomenclature.parse('SQ00_UNDLM_00000_v000.mov'));
		expect(all.pattern).toBe('sq_undlm');
		expect(all.diagnostics.map(diagnostic => [diagnostic.field, diagnostic.position])).toEqual([
			['sequence', 2],
			['shot', 11],
			['version', 18],
		]);
	});

	it('accepts the smallest non-zero values', () => {
		expect(nomenclature.parse('SQ01_UNDLM_00001_v001.mkv').ok).toBe(true);
		expect(nomenclature.parse('SQ10_UNDLM_10000_v100.mkv').ok).toBe(true);
	});

	it('checks the digit count before the zeros', () => {
		expect(messages('SQ1_UNDLM_00042_v002.mp4', 'sq_undlm')).toEqual(['sequence must be 2 digits, got 1']);
		expect(messages('SQ001_UNDLM_00042_v002.mp4', 'sq_undlm')).toEqual(['sequence must be 2 digits, got 001']);
	});
});

describe('case modes', () => {
	const upper = compile({...nomenclatureDefaults, case: 'upper'});
	const insensitive = compile({...nomenclatureDefaults, case: 'insensitive'});

	it('upper: upper-cases the name and lower-cases the extension before matching', () => {
		const result = upper.parse('undlm_seq01_00042_V002.MP4');
		expect(result).toMatchObject({ok: true, pattern: 'undlm_sequence', fields: {project: 'UNDLM', sequence: 'SEQ01', extension: 'mp4'}});
		expect(result.ok && result.folderPath).toEqual(['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']);
		expect(upper.parse('UNDLM_SEQ01_00042_v002.mp4').ok).toBe(true);
		// Upper-casing does not make a wrong name right, and the hint about strict case is not given.
		const wrong = upper.parse('undlm_seq01_0042_v002.mp4');
		expect(!wrong.ok && wrong.diagnostics[0]!.message).toBe('shot must be 5 digits, got 0042');
	});

	it('insensitive: matches in any case and keeps the case written', () => {
		const result = insensitive.parse('Undlm_Seq01_00042_V002.Mp4');
		expect(result).toMatchObject({ok: true, pattern: 'undlm_sequence', fields: {project: 'UNDLM', sequence: 'Seq01', extension: 'mp4'}});
		expect(result.ok && result.folderPath).toEqual(['WIP_BYSHOT', 'SC01_Seq01', 'UNDLM_00042']);
		expect(insensitive.parse('UNDLM_SEQ01_00042_v002.mpg').ok).toBe(false);
	});

	it('strict refuses what the other modes accept', () => {
		expect(nomenclature.parse('undlm_seq01_00042_V002.MP4').ok).toBe(false);
	});
});

describe('choosing the diagnostic to show', () => {
	it('prefers the active pattern when it read as far as any other', () => {
		expect(rejected(nomenclature.parse('UNDLM_SEQ01_00042_v02.mp4')).pattern).toBe('undlm_sequence');
	});

	it('prefers the pattern that read furthest when the active one stopped early', () => {
		const result = rejected(nomenclature.parse('DOCU_0042_v2.mov'));
		expect(result.pattern).toBe('project_flexible');
		expect(result.examples).toContain('DOCU_0042_v02.mov');
		expect(result.examples[0]).toBe('UNDLM_SEQ01_00042_v002.mp4');
	});

	it('forces one pattern with the pattern option, and refuses an unknown key', () => {
		expect(nomenclature.parse('UNDLM_00042_v002.mp4', {pattern: 'undlm_sequence'}).ok).toBe(false);
		const forced = rejected(nomenclature.parse('UNDLM_SEQ01_0042_v002.mp4', {pattern: 'sq_undlm'}));
		expect(forced.tried).toEqual([{pattern: 'sq_undlm', failure: 'expected literal `SQ` at position 0, got `UN`'}]);
		expect(() => nomenclature.parse('x', {pattern: 'nope'})).toThrow(/unknown pattern "nope"/);
	});
});

describe('folderPathFor: explicit SCENE/SHOT', () => {
	it('builds the layout path from folder names', () => {
		expect(nomenclature.folderPathFor({scene: 'SC01_SEQ01', shot: 'UNDLM_00042'})).toEqual(['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']);
		expect(nomenclature.folderPathFor({scene: 'x'.repeat(255), shot: 'é'})).toEqual(['WIP_BYSHOT', 'x'.repeat(255), 'é']);
	});

	it('refuses names Frame.io would refuse or that would split the path', () => {
		expect(() => nomenclature.folderPathFor({scene: '', shot: 'UNDLM_00042'})).toThrow(/scene folder name "" is empty/);
		expect(() => nomenclature.folderPathFor({scene: 'SC01/SEQ01', shot: 'UNDLM_00042'})).toThrow(/contains a \//);
		expect(() => nomenclature.folderPathFor({scene: 'SC01', shot: 'x'.repeat(256)})).toThrow(/256 characters long, more than 255/);
		expect(() => nomenclature.folderPathFor({scene: 'SC01', shot: '..'})).toThrow(/is \.\./);
		expect(() => nomenclature.folderPathFor({scene: 'SC01\n', shot: 'A'})).toThrow(/control character/);
		expect(() => nomenclature.folderPathFor({scene: ' SC01', shot: 'A'})).toThrow(/starts or ends with a space/);
	});
});
