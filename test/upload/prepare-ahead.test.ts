// Placeholders created ahead: while the running files send, the next waiting file's local_upload is made (at most
// max_concurrent_uploads ahead), so it starts sending the moment it gets a transfer slot. The job stays "queued"
// until then; a cancel or a shutdown in that time leaves no placeholder behind and no file twice.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {QueueEvent, UploadJobSnapshot, UploadQueue} from '../../source/upload/index.js';
import {apiCalls, filesNamed, KiB, makeFile, openQueue, sha256File, startPartProxy, startRig, testDir, type Rig} from './harness.js';

let rig: Rig;
let dir: string;

beforeAll(async () => {
	rig = await startRig({partSize: 64 * KiB});
	dir = testDir('upload-prepare');
});
afterAll(() => rig.close());

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
		await sleep(5);
	}
}

/** Every job's states in order, and the most jobs seen queued with a placeholder at one time. */
function watch(queue: UploadQueue) {
	const states = new Map<string, string[]>();
	const latest = new Map<string, UploadJobSnapshot>();
	let maxPrepared = 0;
	let preparedWhileOtherUploading = false;
	queue.on((event: QueueEvent) => {
		if (event.type !== 'state' && event.type !== 'progress') return;
		latest.set(event.job.id, event.job);
		const seen = states.get(event.job.id) ?? [];
		if (seen.at(-1) !== event.job.state) seen.push(event.job.state);
		states.set(event.job.id, seen);
		const jobs = [...latest.values()];
		const prepared = jobs.filter(job => job.state === 'queued' && job.fileId);
		maxPrepared = Math.max(maxPrepared, prepared.length);
		if (prepared.length > 0 && jobs.some(job => job.state === 'uploading')) preparedWhileOtherUploading = true;
	});
	return {states, get maxPrepared() { return maxPrepared; }, get preparedWhileOtherUploading() { return preparedWhileOtherUploading; }};
}

describe('placeholders created ahead', () => {
	it('creates the next waiting file while one sends, never more than max_concurrent_uploads ahead; every file once, byte-exact', async () => {
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 40;
		const queue = await openQueue(rig, {api: proxy.api, overrides: {maxConcurrentUploads: 1}});
		const seen = watch(queue);
		rig.sandbox.clearRequests();
		try {
			const files = Array.from({length: 4}, (_, index) => makeFile(dir, `ahead${index}_v001.mov`, 2 * 64 * KiB));
			const jobs = files.map(file => queue.add({path: file, targetFolderId: rig.folderId}));
			await queue.onIdle();
			for (const [index, added] of jobs.entries()) {
				const job = queue.get(added.id)!;
				expect(job.state).toBe('done');
				expect(seen.states.get(added.id)).toEqual(['queued', 'uploading', 'verifying', 'done']);
				expect(filesNamed(rig, job.name)).toHaveLength(1);
				expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(files[index]));
			}
			expect(seen.preparedWhileOtherUploading).toBe(true);
			expect(seen.maxPrepared).toBe(1);
			expect(apiCalls(rig, 'POST', '/files/local_upload')).toHaveLength(4);
		} finally {
			await queue.close();
			await proxy.close();
		}
	});

	it('a paused queue creates nothing ahead', async () => {
		const queue = await openQueue(rig, {paused: true});
		rig.sandbox.clearRequests();
		try {
			const jobs = [0, 1, 2].map(index => queue.add({path: makeFile(dir, `paused${index}_v001.mov`, 64 * KiB), targetFolderId: rig.folderId}));
			await sleep(100);
			expect(apiCalls(rig, 'POST', '/files/local_upload')).toHaveLength(0);
			expect(jobs.map(job => queue.get(job.id)!.fileId)).toEqual([undefined, undefined, undefined]);
			queue.resume();
			await queue.onIdle();
			expect(jobs.map(job => queue.get(job.id)!.state)).toEqual(['done', 'done', 'done']);
		} finally {
			await queue.close();
		}
	});

	it('cancelling a queued job whose placeholder was made ahead deletes that placeholder', async () => {
		const proxy = await startPartProxy(rig);
		let letGo!: () => void;
		const held = new Promise<void>(resolve => (letGo = resolve));
		proxy.delayFor = () => held;
		const queue = await openQueue(rig, {api: proxy.api, overrides: {maxConcurrentUploads: 1}});
		try {
			const running = queue.add({path: makeFile(dir, 'front_v001.mov', 64 * KiB), targetFolderId: rig.folderId});
			const waiting = queue.add({path: makeFile(dir, 'behind_v001.mov', 64 * KiB), targetFolderId: rig.folderId});
			await until(() => Boolean(queue.get(waiting.id)!.fileId), 'the waiting job has its placeholder');
			const placeholder = queue.get(waiting.id)!.fileId!;
			expect(queue.get(waiting.id)!.state).toBe('queued');
			expect(queue.get(running.id)!.state).toBe('uploading');
			expect(rig.sandbox.store.fileRecord(placeholder)).toBeDefined();
			expect(await queue.cancel(waiting.id)).toBe(true);
			expect(queue.get(waiting.id)!.state).toBe('cancelled');
			expect(rig.sandbox.store.fileRecord(placeholder)).toBeUndefined();
			expect(filesNamed(rig, 'behind_v001.mov')).toHaveLength(0);
			letGo();
			await queue.onIdle();
			expect(queue.get(running.id)!.state).toBe('done');
			expect(queue.get(waiting.id)!.state).toBe('cancelled');
		} finally {
			letGo();
			await queue.close();
			await proxy.close();
		}
	});

	it('a queue closed while a placeholder waits ahead is finished by the next one: every file exactly once, no placeholder left', async () => {
		const stateDir = testDir('prepare-state');
		const proxy = await startPartProxy(rig);
		let letGo!: () => void;
		const held = new Promise<void>(resolve => (letGo = resolve));
		proxy.delayFor = () => held;
		const names = ['closeA_v001.mov', 'closeB_v001.mov', 'closeC_v001.mov'];
		const files = names.map(name => makeFile(dir, name, 2 * 64 * KiB));
		const first = await openQueue(rig, {api: proxy.api, stateDir, overrides: {maxConcurrentUploads: 1}});
		const ids = files.map(file => first.add({path: file, targetFolderId: rig.folderId}).id);
		await first.flush();
		await until(() => Boolean(first.get(ids[1])!.fileId), 'the second job has its placeholder');
		expect(first.get(ids[1])!.state).toBe('queued');
		await first.close({graceMs: 500});
		letGo();
		await proxy.close();

		const second = await openQueue(rig, {stateDir});
		try {
			await second.onIdle();
			for (const [index, id] of ids.entries()) {
				const job = second.get(id)!;
				expect(job.state).toBe('done');
				expect(filesNamed(rig, names[index])).toHaveLength(1);
				expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(files[index]));
			}
		} finally {
			await second.close();
		}
	});
});
