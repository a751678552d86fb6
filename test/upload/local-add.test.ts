// What the console's "add file" prompt does with a typed path before the queue sees it (source/upload/local-add.ts),
// on real files, and the wrapping that shows its messages whole (wrapLines).
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {displayWidth, wrapLines} from '../../source/format/text.js';
import {nomenclatureDefaults} from '../../source/nomenclature/config-shape.js';
import {compile} from '../../source/nomenclature/index.js';
import {UploadInputError} from '../../source/upload/add-input.js';
import {expandHome, localFileOf, parseSceneShot, planLocalAdd} from '../../source/upload/local-add.js';
import {testDir} from '../helpers/secret-scan.js';

const nomenclature = compile(nomenclatureDefaults);

function home() {
	const dir = testDir('local-add-home');
	mkdirSync(path.join(dir, 'renders'));
	writeFileSync(path.join(dir, 'renders', 'UNDLM_SEQ01_00042_v002.mp4'), 'x');
	writeFileSync(path.join(dir, 'renders', 'take3.mov'), 'x');
	writeFileSync(path.join(dir, 'renders', 'empty.mov'), '');
	return dir;
}

describe('a typed local path', () => {
	it('~ and ~/ are the home directory; ~user and ~ inside a path are left alone', () => {
		expect(expandHome('~', '/home/ana')).toBe('/home/ana');
		expect(expandHome('~/renders/a.mov', '/home/ana')).toBe('/home/ana/renders/a.mov');
		expect(expandHome('~bob/a.mov', '/home/ana')).toBe('~bob/a.mov');
		expect(expandHome('renders/~/a.mov', '/home/ana')).toBe('renders/~/a.mov');
	});

	it('is resolved from the working directory, trimmed, and checked: missing, a directory, empty, nothing typed', () => {
		const dir = home();
		expect(localFileOf('  ~/renders/take3.mov ', {home: dir})).toEqual({path: path.join(dir, 'renders', 'take3.mov'), size: 1});
		expect(localFileOf('renders/take3.mov', {cwd: dir}).path).toBe(path.join(dir, 'renders', 'take3.mov'));
		expect(() => localFileOf('~/renders/gone.mov', {home: dir})).toThrow(`no such file: ~/renders/gone.mov (${path.join(dir, 'renders', 'gone.mov')})`);
		expect(() => localFileOf(path.join(dir, 'gone.mov'))).toThrow(`no such file: ${path.join(dir, 'gone.mov')}`);
		expect(() => localFileOf('~/renders/take3.mov/x', {home: dir})).toThrow(/^no such file/);
		expect(() => localFileOf('~/renders', {home: dir})).toThrow(/^not a regular file: ~\/renders/);
		expect(() => localFileOf('~/renders/empty.mov', {home: dir})).toThrow(/is empty: Frame\.io needs at least 1 byte/);
		expect(() => localFileOf('   ')).toThrow(UploadInputError);
	});
});

describe('planLocalAdd: the file first, then its folder', () => {
	it('a missing file is "no such file" even when its name would also be refused', () => {
		const dir = home();
		expect(() => planLocalAdd('~/renders/holiday video.mov', nomenclature, undefined, {home: dir})).toThrow(/^no such file: ~\/renders\/holiday video\.mov/);
	});

	it('a name that maps goes to its folder; one that does not asks for a scene and shot, with the reason', () => {
		const dir = home();
		expect(planLocalAdd('~/renders/UNDLM_SEQ01_00042_v002.mp4', nomenclature, undefined, {home: dir})).toMatchObject({
			name: 'UNDLM_SEQ01_00042_v002.mp4',
			folderPath: ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042'],
		});
		const unmapped = planLocalAdd('~/renders/take3.mov', nomenclature, undefined, {home: dir});
		expect(unmapped).toMatchObject({name: 'take3.mov', path: path.join(dir, 'renders', 'take3.mov'), folderPath: null});
		expect(unmapped.folderPath === null && unmapped.reason).toMatch(/^take3\.mov does not follow the naming patterns: project must be UNDLM/);
	});

	it('with a scene and shot, any name goes there', () => {
		const dir = home();
		const folder = {scene: 'SC01_SEQ01', shot: 'UNDLM_00042'};
		expect(planLocalAdd('~/renders/take3.mov', nomenclature, folder, {home: dir}).folderPath).toEqual(['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']);
	});

	it('"SCENE/SHOT" or "SCENE SHOT" at the prompt; anything else is refused', () => {
		expect(parseSceneShot(' SC01_SEQ01/UNDLM_00042 ')).toEqual({scene: 'SC01_SEQ01', shot: 'UNDLM_00042'});
		expect(parseSceneShot('SC01_SEQ01 / UNDLM_00042')).toEqual({scene: 'SC01_SEQ01', shot: 'UNDLM_00042'});
		expect(parseSceneShot('SC01_SEQ01 UNDLM_00042')).toEqual({scene: 'SC01_SEQ01', shot: 'UNDLM_00042'});
		for (const bad of ['', 'SC01_SEQ01', 'a/b/c', '/UNDLM_00042']) expect(() => parseSceneShot(bad), bad).toThrow(/as SCENE\/SHOT/);
	});
});

describe('wrapLines: a message shown whole', () => {
	it('breaks at spaces, cuts only a word wider than the line, keeps every character', () => {
		const text = `cannot add: no such file: ~/renders/x.mov (/tmp/${'a'.repeat(100)}/x.mov) and more words`;
		const lines = wrapLines(text, 40);
		for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
		expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
		expect(lines.slice(0, 2)).toEqual(['cannot add: no such file:', '~/renders/x.mov']);
		expect(wrapLines('short', 80)).toEqual(['short']);
		expect(wrapLines('a\nb', 80)).toEqual(['a', 'b']);
		// Wide characters count two cells.
		expect(wrapLines('日本語のファイル名', 6)).toEqual(['日本語', 'のファ', 'イル名']);
	});
});
