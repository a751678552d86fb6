// Deciding what to upload where, without the network: the nomenclature target of a name, the directory scanner of
// `watch`, and the folder resolver's memo and stale-cache check.
import {mkdirSync, utimesSync, writeFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {nomenclatureDefaults} from '../../source/nomenclature/config-shape.js';
import {compile} from '../../source/nomenclature/index.js';
import {DirScanner} from '../../source/commands/upload/dir-scanner.js';
import {FolderResolver} from '../../source/upload/folder-resolver.js';
import {planTarget} from '../../source/upload/name-target.js';
import type {FindOrCreateResult} from '../../source/structure/index.js';
import {testDir} from './helpers.js';

const nomenclature = compile(nomenclatureDefaults);

describe('planTarget', () => {
	it('maps a valid name to its scene/shot folder', () => {
		expect(planTarget('UNDLM_SEQ01_00042_v002.mp4', nomenclature, {strictNames: false})).toEqual({ok: true, folderPath: ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']});
	});

	it('uses --scene/--shot over the mapping, even for a name that does not match', () => {
		expect(planTarget('take3.mov', nomenclature, {scene: 'SC09_X', shot: 'SHOT_1', strictNames: false})).toEqual({ok: true, folderPath: ['WIP_BYSHOT', 'SC09_X', 'SHOT_1']});
		expect(planTarget('UNDLM_SEQ01_00042_v002.mp4', nomenclature, {scene: 'SC09_X', shot: 'SHOT_1', strictNames: false})).toEqual({ok: true, folderPath: ['WIP_BYSHOT', 'SC09_X', 'SHOT_1']});
	});

	it('refuses with the diagnostic: no mapping, --strict-names, a pattern without a scene', () => {
		const none = planTarget('take3.mov', nomenclature, {strictNames: false});
		expect(none.ok).toBe(false);
		if (!none.ok) {
			expect(none.reason).toMatch(/^no target folder: the name does not match the naming patterns \(.+\); give --scene and --shot/);
			expect(none.examples).toContain('UNDLM_SEQ01_00042_v002.mp4');
		}
		const strict = planTarget('take3.mov', nomenclature, {scene: 'SC01', shot: 'S1', strictNames: true});
		expect(strict.ok).toBe(false);
		if (!strict.ok) expect(strict.reason).toContain('--strict-names');
		// undlm_shot has no sequence and default_scene is null: valid, but no folder.
		const noScene = planTarget('UNDLM_00042_v002.mp4', nomenclature, {strictNames: false});
		expect(noScene.ok).toBe(false);
		if (!noScene.ok) expect(noScene.reason).toMatch(/^no target folder: .*default_scene.*; give --scene and --shot$/);
	});
});

describe('DirScanner', () => {
	it('offers a file once its size and time held still for the stable time, once, and again after it changes', async () => {
		const dir = testDir('scanner');
		let now = Date.now();
		const scanner = new DirScanner(dir, 2000, () => now);
		const file = path.join(dir, 'UNDLM_SEQ01_00010_v001.mp4');
		writeFileSync(file, 'abc');
		utimesSync(file, new Date(now), new Date(now));
		writeFileSync(path.join(dir, '.partial'), 'x');
		mkdirSync(path.join(dir, 'sub'));
		expect((await scanner.scan()).stable).toEqual([]);
		now += 1000;
		const settling = await scanner.scan();
		expect(settling.changing.map(item => [item.name, item.waitMs])).toEqual([['UNDLM_SEQ01_00010_v001.mp4', 1000]]);
		now += 1000;
		expect((await scanner.scan()).stable.map(item => item.name)).toEqual(['UNDLM_SEQ01_00010_v001.mp4']);
		scanner.markHandled('UNDLM_SEQ01_00010_v001.mp4');
		now += 5000;
		expect(await scanner.scan()).toEqual({stable: [], changing: []});
		writeFileSync(file, 'abcdef'); // a new version written in place
		expect((await scanner.scan()).changing.map(item => item.size)).toEqual([6]);
		now += 2000;
		expect((await scanner.scan()).stable.map(item => item.size)).toEqual([6]);
		rmSync(file);
		await scanner.scan();
		expect(scanner.size).toBe(0);
	});

	it('takes a file untouched for longer than the stable time at once', async () => {
		const dir = testDir('scanner-old');
		const file = path.join(dir, 'old.mov');
		writeFileSync(file, 'x');
		const old = new Date(Date.now() - 60_000);
		utimesSync(file, old, old);
		expect((await new DirScanner(dir, 10_000).scan()).stable.map(item => item.name)).toEqual(['old.mov']);
	});
});

describe('FolderResolver', () => {
	const result = (folderId: string, created: number, ids: string[]): FindOrCreateResult => ({
		folderId,
		created,
		dryRun: false,
		segments: ids.map(id => ({name: id, id, status: created ? 'created' : 'found'})),
	});

	it('looks a path up once for many files, and finds it again when the cached folder is gone', async () => {
		const calls: string[] = [];
		let stale = true;
		const forgotten: string[][] = [];
		const resolver = new FolderResolver(
			{
				findOrCreatePath: async (_account, root, segments) => {
					calls.push(`${root}:${segments.join('/')}`);
					return stale ? result('old-shot', 0, ['wip', 'scene', 'old-shot']) : result('new-shot', 1, ['wip', 'scene', 'new-shot']);
				},
				exists: async (_account, folderId) => folderId !== 'old-shot',
				forgetListings: parents => {
					forgotten.push(parents);
					stale = false;
				},
			},
			'account',
			'root',
		);
		const ids = await Promise.all([resolver.resolve(['WIP', 'SC01', 'SH01']), resolver.resolve(['WIP', 'SC01', 'SH01'])]);
		expect(ids).toEqual(['new-shot', 'new-shot']);
		expect(forgotten).toEqual([['root', 'wip', 'scene']]);
		expect(calls).toEqual(['root:WIP/SC01/SH01', 'root:WIP/SC01/SH01']);
		expect(await resolver.resolve(['WIP', 'SC01', 'SH01'])).toBe('new-shot');
		expect(calls).toHaveLength(2);
	});
});
