// The Structure tab when cached listings are dropped (here by a purge of everything, as from the Cache tab or
// another node): the open listing on screen is listed again by itself, a closed one is forgotten and listed only
// when opened. The real StructureService and cache over a sandbox on loopback.
import {afterEach, describe, expect, it} from 'vitest';
import {createConsoleStore, type ConsoleStore} from '../../source/store/console-store.js';
import {requests, startRig, type Rig} from '../structure/rig.js';
import {fakePorts} from './fakes.js';

let rig: Rig | undefined;
let consoleStore: ConsoleStore | undefined;
afterEach(async () => {
	consoleStore?.dispose();
	consoleStore = undefined;
	await rig?.close();
	rig = undefined;
});

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('Structure slice when listings are dropped', () => {
	it('lists the open folder again, and forgets a closed one until it is opened', async () => {
		rig = await startRig();
		const {sandbox, cache} = rig;
		const open = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC01_SEQ01');
		const closed = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC02_SEQ02');
		sandbox.store.addFile(closed.id, 'old.mov', 10);
		const fakes = fakePorts();
		consoleStore = createConsoleStore({...fakes.ports, structure: rig.service}, {refreshIntervalMs: 60_000, minPublishMs: 5, healthMinPeriodMs: 60_000});
		const {structure} = consoleStore.actions;
		await structure.loadRoots();
		const tree = consoleStore.store.get().structure.tree;
		const child = (key: string, name: string) => (tree.get(key)?.children ?? []).find(each => tree.get(each)?.node.name === name)!;
		const project = child(tree.get(tree.root.children![0])!.children![0], 'UNDLM_DOCU');
		await structure.expand(project);
		const wip = child(project, 'WIP_BYSHOT');
		await structure.expand(wip);
		await structure.expand(child(wip, 'SC01_SEQ01'));
		const closedKey = child(wip, 'SC02_SEQ02');
		await structure.expand(closedKey);
		structure.collapse(closedKey);

		sandbox.store.addFile(open.id, 'new.mov', 20);
		sandbox.store.addFile(closed.id, 'new.mov', 20);
		const before = sandbox.requests.length;
		cache.purge({all: true});
		const openKey = child(wip, 'SC01_SEQ01');
		const deadline = Date.now() + 2000;
		while ((tree.get(openKey)?.children?.length ?? 0) < 1 && Date.now() < deadline) await sleep(20);
		const names = (key: string) => (tree.get(key)?.children ?? []).map(each => tree.get(each)!.node.name).sort();
		expect(names(openKey)).toEqual(['new.mov']);
		expect(tree.get(openKey)!.expanded).toBe(true);
		// The closed folder was not listed: it waits to be opened.
		expect(requests(sandbox, 'GET', new RegExp(`/folders/${closed.id}/children$`), before)).toHaveLength(0);
		expect(tree.get(closedKey)!.children).toBeNull();
		await structure.expand(closedKey);
		expect(names(closedKey)).toEqual(['new.mov', 'old.mov']);
	});
});
