// Version stacking in the upload queue, over real HTTP to the sandbox: a landed file joins its shot's version stack
// (created from the loose versions, oldest to newest, or topped), in order whatever finishes first; an older version
// than the head stays loose with the reason; files of other shots and names without a version are left alone.
import {afterEach, describe, expect, it} from 'vitest';
import type {FrameioFile, VersionStack} from '../../source/frameio/types.js';
import {compile} from '../../source/nomenclature/index.js';
import {shotVersionOf} from '../../source/nomenclature/shot-version.js';
import {nomenclatureDefaults} from '../../source/nomenclature/config-shape.js';
import {stackingApiFromClient, type UploadQueue, type VersionStackingOptions} from '../../source/upload/index.js';
import {KiB, makeFile, openQueue, startPartProxy, startRig, testDir, type Rig} from './harness.js';

let rig: Rig | undefined;
let queue: UploadQueue | undefined;
afterEach(async () => {
	await queue?.close();
	await rig?.close();
	queue = rig = undefined;
});

const nomenclature = compile(nomenclatureDefaults);

function stacking(current: Rig, changed: string[] = []): VersionStackingOptions {
	return {api: stackingApiFromClient(current.client), versionOf: name => shotVersionOf(nomenclature.parse(name)), onChanged: folderId => changed.push(folderId)};
}

function stacksIn(current: Rig, folderId = current.folderId): Array<VersionStack & {names: string[]}> {
	return current.sandbox.store
		.children(folderId)
		.filter((child): child is VersionStack => child.type === 'version_stack')
		.map(stack => ({...stack, names: current.sandbox.store.stackFiles(stack.id).map(file => file.name)}));
}

function looseNames(current: Rig, folderId = current.folderId): string[] {
	return current.sandbox.store
		.children(folderId)
		.filter((child): child is FrameioFile => child.type === 'file')
		.map(file => file.name)
		.sort();
}

async function uploadOne(current: Rig, q: UploadQueue, path: string) {
	const job = q.add({path, targetFolderId: current.folderId});
	q.resume();
	await q.onIdle();
	return q.get(job.id)!;
}

describe('version stacking after an upload', () => {
	it('v001, v002, v003 of one shot, one after the other, end in one stack in order; each says what it stacked on', async () => {
		rig = await startRig();
		const changed: string[] = [];
		queue = await openQueue(rig, {versionStacking: stacking(rig, changed), paused: true});
		const dir = testDir('stack-seq');
		const v1 = await uploadOne(rig, queue, makeFile(dir, 'UNDLM_SEQ01_00042_v001.mp4', 20 * KiB));
		expect(v1.state).toBe('done');
		expect(v1.stack).toBeUndefined(); // nothing to stack with yet
		expect(stacksIn(rig)).toEqual([]);

		const v2 = await uploadOne(rig, queue, makeFile(dir, 'UNDLM_SEQ01_00042_v002.mp4', 30 * KiB));
		const [stack] = stacksIn(rig);
		expect(v2.stack).toEqual({state: 'stacked', stackId: stack.id, on: 'v001', head: 'v002', created: true});
		expect(changed).toContain(rig.folderId); // its cached listing must go

		const v3 = await uploadOne(rig, queue, makeFile(dir, 'UNDLM_SEQ01_00042_v003.mp4', 10 * KiB));
		expect(v3.stack).toEqual({state: 'stacked', stackId: stack.id, on: 'v002', head: 'v003', created: false});
		expect(stacksIn(rig).map(each => each.names)).toEqual([['UNDLM_SEQ01_00042_v001.mp4', 'UNDLM_SEQ01_00042_v002.mp4', 'UNDLM_SEQ01_00042_v003.mp4']]);
		expect(stacksIn(rig)[0].head_version?.id).toBe(v3.fileId);
		expect(looseNames(rig)).toEqual([]);
		// The snapshot carries it, for the console's Uploads tab.
		expect(queue.snapshot().jobs.find(job => job.id === v3.id)?.stack?.on).toBe('v002');
	});

	it('three versions queued together stack in version order even when the newest lands first', async () => {
		rig = await startRig();
		const proxy = await startPartProxy(rig);
		let releaseOldest!: () => void;
		const oldestHeld = new Promise<void>(resolve => (releaseOldest = resolve));
		proxy.delayFor = fileId => (rig!.sandbox.store.getFile(fileId)?.name.endsWith('v001.mp4') ? oldestHeld : 0);
		queue = await openQueue(rig, {api: proxy.api, versionStacking: stacking(rig), paused: true, overrides: {maxConcurrentUploads: 3}});
		const dir = testDir('stack-race');
		const jobs = ['v003', 'v002', 'v001'].map(version => queue!.add({path: makeFile(dir, `UNDLM_SEQ01_00042_${version}.mp4`, 20 * KiB), targetFolderId: rig!.folderId}));
		queue.resume();
		// v002 and v003 land while v001's parts are held: they wait for it instead of stacking without it.
		await waitUntil(() => jobs.slice(0, 2).every(job => queue!.get(job.id)?.state === 'verifying' && queue!.get(job.id)?.bytesDone === 20 * KiB));
		expect(stacksIn(rig)).toEqual([]);
		releaseOldest();
		await queue.onIdle();
		expect(jobs.map(job => queue!.get(job.id)?.state)).toEqual(['done', 'done', 'done']);
		expect(stacksIn(rig).map(each => each.names)).toEqual([['UNDLM_SEQ01_00042_v001.mp4', 'UNDLM_SEQ01_00042_v002.mp4', 'UNDLM_SEQ01_00042_v003.mp4']]);
		await proxy.close();
	});

	it('a version older than the head of an existing stack stays loose, with the reason; a newer one still tops the stack', async () => {
		rig = await startRig();
		const store = rig.sandbox.store;
		const v1 = store.addFile(rig.folderId, 'UNDLM_SEQ01_00042_v001.mp4', 1000);
		const v3 = store.addFile(rig.folderId, 'UNDLM_SEQ01_00042_v003.mp4', 1000);
		const existing = store.createVersionStack(rig.folderId, [v1.id, v3.id]);
		queue = await openQueue(rig, {versionStacking: stacking(rig), paused: true});
		const dir = testDir('stack-older');
		const v2 = await uploadOne(rig, queue, makeFile(dir, 'UNDLM_SEQ01_00042_v002.mp4', 20 * KiB));
		expect(v2.state).toBe('done');
		expect(v2.stack).toMatchObject({state: 'refused', stackId: existing.id, head: 'v003'});
		expect(v2.stack?.reason).toMatch(/^v002 is older than v003, the head of its version stack .*left loose beside it$/);
		expect(looseNames(rig)).toEqual(['UNDLM_SEQ01_00042_v002.mp4']);

		const v4 = await uploadOne(rig, queue, makeFile(dir, 'UNDLM_SEQ01_00042_v004.mp4', 20 * KiB));
		expect(v4.stack).toMatchObject({state: 'stacked', stackId: existing.id, on: 'v003', head: 'v004'});
		expect(stacksIn(rig)[0].names).toEqual(['UNDLM_SEQ01_00042_v001.mp4', 'UNDLM_SEQ01_00042_v003.mp4', 'UNDLM_SEQ01_00042_v004.mp4']);
	});

	it('without a stack, a version lands in its place among the loose ones (oldest to newest), past ten files too', async () => {
		rig = await startRig();
		const store = rig.sandbox.store;
		// v001…v012 but v005 loose, another shot and a name without a version beside them.
		for (let version = 1; version <= 12; version++) {
			if (version !== 5) store.addFile(rig.folderId, `UNDLM_SEQ01_00042_v${String(version).padStart(3, '0')}.mp4`, 1000 + version);
		}
		store.addFile(rig.folderId, 'UNDLM_SEQ01_00043_v001.mp4', 1000);
		store.addFile(rig.folderId, 'notes.txt', 10);
		queue = await openQueue(rig, {versionStacking: stacking(rig), paused: true});
		const v5 = await uploadOne(rig, queue, makeFile(testDir('stack-middle'), 'UNDLM_SEQ01_00042_v005.mp4', 20 * KiB));
		expect(v5.stack).toMatchObject({state: 'stacked', on: 'v004', head: 'v012', created: true});
		const [stack] = stacksIn(rig);
		expect(stack.names).toEqual(Array.from({length: 12}, (_, index) => `UNDLM_SEQ01_00042_v${String(index + 1).padStart(3, '0')}.mp4`));
		expect(looseNames(rig)).toEqual(['UNDLM_SEQ01_00043_v001.mp4', 'notes.txt']);
	});

	it('off (no versionStacking): every file stays loose; a name without a version is never stacked', async () => {
		rig = await startRig();
		const dir = testDir('stack-off');
		queue = await openQueue(rig, {paused: true});
		await uploadOne(rig, queue, makeFile(dir, 'UNDLM_SEQ01_00042_v001.mp4', 20 * KiB));
		const v2 = await uploadOne(rig, queue, makeFile(dir, 'UNDLM_SEQ01_00042_v002.mp4', 20 * KiB));
		expect(v2.stack).toBeUndefined();
		expect(stacksIn(rig)).toEqual([]);
		await queue.close();

		queue = await openQueue(rig, {versionStacking: stacking(rig), paused: true});
		const other = await uploadOne(rig, queue, makeFile(dir, 'take3.mov', 20 * KiB));
		expect(other.stack).toBeUndefined();
		expect(looseNames(rig)).toEqual(['UNDLM_SEQ01_00042_v001.mp4', 'UNDLM_SEQ01_00042_v002.mp4', 'take3.mov']);
	});

	it('the placement is saved with the job: a reopened queue still says where the file went', async () => {
		rig = await startRig();
		rig.sandbox.store.addFile(rig.folderId, 'UNDLM_SEQ01_00042_v001.mp4', 1000);
		const stateDir = testDir('stack-state');
		queue = await openQueue(rig, {stateDir, versionStacking: stacking(rig), paused: true});
		const v2 = await uploadOne(rig, queue, makeFile(testDir('stack-saved'), 'UNDLM_SEQ01_00042_v002.mp4', 20 * KiB));
		await queue.close();
		queue = await openQueue(rig, {stateDir, versionStacking: stacking(rig), paused: true});
		expect(queue.get(v2.id)?.stack).toEqual({state: 'stacked', stackId: stacksIn(rig)[0].id, on: 'v001', head: 'v002', created: true});
	});

	it('a failing stack call leaves the upload done and the file loose, saying why', async () => {
		rig = await startRig();
		rig.sandbox.store.addFile(rig.folderId, 'UNDLM_SEQ01_00042_v001.mp4', 1000);
		const options = stacking(rig);
		const broken: VersionStackingOptions = {
			...options,
			api: {
				...options.api,
				createVersionStack: async () => {
					throw Object.assign(new Error('the API is down'), {code: 'network'});
				},
			},
		};
		queue = await openQueue(rig, {versionStacking: broken, paused: true});
		const v2 = await uploadOne(rig, queue, makeFile(testDir('stack-fail'), 'UNDLM_SEQ01_00042_v002.mp4', 20 * KiB));
		expect(v2.state).toBe('done');
		expect(v2.stack).toEqual({state: 'failed', reason: 'the version stack could not be updated: the API is down'});
		expect(looseNames(rig)).toEqual(['UNDLM_SEQ01_00042_v001.mp4', 'UNDLM_SEQ01_00042_v002.mp4']);
	});
});

async function waitUntil(probe: () => boolean, timeoutMs = 10_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > until) throw new Error('timed out waiting');
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
