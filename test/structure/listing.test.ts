// Listings walk every page, through the cache; a repeated walk is answered by the cache.
import {afterEach, describe, expect, it} from 'vitest';
import {cacheKeys} from '../../source/cache/index.js';
import type {FolderChild} from '../../source/frameio/types.js';
import type {StructureNode} from '../../source/structure/index.js';
import {requests, startRig, type Rig} from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

const withoutCacheFlag = (key: string, value: unknown) => (key === 'fromCache' ? undefined : value);

function fill(target: Rig, parentId: string, folders: number, files: number): void {
	for (let index = 1; index <= folders; index++) target.sandbox.store.addFolder(parentId, `F_${String(index).padStart(4, '0')}`);
	for (let index = 1; index <= files; index++) target.sandbox.store.addFile(parentId, `clip_${index}.mov`, 1000 + index);
}

describe('listings', () => {
	it('walks every page of a folder with 130 children, then answers from the cache', async () => {
		rig = await startRig();
		const {sandbox, service} = rig;
		const parent = sandbox.ids.wipFolderId;
		fill(rig, parent, 90, 40);
		const childrenPath = new RegExp(`/folders/${parent}/children$`);

		const first = await service.children(sandbox.ids.accountId, parent);
		expect(first.fromCache).toBe(false);
		expect(first.items).toHaveLength(130);
		expect(new Set(first.items.map(item => item.id)).size).toBe(130);
		const calls = requests(sandbox, 'GET', childrenPath);
		expect(calls).toHaveLength(2);
		expect(calls[0].query.after).toBeUndefined();
		expect(calls[1].query.after).toBeTruthy();

		const again = await service.children(sandbox.ids.accountId, parent);
		expect(again.fromCache).toBe(true);
		expect(again.items.map(item => item.id)).toEqual(first.items.map(item => item.id));
		expect(requests(sandbox, 'GET', childrenPath)).toHaveLength(2);
	});

	it('streams the pages for the console, with the total on the first page, and replays them from the cache', async () => {
		rig = await startRig();
		const {sandbox, service} = rig;
		const parent = sandbox.ids.wipFolderId;
		fill(rig, parent, 150, 70);

		const pages = [];
		for await (const page of service.childrenPages(sandbox.ids.accountId, parent)) pages.push(page);
		expect(pages.map(page => page.items.length)).toEqual([100, 100, 20]);
		expect(pages.every(page => !page.fromCache)).toBe(true);
		expect(pages[0].totalCount).toBe(220);

		const cached: FolderChild[] = [];
		for await (const page of service.childrenPages(sandbox.ids.accountId, parent)) {
			expect(page.fromCache).toBe(true);
			cached.push(...page.items);
		}
		expect(cached.map(item => item.id)).toEqual(pages.flatMap(page => page.items.map(item => item.id)));
		expect(requests(sandbox, 'GET', new RegExp(`/folders/${parent}/children$`))).toHaveLength(3);
	});

	it('stores nothing when the console stops reading a listing half-way', async () => {
		rig = await startRig();
		const {sandbox, service, cache} = rig;
		const parent = sandbox.ids.wipFolderId;
		fill(rig, parent, 350, 0);
		for await (const page of service.childrenPages(sandbox.ids.accountId, parent)) {
			expect(page.items).toHaveLength(100);
			break;
		}
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(cache.peek(cacheKeys.folderChildren(parent))).toBeUndefined();
		// It stopped at the next page boundary rather than walking all four pages.
		expect(requests(sandbox, 'GET', new RegExp(`/folders/${parent}/children$`)).length).toBeLessThan(4);
	});

	it('reaches a hit rate above 70 % on a repeated structure walk', async () => {
		rig = await startRig({seed: 'demo'});
		const {sandbox, service, cache} = rig;
		const before = sandbox.requests.length;
		const first = await service.projectTree(sandbox.ids.accountId, sandbox.ids.projectId, {depth: 2});
		const afterFirst = sandbox.requests.length;
		expect(first.listings.fromCache).toBe(0);
		expect(first.listings.listings).toBeGreaterThan(5);
		for (let walk = 0; walk < 3; walk++) {
			const again = await service.projectTree(sandbox.ids.accountId, sandbox.ids.projectId, {depth: 2});
			expect(again.listings).toEqual({listings: first.listings.listings, fromCache: first.listings.listings});
			expect(JSON.stringify(again.project, withoutCacheFlag)).toBe(JSON.stringify(first.project, withoutCacheFlag));
		}
		// Repeated walks only fetch the project record itself.
		expect(requests(sandbox, 'GET', /\/children$/, afterFirst)).toHaveLength(0);
		expect(afterFirst - before).toBeGreaterThan(first.listings.listings - 1);
		const stats = cache.stats();
		expect(stats.hitRate).not.toBeNull();
		expect(stats.hitRate!).toBeGreaterThan(0.7);
	});

	it('draws the demo project two levels deep with real counts', async () => {
		rig = await startRig({seed: 'demo'});
		const {sandbox, service} = rig;
		const tree = await service.projectTree(sandbox.ids.accountId, sandbox.ids.projectId, {depth: 2});
		expect(tree.account.name).toBe('Undlm Studio');
		expect(tree.workspace.name).toBe('Post Production');
		expect(tree.project.name).toBe('UNDLM_DOCU');
		expect(tree.project.folders.map(folder => folder.name)).toEqual(['DELIVERY', 'REFERENCES', 'WIP_BYSHOT']);
		const wip = tree.project.folders.find(folder => folder.name === 'WIP_BYSHOT')!;
		expect(wip.counts).toEqual({folders: 6, files: 0, versionStacks: 0});
		const sc01 = wip.folders.find(folder => folder.name === 'SC01_SEQ01')!;
		expect(sc01.counts?.folders).toBe(64);
		expect(sc01.folders).toEqual([]);
		const references = tree.project.folders.find(folder => folder.name === 'REFERENCES')!;
		expect(references.counts?.files).toBe(120);
	});

	it('lists the overview: accounts → workspaces → projects, no folders at depth 0', async () => {
		rig = await startRig({seed: 'demo'});
		const {sandbox, service} = rig;
		const overview = await service.overview({depth: 0});
		expect(overview.accounts).toHaveLength(1);
		const [account] = overview.accounts;
		expect(account.workspaces.map(workspace => workspace.name)).toEqual(['Archive', 'Post Production']);
		expect(account.workspaces[1].projects.map(project => project.name)).toEqual(['UNDLM_DOCU', 'UNDLM_PROMO', 'UNDLM_TRAILER']);
		expect(account.workspaces[1].projects[0].counts).toBeNull();
		expect(requests(sandbox, 'GET', /\/children$/)).toHaveLength(0);
		expect(overview.listings).toEqual({listings: 4, fromCache: 0});
	});

	it('gives the console its lazy tree node by node', async () => {
		rig = await startRig({seed: 'demo'});
		const {service} = rig;
		const list = async (node: StructureNode | null) => {
			const items: StructureNode[] = [];
			const flags: boolean[] = [];
			for await (const page of service.listChildren(node)) {
				items.push(...page.items);
				flags.push(page.fromCache);
			}
			return {items, flags};
		};
		const accounts = await list(null);
		expect(accounts.items.map(node => [node.kind, node.name])).toEqual([['account', 'Undlm Studio']]);
		const workspaces = await list(accounts.items[0]);
		const post = workspaces.items.find(node => node.name === 'Post Production')!;
		expect(post.kind).toBe('workspace');
		const projects = await list(post);
		const docu = projects.items.find(node => node.name === 'UNDLM_DOCU')!;
		const root = await list(docu);
		expect(root.items.map(node => node.name).sort()).toEqual(['DELIVERY', 'REFERENCES', 'WIP_BYSHOT']);
		const references = root.items.find(node => node.name === 'REFERENCES')!;
		const files = await list(references);
		expect(files.items).toHaveLength(120);
		expect(files.items.every(node => node.kind === 'file' && !node.expandable && typeof node.size === 'number')).toBe(true);
		expect(files.flags.every(flag => !flag)).toBe(true);
		const again = await list(references);
		expect(again.flags.every(flag => flag)).toBe(true);
		expect(again.items.map(node => node.id)).toEqual(files.items.map(node => node.id));
	});
});
