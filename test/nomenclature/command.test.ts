// The nomenclature command as a user runs it: the built CLI in a real process.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';

const shippedConfig = path.resolve('config');

function run(args: string[], configDir = shippedConfig) {
	return runCli(['nomenclature', ...args, '--config', configDir, '--state-dir', testDir('nomenclature-state'), '--logs-dir', testDir('nomenclature-logs')]);
}

describe('frameio-admin nomenclature', () => {
	it('prints the pattern, fields and folder of a valid name, exit 0', async () => {
		const result = await run(['UNDLM_SEQ01_00042_v002.mp4']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('UNDLM_SEQ01_00042_v002.mp4: valid');
		expect(result.stdout).toMatch(/pattern\s+undlm_sequence \(active\)/);
		expect(result.stdout).toMatch(/sequence\s+SEQ01\n/);
		expect(result.stdout).toMatch(/shot\s+00042\n/);
		expect(result.stdout).toMatch(/version\s+002\n/);
		expect(result.stdout).toMatch(/extension\s+mp4\n/);
		expect(result.stdout).toMatch(/folder\s+WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00042/);
	});

	it('says exactly what is wrong with an invalid name, points at it, shows examples, exit 1', async () => {
		const result = await run(['renders/UNDLM_SEQ01_0042_v002.mp4']);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain('renders/UNDLM_SEQ01_0042_v002.mp4: INVALID');
		expect(result.stdout).toContain('shot must be 5 digits, got 0042');
		expect(result.stdout).toContain(`      UNDLM_SEQ01_0042_v002.mp4\n      ${' '.repeat(12)}^^^^\n`);
		expect(result.stdout).toMatch(/examples\s+UNDLM_SEQ01_00042_v002\.mp4/);
	});

	it('exits 1 when any of several names is invalid, and reports each', async () => {
		const result = await run(['UNDLM_SEQ01_00042_v002.mp4', 'SQ01_UNDLM_00042_v000.mp4', 'UNDLM_SEQ01_00042_v002.mpg']);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain('UNDLM_SEQ01_00042_v002.mp4: valid');
		expect(result.stdout).toContain('version must not be all zeros, got 000');
		expect(result.stdout).toContain('extension must be one of mov, mp4, avi, mkv, mxf, got mpg');
	});

	it('--json prints an array of results', async () => {
		const result = await run(['UNDLM_SEQ01_00042_v002.mp4', 'dir/UNDLM_SEQ01_00042-v002.mp4', '--json']);
		expect(result.code).toBe(1);
		const json = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
		expect(json).toHaveLength(2);
		expect(json[0]).toEqual({
			ok: true,
			name: 'UNDLM_SEQ01_00042_v002.mp4',
			pattern: 'undlm_sequence',
			fields: {project: 'UNDLM', sequence: 'SEQ01', shot: '00042', version: '002', extension: 'mp4'},
			folderPath: ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042'],
		});
		expect(json[1]).toMatchObject({
			ok: false,
			name: 'UNDLM_SEQ01_00042-v002.mp4',
			input: 'dir/UNDLM_SEQ01_00042-v002.mp4',
			pattern: 'undlm_sequence',
			diagnostics: [{message: 'expected literal `_v` after shot at position 17, got `-v`', position: 17}],
		});
	});

	it('--pattern forces one pattern', async () => {
		const result = await run(['UNDLM_00042_v002.mp4', '--pattern', 'undlm_sequence', '--json']);
		expect(result.code).toBe(1);
		const [only] = JSON.parse(result.stdout) as Array<{tried: Array<{pattern: string}>}>;
		expect(only!.tried.map(tried => tried.pattern)).toEqual(['undlm_sequence']);
	});

	it('--list lists every pattern with its examples and their folders, exit 0', async () => {
		const text = await run(['--list']);
		expect(text.code).toBe(0);
		for (const key of ['undlm_sequence', 'undlm_shot', 'project_flexible', 'sq_undlm']) expect(text.stdout).toContain(key);
		expect(text.stdout).toContain('UNDLM_SEQ01_00042_v002.mp4 → WIP_BYSHOT/SC01_SEQ01/UNDLM_00042');
		expect(text.stdout).toContain('folder layout: WIP_BYSHOT/{scene}/{shot}');

		const json = await run(['--list', '--json']);
		expect(json.code).toBe(0);
		const patterns = JSON.parse(json.stdout) as Array<{key: string; active: boolean; examples: Array<{name: string; ok: boolean}>}>;
		expect(patterns.find(pattern => pattern.active)!.key).toBe('undlm_sequence');
		expect(patterns.flatMap(pattern => pattern.examples).every(example => example.ok)).toBe(true);
	});

	it('exits 2 on usage errors: no NAME, an unknown pattern, NAME with --list', async () => {
		const none = await run([]);
		expect(none.code).toBe(2);
		expect(none.stderr).toMatch(/give at least one file NAME/);
		const unknown = await run(['UNDLM_SEQ01_00042_v002.mp4', '--pattern', 'nope']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/unknown pattern "nope" \(patterns: undlm_sequence, undlm_shot, project_flexible, sq_undlm\)/);
		const both = await run(['X', '--list']);
		expect(both.code).toBe(2);
	});

	it('exits 2 with file:line:col on a malformed config', async () => {
		const dir = testDir('nomenclature-bad-config');
		writeFileSync(path.join(dir, 'nomenclature.json'), '{\n  "patterns": {\n    "undlm_sequence": {"fields": {"shot": {"min_length": "5"}}}\n  }\n}\n');
		const result = await run(['UNDLM_SEQ01_00042_v002.mp4'], dir);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/nomenclature\.json:3:58: expected number, got string at patterns\.undlm_sequence\.fields\.shot\.min_length/);
	});

	it('follows a custom config: another layout, scene names, upper-case mode', async () => {
		const dir = testDir('nomenclature-custom-config');
		writeFileSync(
			path.join(dir, 'nomenclature.json'),
			'// custom\n{"case": "upper", "folders": {"layout": "SHOTS/{scene}/{shot}", "scene_names": {"SEQ01": "INTRO"}}}\n',
		);
		const result = await run(['undlm_seq01_00042_v002.MOV', '--json'], dir);
		expect(result.code).toBe(0);
		const [parsed] = JSON.parse(result.stdout) as Array<{fields: Record<string, string>; folderPath: string[]}>;
		expect(parsed!.fields).toMatchObject({sequence: 'SEQ01', extension: 'mov'});
		expect(parsed!.folderPath).toEqual(['SHOTS', 'SC01_INTRO', 'UNDLM_00042']);
	});
});
