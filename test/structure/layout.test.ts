// The scene/shot layout of the demo project: scenes, shots and file counts as the sandbox holds them, cached as the
// project's structure entry; the layout root comes from the nomenclature config.
import {afterEach, describe, expect, it} from 'vitest';
import {compile} from '../../source/nomenclature/index.js';
import {nomenclatureDefaults} from '../../source/nomenclature/config-shape.js';
import {DEMO_SCENES} from '../../source/sandbox/index.js';
import {formatLayout, layoutRootOf, StructureService} from '../../source/structure/index.js';
import {requests, startRig, type Rig} from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

describe('sceneShotLayout', () => {
	it('lists every scene and shot of WIP_BYSHOT with file counts, then serves it from the cache', async () => {
		rig = await startRig({seed: 'demo'});
		const {sandbox, service} = rig;
		const {accountId, projectId, wipFolderId} = sandbox.ids;
		// One shot's first two files stacked: the layout counts the stack, not its files.
		const shotWithTwo = sandbox.store
			.allFolders()
			.find(folder => sandbox.store.children(folder.id).filter(child => child.type === 'file').length >= 2 && folder.name.startsWith('UNDLM_'))!;
		const two = sandbox.store.children(shotWithTwo.id).filter(child => child.type === 'file').slice(0, 2);
		sandbox.store.createVersionStack(shotWithTwo.id, two.map(file => file.id));
		const layout = await service.sceneShotLayout(accountId, projectId);
		expect(layout.fromCache).toBe(false);
		expect(layout.rootPath).toEqual(['WIP_BYSHOT']);
		expect(layout.layoutFolderId).toBe(wipFolderId);
		expect(layout.scenes.map(scene => [scene.name, scene.shots.length])).toEqual(DEMO_SCENES.map(scene => [scene.name, scene.shots]));

		let files = 0;
		let stacks = 0;
		for (const scene of layout.scenes) {
			for (const shot of scene.shots) {
				const inStore = sandbox.store.children(shot.id).filter(child => child.type === 'file').length;
				const stacksInStore = sandbox.store.children(shot.id).filter(child => child.type === 'version_stack').length;
				expect(shot.files).toBe(inStore);
				expect(shot.stacks).toBe(stacksInStore);
				files += inStore;
				stacks += stacksInStore;
			}
		}
		expect(files).toBeGreaterThan(100);
		expect(stacks).toBe(1);
		expect(layout.totals).toEqual({scenes: 6, shots: 200, files, stacks});
		// 64 and 72 shots fit one page of 100; one file-count and one stack-count request per shot.
		expect(requests(sandbox, 'GET', /\/files$/)).toHaveLength(200);
		expect(requests(sandbox, 'GET', /\/version_stacks$/)).toHaveLength(200);

		const since = sandbox.requests.length;
		const cached = await service.sceneShotLayout(accountId, projectId);
		expect(cached.fromCache).toBe(true);
		expect(cached.scenes).toEqual(layout.scenes);
		expect(cached.listings).toEqual({listings: 1, fromCache: 1});
		// Not even the project record is fetched again.
		expect(sandbox.requests.length).toBe(since);

		const text = formatLayout(cached, {projectName: 'UNDLM_DOCU', width: 80});
		expect(text).toMatch(/^Scene\/shot layout of UNDLM_DOCU under WIP_BYSHOT: 6 scenes, 200 shots, \d+ files, 1 version stack \(▤\) \(from cache/);
		const looseLeft = sandbox.store.children(shotWithTwo.id).filter(child => child.type === 'file').length;
		expect(text).toContain(`${shotWithTwo.name} ${looseLeft} ▤1`);
		expect(text).toContain('  SC01_SEQ01  64 shots');
		const grid = text.split('\n').filter(line => line.startsWith('    '));
		expect(grid.length).toBeGreaterThan(6);
		expect(grid.every(line => line.length <= 80)).toBe(true);
	});

	it('takes the layout root from the nomenclature config, and says when it does not exist', async () => {
		rig = await startRig({seed: 'demo'});
		const {sandbox, cache, api} = rig;
		const {accountId, projectId} = sandbox.ids;
		const layoutSegments = compile({...nomenclatureDefaults, folders: {...nomenclatureDefaults.folders, layout: 'DELIVERY/{scene}/{shot}'}}).layoutSegments;
		expect(layoutRootOf(layoutSegments)).toEqual(['DELIVERY']);
		const delivery = new StructureService({api, cache, layoutRoot: layoutRootOf(layoutSegments)});
		const layout = await delivery.sceneShotLayout(accountId, projectId);
		expect(layout.scenes.map(scene => scene.name)).toEqual(['MASTERS']);
		expect(layout.scenes[0].shots).toEqual([]);

		// Same cache, another layout root: the cached entry does not answer for it.
		const missing = new StructureService({api, cache, layoutRoot: ['NOT_THERE']});
		const none = await missing.sceneShotLayout(accountId, projectId);
		expect(none.fromCache).toBe(false);
		expect(none.layoutFolderId).toBeNull();
		expect(formatLayout(none, {projectName: 'UNDLM_DOCU'})).toBe('Scene/shot layout of UNDLM_DOCU: NOT_THERE does not exist yet (the first upload creates it)');
	});

	it('keeps layouts for a given root folder and for the project root apart', async () => {
		rig = await startRig({seed: 'demo'});
		const {sandbox, service} = rig;
		const {accountId, projectId, wipFolderId} = sandbox.ids;
		const underWip = await service.sceneShotLayout(accountId, projectId, {rootFolderId: wipFolderId});
		expect(underWip.layoutFolderId).toBeNull();
		const projectRoot = await service.sceneShotLayout(accountId, projectId);
		expect(projectRoot.fromCache).toBe(false);
		expect(projectRoot.layoutFolderId).toBe(wipFolderId);
		expect((await service.sceneShotLayout(accountId, projectId)).fromCache).toBe(true);
	});
});
