import {afterEach, describe, expect, it} from 'vitest';
import {DEMO_REFERENCE_FILES, DEMO_SCENES, startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';

const open: Sandbox[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map(sandbox => sandbox.close()));
});

function countFiles(sandbox: Sandbox, folderId: string): {files: number; folders: number} {
	let files = 0;
	let folders = 0;
	for (const child of sandbox.store.children(folderId)) {
		if (child.type === 'folder') {
			folders++;
			const below = countFiles(sandbox, child.id);
			files += below.files;
			folders += below.folders;
		} else files++;
	}
	return {files, folders};
}

describe('demo seed', () => {
	it('is a realistic UNDLM_DOCU tree with hundreds of files', async () => {
		const sandbox = await startSandbox();
		open.push(sandbox);
		rememberSecret(sandbox.token);
		const wip = countFiles(sandbox, sandbox.ids.wipFolderId);
		const shots = DEMO_SCENES.reduce((sum, scene) => sum + scene.shots, 0);
		expect(wip.folders).toBe(DEMO_SCENES.length + shots);
		expect(wip.files).toBeGreaterThan(200);
		const all = countFiles(sandbox, sandbox.ids.rootFolderId);
		expect(all.files).toBeGreaterThan(wip.files + DEMO_REFERENCE_FILES);
		for (const scene of sandbox.store.children(sandbox.ids.wipFolderId)) {
			for (const shot of sandbox.store.children(scene.id)) {
				expect(shot.name).toMatch(/^UNDLM_\d{5}$/);
				for (const file of sandbox.store.children(shot.id)) {
					expect(file.name.startsWith(`UNDLM_${scene.name.slice(5)}_${shot.name.slice(6)}_v`)).toBe(true);
				}
			}
		}
	});

	it('the empty seed has only the project skeleton', async () => {
		const sandbox = await startSandbox({seed: 'empty'});
		open.push(sandbox);
		expect(sandbox.store.children(sandbox.ids.rootFolderId).map(child => child.name)).toEqual(['WIP_BYSHOT']);
		expect(sandbox.store.children(sandbox.ids.wipFolderId)).toEqual([]);
	});
});

describe('background activity', () => {
	it('adds versions that move created → uploaded → transcoded, and stops on close()', async () => {
		const sandbox = await startSandbox({activity: true, activityIntervalMs: 60});
		const before = sandbox.store.fileCount();
		const seeded = new Set<string>();
		for (const scene of sandbox.store.children(sandbox.ids.wipFolderId)) {
			for (const shot of sandbox.store.children(scene.id)) for (const file of sandbox.store.children(shot.id)) seeded.add(file.id);
		}
		const seen = new Map<string, Set<string>>();
		const until = Date.now() + 10_000;
		while (Date.now() < until) {
			for (const scene of sandbox.store.children(sandbox.ids.wipFolderId)) {
				for (const shot of sandbox.store.children(scene.id)) {
					for (const file of sandbox.store.children(shot.id)) {
						if (file.type !== 'file' || seeded.has(file.id)) continue;
						const statuses = seen.get(file.id) ?? new Set();
						statuses.add(file.status);
						seen.set(file.id, statuses);
					}
				}
			}
			if ([...seen.values()].some(statuses => statuses.has('created') && statuses.has('transcoded'))) break;
			await new Promise(resolve => setTimeout(resolve, 15));
		}
		expect(sandbox.store.fileCount()).toBeGreaterThan(before);
		expect([...seen.values()].some(statuses => statuses.has('created') && statuses.has('transcoded'))).toBe(true);
		await sandbox.close();
		const after = sandbox.store.fileCount();
		await new Promise(resolve => setTimeout(resolve, 200));
		expect(sandbox.store.fileCount()).toBe(after);
	});
});
