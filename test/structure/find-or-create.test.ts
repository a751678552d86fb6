// Find-or-create of a folder path: every page looked at before creating, one folder per level under 20 concurrent
// callers, convergence with another process that creates the same folder, cache invalidation, dry runs.
import {afterEach, describe, expect, it} from 'vitest';
import {cacheKeys} from '../../source/cache/index.js';
import {structureApiFromClient} from '../../source/structure/index.js';
import {requests, startRig, type Rig} from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

const PATH = ['WIP_BYSHOT', 'SC07_SEQ07', 'UNDLM_00420'];

/** Names of the folders directly under parentId, with how many carry each name. */
function countByName(target: Rig, parentId: string, name: string): number {
	return target.sandbox.store.folderCountByName(parentId, name);
}

function childNamed(target: Rig, parentId: string, name: string) {
	return target.sandbox.store.children(parentId).filter(child => child.type === 'folder' && child.name === name);
}

describe('findOrCreatePath', () => {
	it('creates each level once under 20 concurrent callers, and a second round creates nothing', async () => {
		rig = await startRig();
		const {sandbox, service} = rig;
		const {accountId, rootFolderId} = sandbox.ids;
		const results = await Promise.all(Array.from({length: 20}, () => service.findOrCreatePath(accountId, rootFolderId, PATH)));
		const ids = new Set(results.map(result => result.folderId));
		expect(ids.size).toBe(1);
		expect(countByName(rig, rootFolderId, 'WIP_BYSHOT')).toBe(1);
		const [scene] = childNamed(rig, sandbox.ids.wipFolderId, 'SC07_SEQ07');
		expect(childNamed(rig, sandbox.ids.wipFolderId, 'SC07_SEQ07')).toHaveLength(1);
		expect(childNamed(rig, scene.id, 'UNDLM_00420')).toHaveLength(1);
		expect(results.reduce((sum, result) => sum + result.created, 0)).toBe(2);
		for (const level of [0, 1, 2]) {
			expect(results.filter(result => result.segments[level].status === 'created')).toHaveLength(level === 0 ? 0 : 1);
		}
		expect(requests(sandbox, 'POST', /\/folders$/)).toHaveLength(2);
		expect(rig.logs.some(line => line.msg === 'Created folder UNDLM_00420 in WIP_BYSHOT/SC07_SEQ07')).toBe(true);

		const since = sandbox.requests.length;
		const again = await service.findOrCreatePath(accountId, rootFolderId, PATH);
		expect(again.folderId).toBe([...ids][0]);
		expect(again.created).toBe(0);
		expect(requests(sandbox, 'POST', /\/folders$/, since)).toHaveLength(0);
	});

	it('looks past the first page of siblings: 120 folders already in the parent', async () => {
		rig = await startRig();
		const {sandbox, service} = rig;
		const {accountId, rootFolderId, wipFolderId} = sandbox.ids;
		for (let index = 1; index <= 120; index++) sandbox.store.addFolder(wipFolderId, `SC${String(index).padStart(3, '0')}_OLD`);

		const results = await Promise.all(Array.from({length: 20}, () => service.findOrCreatePath(accountId, rootFolderId, PATH)));
		expect(new Set(results.map(result => result.folderId)).size).toBe(1);
		expect(childNamed(rig, wipFolderId, 'SC07_SEQ07')).toHaveLength(1);
		const [scene] = childNamed(rig, wipFolderId, 'SC07_SEQ07');
		expect(childNamed(rig, scene.id, 'UNDLM_00420')).toHaveLength(1);
		const listings = requests(sandbox, 'GET', new RegExp(`/folders/${wipFolderId}/folders$`));
		expect(listings.some(record => record.query.after)).toBe(true);
	});

	it('finds a folder that sits on the second page instead of creating a duplicate', async () => {
		rig = await startRig();
		const {sandbox, service} = rig;
		const {accountId, rootFolderId, wipFolderId} = sandbox.ids;
		for (let index = 1; index <= 120; index++) sandbox.store.addFolder(wipFolderId, `SC${String(index).padStart(3, '0')}_OLD`);
		const existing = sandbox.store.addFolder(wipFolderId, 'SC07_SEQ07');

		const result = await service.findOrCreatePath(accountId, rootFolderId, ['WIP_BYSHOT', 'SC07_SEQ07']);
		expect(result.folderId).toBe(existing.id);
		expect(result.created).toBe(0);
		expect(requests(sandbox, 'POST', /\/folders$/)).toHaveLength(0);
		expect(childNamed(rig, wipFolderId, 'SC07_SEQ07')).toHaveLength(1);
	});

	it('settles on the oldest folder when another process creates the same one between our listing and our create', async () => {
		rig = await startRig({}, (client, sandbox) => {
			const real = structureApiFromClient(client);
			return {
				...real,
				async createFolder(accountId, parentId, name) {
					// "Another process" got there first, a moment before us.
					sandbox.store.addFolder(parentId, name, {at: new Date(Date.now() - 1000).toISOString()});
					return real.createFolder(accountId, parentId, name);
				},
			};
		});
		const {sandbox, service} = rig;
		const {accountId, rootFolderId, wipFolderId} = sandbox.ids;
		const result = await service.findOrCreatePath(accountId, rootFolderId, ['WIP_BYSHOT', 'SC08_SEQ08']);
		const twins = childNamed(rig, wipFolderId, 'SC08_SEQ08');
		expect(twins).toHaveLength(2);
		const oldest = twins.reduce((a, b) => (a.created_at <= b.created_at ? a : b));
		expect(result.folderId).toBe(oldest.id);
		expect(result.segments[1]).toEqual({name: 'SC08_SEQ08', id: oldest.id, status: 'found'});
		const warning = rig.logs.find(line => line.level === 'warn' && line.msg.startsWith('Duplicate folder SC08_SEQ08 in WIP_BYSHOT'));
		expect(warning?.msg).toContain(`using the oldest, ${oldest.id}`);

		// Every later lookup, here or in a process with a cold cache, picks the same one.
		const again = await service.findOrCreatePath(accountId, rootFolderId, ['WIP_BYSHOT', 'SC08_SEQ08']);
		const elsewhere = await rig.otherProcess().findOrCreatePath(accountId, rootFolderId, ['WIP_BYSHOT', 'SC08_SEQ08']);
		expect(again.folderId).toBe(oldest.id);
		expect(elsewhere.folderId).toBe(oldest.id);
	});

	it('makes separate processes racing for one path converge on the same folders', async () => {
		rig = await startRig();
		const {sandbox} = rig;
		const {accountId, rootFolderId, wipFolderId} = sandbox.ids;
		const processes = Array.from({length: 6}, () => rig!.otherProcess());
		const results = await Promise.all(processes.map(service => service.findOrCreatePath(accountId, rootFolderId, PATH)));
		expect(new Set(results.map(result => result.folderId)).size).toBe(1);
		const scenes = childNamed(rig, wipFolderId, 'SC07_SEQ07');
		expect(scenes.length).toBeGreaterThanOrEqual(1);
		const chosenScene = scenes.reduce((a, b) => (a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id) ? a : b));
		expect(results.every(result => result.segments[1].id === chosenScene.id)).toBe(true);
		// Shots were only created under the scene everyone chose.
		for (const scene of scenes) if (scene.id !== chosenScene.id) expect(sandbox.store.children(scene.id)).toHaveLength(0);
	});

	it('drops the parent listing and the project structure entry when it creates a folder', async () => {
		rig = await startRig();
		const {sandbox, service, cache} = rig;
		const {accountId, rootFolderId, wipFolderId, projectId} = sandbox.ids;
		await service.children(accountId, wipFolderId);
		await service.sceneShotLayout(accountId, projectId);
		expect(cache.peek(cacheKeys.folderChildren(wipFolderId))).toBeDefined();
		expect(cache.peek(cacheKeys.structure(projectId))).toBeDefined();

		await service.findOrCreatePath(accountId, rootFolderId, ['WIP_BYSHOT', 'SC09_SEQ09']);
		expect(cache.peek(cacheKeys.folderChildren(wipFolderId))).toBeUndefined();
		expect(cache.peek(cacheKeys.structure(projectId))).toBeUndefined();
		const listed = await service.children(accountId, wipFolderId);
		expect(listed.fromCache).toBe(false);
		expect(listed.items.map(item => item.name)).toContain('SC09_SEQ09');
		const layout = await service.sceneShotLayout(accountId, projectId);
		expect(layout.fromCache).toBe(false);
		expect(layout.scenes.map(scene => scene.name)).toEqual(['SC09_SEQ09']);
	});

	it('reports in a dry run what exists and what would be created, creating nothing', async () => {
		rig = await startRig();
		const {sandbox, service} = rig;
		const {accountId, rootFolderId, wipFolderId} = sandbox.ids;
		const dry = await service.findOrCreatePath(accountId, rootFolderId, PATH, {dryRun: true});
		expect(dry.dryRun).toBe(true);
		expect(dry.folderId).toBeNull();
		expect(dry.segments).toEqual([
			{name: 'WIP_BYSHOT', id: wipFolderId, status: 'found'},
			{name: 'SC07_SEQ07', id: null, status: 'missing'},
			{name: 'UNDLM_00420', id: null, status: 'missing'},
		]);
		expect(requests(sandbox, 'POST', /\/folders$/)).toHaveLength(0);
		// Only two listings: the root and WIP_BYSHOT; nothing under a folder that does not exist.
		expect(requests(sandbox, 'GET', /\/folders$/)).toHaveLength(2);
	});

	it('refuses a folder name Frame.io would not take', async () => {
		rig = await startRig();
		const {accountId, rootFolderId} = rig.sandbox.ids;
		await expect(rig.service.findOrCreatePath(accountId, rootFolderId, ['WIP_BYSHOT', 'a/b'])).rejects.toThrow('contains a /');
		await expect(rig.service.findOrCreatePath(accountId, rootFolderId, [''])).rejects.toThrow('is empty');
	});
});
