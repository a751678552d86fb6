// The Structure tab when cached listings are dropped (here by a purge of everything, as from the Cache tab or
// another node): the open listing on screen is listed again by itself, a closed one is forgotten and listed only
// when opened. The real StructureService and cache over a sandbox on loopback.
import {afterEach, describe, expect, it} from 'vitest';
import {createConsoleStore, type ConsoleStore} from '../../source/store/console-store.js';
import type {StructureSource, TreeNode, TreePage} from '../../source/store/ports.js';
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

	it('a listing dropped again while it is being read is read once more when that read ends', async () => {
		// A source whose folder listing is read at the call and answered when the test says: the read that was under
		// way when the second change came holds what was there before it (webhooks come in bursts: created, then
		// upload.completed, then ready).
		const folder: TreeNode = {id: 'A', kind: 'folder', name: 'SC01_SEQ01', expandable: true};
		let files = ['v001.mov'];
		let hold: Promise<void> | null = null;
		let dropListener: ((dropped: (node: TreeNode) => boolean) => void) | undefined;
		const source: StructureSource = {
			async *listChildren(node): AsyncIterable<TreePage> {
				if (node === null) {
					yield {items: [folder], fromCache: false, totalCount: 1};
					return;
				}
				const seen = files.map((name): TreeNode => ({id: name, kind: 'file', name, expandable: false}));
				if (hold) await hold;
				yield {items: seen, fromCache: false, totalCount: seen.length};
			},
			onListingsDropped(listener) {
				dropListener = listener;
				return () => (dropListener = undefined);
			},
		};
		const fakes = fakePorts();
		consoleStore = createConsoleStore({...fakes.ports, structure: source}, {refreshIntervalMs: 60_000, minPublishMs: 5, healthMinPeriodMs: 60_000});
		const {structure} = consoleStore.actions;
		await structure.loadRoots();
		await structure.expand('folder:A');
		const tree = consoleStore.store.get().structure.tree;
		const names = () => (tree.get('folder:A')?.children ?? []).map(key => tree.get(key)!.node.name);
		expect(names()).toEqual(['v001.mov']);

		let release!: () => void;
		hold = new Promise(resolve => (release = resolve));
		files = ['v001.mov', 'v002.mov'];
		dropListener!(node => node.id === 'A');
		await sleep(100); // the read of v001+v002 is under way, held
		files = ['v001.mov', 'v002.mov', 'v003.mov'];
		dropListener!(node => node.id === 'A');
		hold = null;
		release();
		const deadline = Date.now() + 2000;
		while (names().length < 3 && Date.now() < deadline) await sleep(20);
		expect(names()).toEqual(['v001.mov', 'v002.mov', 'v003.mov']);
	});
});
