import {afterEach, describe, expect, it} from 'vitest';
import {createConsoleStore, type ConsoleStore} from '../../source/store/console-store.js';
import {ROOT_KEY} from '../../source/store/structure-tree.js';
import {queueTotals} from '../../source/upload/queue-snapshot.js';
import {fakePorts, upload} from './fakes.js';

const stores: ConsoleStore[] = [];
function make(fakes: ReturnType<typeof fakePorts>, options: {healthMinPeriodMs?: number} = {}) {
	const consoleStore = createConsoleStore(fakes.ports, {refreshIntervalMs: 60_000, minPublishMs: 5, ...options});
	stores.push(consoleStore);
	return consoleStore;
}
afterEach(() => {
	for (const store of stores.splice(0)) store.dispose();
});

const settle = async (consoleStore: ConsoleStore) => {
	await new Promise(resolve => setTimeout(resolve, 10));
	consoleStore.store.flush();
};

describe('health slice', () => {
	it('lists failing checks first, then warnings, keeping the service order within each', async () => {
		const fakes = fakePorts();
		fakes.health.results = [
			{id: 'a', name: 'config', status: 'pass', reason: 'ok', ms: 1},
			{id: 'b', name: 'me', status: 'fail', reason: 'timeout', ms: 5000},
			{id: 'c', name: 'disk', status: 'warn', reason: '5 % free', ms: 2},
			{id: 'd', name: 'token', status: 'fail', reason: 'expired', ms: 1},
		];
		const consoleStore = make(fakes);
		await consoleStore.actions.health.run();
		await settle(consoleStore);
		expect(consoleStore.store.get().health.checks?.map(check => check.id)).toEqual(['b', 'd', 'c', 'a']);
	});

	it('re-runs on the clock no more often than the minimum period; r always re-runs', async () => {
		const fakes = fakePorts();
		const consoleStore = make(fakes, {healthMinPeriodMs: 60_000});
		consoleStore.setActivePane('health');
		await settle(consoleStore);
		expect(fakes.health.runs).toBe(1);
		consoleStore.actions.health.tick();
		await settle(consoleStore);
		expect(fakes.health.runs).toBe(1);
		consoleStore.refreshNow();
		await settle(consoleStore);
		expect(fakes.health.runs).toBe(2);
	});

	it('runs one check run at a time', async () => {
		const fakes = fakePorts();
		let open!: () => void;
		fakes.health.gate = new Promise<void>(resolve => (open = resolve));
		const consoleStore = make(fakes);
		const first = consoleStore.actions.health.run();
		const second = consoleStore.actions.health.run();
		expect(first).toBe(second);
		await settle(consoleStore);
		expect(consoleStore.store.get().health.running).toBe(true);
		open();
		await first;
		await settle(consoleStore);
		expect(fakes.health.runs).toBe(1);
		expect(consoleStore.store.get().health.running).toBe(false);
	});
});

describe('cache slice', () => {
	it('reads rows only while visible and only after a change', async () => {
		const fakes = fakePorts();
		fakes.cache.fill(10);
		const consoleStore = make(fakes);
		consoleStore.setActivePane('health');
		fakes.cache.notify();
		await settle(consoleStore);
		expect(fakes.cache.rowsCalls).toBe(0);
		consoleStore.setActivePane('cache');
		expect(fakes.cache.rowsCalls).toBe(1);
		consoleStore.actions.cache.refresh();
		consoleStore.actions.cache.refresh();
		expect(fakes.cache.rowsCalls).toBe(1);
		await settle(consoleStore);
		expect(consoleStore.store.get().cache.rows).toHaveLength(10);
	});

	it('sees a change made elsewhere (a CLI purge) without waiting for the clock', async () => {
		const fakes = fakePorts();
		fakes.cache.fill(10);
		const consoleStore = make(fakes);
		consoleStore.setActivePane('cache');
		await settle(consoleStore);
		for (const key of [...fakes.cache.entriesMap.keys()].slice(0, 4)) fakes.cache.entriesMap.delete(key);
		fakes.cache.notify();
		fakes.cache.notify();
		await new Promise(resolve => setTimeout(resolve, 400));
		consoleStore.store.flush();
		expect(consoleStore.store.get().cache.rows).toHaveLength(6);
		expect(fakes.cache.rowsCalls).toBe(2);
	});

	it('purges through the port and re-reads', async () => {
		const fakes = fakePorts();
		fakes.cache.fill(5, 'folder_');
		fakes.cache.fill(3, 'projects_');
		const consoleStore = make(fakes);
		consoleStore.setActivePane('cache');
		expect(await consoleStore.actions.cache.purge({pattern: 'projects_'})).toBe(3);
		await settle(consoleStore);
		expect(consoleStore.store.get().cache.rows.map(row => row.type)).toEqual(Array(5).fill('folder'));
	});
});

describe('structure slice', () => {
	it('opens the only account and the only workspace, down to the projects', async () => {
		const fakes = fakePorts();
		const consoleStore = make(fakes);
		await consoleStore.actions.structure.loadRoots();
		await settle(consoleStore);
		const {tree} = consoleStore.store.get().structure;
		const names = tree.visibleRows().map(row => tree.get(row.key)!.node.name);
		expect(names).toEqual(['Demo Post', 'Main workspace', 'UNDLM_DOCU', 'OTHER_PROJECT']);
		expect(fakes.structure.calls).toEqual([null, 'acc-1', 'ws-1']);
	});

	it('loads every page of a 10 000-child folder and counts them', async () => {
		const fakes = fakePorts({bigFolderChildren: 10_000, pageSize: 500});
		const consoleStore = make(fakes);
		const actions = consoleStore.actions.structure;
		await actions.loadRoots();
		await actions.expand('project:proj-1');
		await actions.expand('folder:f-big');
		await settle(consoleStore);
		const {tree, loading} = consoleStore.store.get().structure;
		const big = tree.get('folder:f-big')!;
		expect(big.children).toHaveLength(10_000);
		expect(big.pages).toBe(20);
		expect(big.totalCount).toBe(10_000);
		expect(big.fromCache).toBe('none');
		expect(loading).toBe(0);
		expect(tree.get('folder:f-wip')!.fromCache).toBe('none'); // not listed yet
		await actions.expand('folder:f-wip');
		expect(tree.get('folder:f-wip')!.fromCache).toBe('all');
		expect(tree.visibleRows()).toHaveLength(4 + 2 + 10_000 + 1);
	});

	it('filters the loaded nodes, keeping the path to each match', async () => {
		const fakes = fakePorts();
		const consoleStore = make(fakes);
		const actions = consoleStore.actions.structure;
		await actions.loadRoots();
		await actions.expand('project:proj-1');
		await actions.expand('folder:f-wip');
		await actions.expand('folder:f-sc01');
		actions.collapse('folder:f-wip');
		const {tree} = consoleStore.store.get().structure;
		const names = tree.visibleRows('sc01').map(row => tree.get(row.key)!.node.name);
		expect(names).toEqual(['Demo Post', 'Main workspace', 'UNDLM_DOCU', 'WIP_BYSHOT', 'SC01_OPENING']);
		expect(tree.visibleRows('nothing-matches')).toEqual([]);
	});

	it('reload lists a node again and forgets its old subtree', async () => {
		const fakes = fakePorts();
		const consoleStore = make(fakes);
		const actions = consoleStore.actions.structure;
		await actions.loadRoots();
		await actions.expand('project:proj-1');
		await actions.expand('folder:f-wip');
		const before = fakes.structure.calls.length;
		await actions.reload('project:proj-1');
		const {tree} = consoleStore.store.get().structure;
		expect(fakes.structure.calls.length).toBe(before + 1);
		expect(tree.get('folder:f-wip')!.children).toBeNull();
		expect(tree.get(ROOT_KEY)!.children).toHaveLength(1);
	});

	it('keeps the spinner clock running only while a listing is in flight', async () => {
		const fakes = fakePorts();
		let release!: () => void;
		const gate = new Promise<void>(resolve => (release = resolve));
		fakes.structure.gate = () => gate;
		const consoleStore = make(fakes);
		const loading = consoleStore.actions.structure.loadRoots();
		await settle(consoleStore);
		expect(consoleStore.clock.state().animating).toBe(true);
		expect(consoleStore.store.get().structure.loading).toBe(1);
		release();
		await loading;
		expect(consoleStore.clock.state().animating).toBe(false);
	});
});

describe('status slice', () => {
	it('follows breaker and alert changes pushed by the services', async () => {
		const fakes = fakePorts();
		const consoleStore = make(fakes);
		fakes.status.change({breaker: 'open'});
		fakes.alerts.fire({id: 'x', rule: 'error_rate', level: 'error', message: 'API error rate 9 % > 5 %', value: '9 %', threshold: '5 %', at: Date.now(), state: 'firing'});
		await settle(consoleStore);
		expect(consoleStore.store.get().status).toMatchObject({breaker: 'open', alerts: 1, mode: 'sandbox', account: 'Demo Post'});
	});
});

describe('upload totals', () => {
	it('sums bytes, speed and ETA over the queue; cancelled uploads leave the totals', () => {
		const MB = 1024 * 1024;
		const totals = queueTotals(
			[
				upload({id: '1', name: 'a', size: 100 * MB, bytesDone: 50 * MB, speed: 10 * MB}),
				upload({id: '2', name: 'b', size: 100 * MB, bytesDone: 0, state: 'queued'}),
				upload({id: '3', name: 'c', size: 100 * MB, bytesDone: 100 * MB, state: 'done'}),
				upload({id: '4', name: 'd', size: 100 * MB, bytesDone: 10 * MB, state: 'failed'}),
				upload({id: '5', name: 'e', size: 100 * MB, bytesDone: 10 * MB, state: 'cancelled'}),
			],
			false,
		);
		expect(totals).toMatchObject({files: 5, done: 1, failed: 1, cancelled: 1, queued: 1, uploading: 1, bytesDone: 160 * MB, bytesTotal: 400 * MB, speed: 10 * MB});
		expect(totals.percent).toBeCloseTo(40);
		expect(totals.eta).toBeCloseTo(15); // 150 MB left at 10 MB/s
	});
});
