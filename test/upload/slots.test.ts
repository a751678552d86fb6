// Transfer slots and verify slots: a file gives back its transfer slot (one of max_concurrent_uploads) as soon as
// its last part has landed, and its status polls and checks run under their own, separate bound.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {QueueEvent, UploadApi} from '../../source/upload/index.js';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import {SlotPool} from '../../source/upload/slot-pool.js';
import {uploadSettingsFrom} from '../../source/upload/upload-settings.js';
import {answerLost} from '../../source/upload/upload-api.js';
import {KiB, makeFile, openQueue, sha256File, startPartProxy, startRig, testDir, type Rig} from './harness.js';

let rig: Rig;
let dir: string;

beforeAll(async () => {
	rig = await startRig({partSize: 64 * KiB});
	dir = testDir('upload-slots');
});
afterAll(() => rig.close());

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('transfer slots', () => {
	it('the next file starts sending while the previous one is still verifying, and each job reads queued → uploading → verifying → done', async () => {
		const proxy = await startPartProxy(rig);
		// The status call of the first file is held until a part of the second file reaches the part endpoint (or 5 s
		// pass: a queue that kept the slot through verification never sends that part, and the order check fails).
		let letStatusGo!: () => void;
		const statusHeld = Promise.race([new Promise<void>(resolve => (letStatusGo = resolve)), sleep(5000)]);
		const api: UploadApi = {
			...proxy.api,
			fileStatus: async (...args) => {
				await statusHeld;
				return proxy.api.fileStatus(...args);
			},
		};
		const partsPerFile = 2;
		proxy.delayFor = () => {
			if (proxy.received > partsPerFile) letStatusGo();
			return 0;
		};
		const queue = await openQueue(rig, {api, overrides: {maxConcurrentUploads: 1}});
		const states = new Map<string, string[]>();
		const order: string[] = [];
		queue.on((event: QueueEvent) => {
			if (event.type !== 'state') return;
			const seen = states.get(event.job.id) ?? [];
			if (seen.at(-1) !== event.job.state) {
				seen.push(event.job.state);
				order.push(`${event.job.name}:${event.job.state}`);
			}
			states.set(event.job.id, seen);
		});
		try {
			const first = makeFile(dir, 'slotA_v001.mov', partsPerFile * 64 * KiB);
			const second = makeFile(dir, 'slotB_v001.mov', partsPerFile * 64 * KiB);
			const a = queue.add({path: first, targetFolderId: rig.folderId});
			const b = queue.add({path: second, targetFolderId: rig.folderId});
			await queue.onIdle();
			expect(queue.get(a.id)!.state).toBe('done');
			expect(queue.get(b.id)!.state).toBe('done');
			// B was uploading before A was done: A had given its (only) slot back once its bytes were in.
			expect(order.indexOf('slotA_v001.mov:verifying')).toBeLessThan(order.indexOf('slotB_v001.mov:uploading'));
			expect(order.indexOf('slotB_v001.mov:uploading')).toBeLessThan(order.indexOf('slotA_v001.mov:done'));
			expect(states.get(a.id)).toEqual(['queued', 'uploading', 'verifying', 'done']);
			expect(states.get(b.id)).toEqual(['queued', 'uploading', 'verifying', 'done']);
			expect(rig.sandbox.store.fileSha256(queue.get(a.id)!.fileId!)).toBe(await sha256File(first));
			expect(rig.sandbox.store.fileSha256(queue.get(b.id)!.fileId!)).toBe(await sha256File(second));
			// Totals stay truthful meanwhile: a verifying job counts as verifying, its bytes as sent.
			const total = queue.snapshot().total;
			expect(total).toMatchObject({done: 2, uploading: 0, verifying: 0, bytesDone: 4 * 64 * KiB, bytesTotal: 4 * 64 * KiB});
		} finally {
			await queue.close();
			await proxy.close();
		}
	});

	it('never verifies more than verifyConcurrency files at once, while transfers go on', async () => {
		let verifying = 0;
		let maxVerifying = 0;
		const inStatus = new Set<string>();
		const api: UploadApi = {
			...rig.api,
			// A slow status answer, so that files done sending pile up at the verify bound.
			fileStatus: async (accountId, fileId) => {
				if (!inStatus.has(fileId)) {
					inStatus.add(fileId);
					verifying++;
					maxVerifying = Math.max(maxVerifying, verifying);
				}
				await sleep(60);
				return rig.api.fileStatus(accountId, fileId);
			},
			// The size check ends a file's verification.
			file: async (accountId, fileId) => {
				const file = await rig.api.file(accountId, fileId);
				if (inStatus.delete(fileId)) verifying--;
				return file;
			},
		};
		const queue = await openQueue(rig, {api, overrides: {maxConcurrentUploads: 4, verifyConcurrency: 2}});
		try {
			const jobs = Array.from({length: 10}, (_, index) => queue.add({path: makeFile(dir, `bound${index}_v001.mov`, 64 * KiB), targetFolderId: rig.folderId}));
			let maxVerifyingState = 0;
			queue.on(() => {
				maxVerifyingState = Math.max(maxVerifyingState, queue.snapshot().total.verifying);
			});
			await queue.onIdle();
			expect(jobs.map(job => queue.get(job.id)!.state)).toEqual(Array(10).fill('done'));
			expect(maxVerifying).toBe(2);
			// More files than that were done sending and waiting to verify at one time: the bound was what held them.
			expect(maxVerifyingState).toBeGreaterThan(2);
		} finally {
			await queue.close();
		}
	});

	it('a job waiting for a verify slot can be cancelled, and its placeholder is deleted', async () => {
		let letGo!: () => void;
		const held = new Promise<void>(resolve => (letGo = resolve));
		// Whichever job gets the one verify slot first holds it (its status call is held); the other one waits.
		const polled = new Set<string>();
		const api: UploadApi = {
			...rig.api,
			fileStatus: async (accountId, fileId) => {
				polled.add(fileId);
				await held;
				return rig.api.fileStatus(accountId, fileId);
			},
		};
		const queue = await openQueue(rig, {api, overrides: {maxConcurrentUploads: 2, verifyConcurrency: 1}});
		try {
			const one = queue.add({path: makeFile(dir, 'holder_v001.mov', 64 * KiB), targetFolderId: rig.folderId});
			const two = queue.add({path: makeFile(dir, 'waiter_v001.mov', 64 * KiB), targetFolderId: rig.folderId});
			const deadline = Date.now() + 10_000;
			while (!(queue.get(one.id)!.state === 'verifying' && queue.get(two.id)!.state === 'verifying' && polled.size === 1)) {
				if (Date.now() > deadline) throw new Error('both jobs never reached verifying');
				await sleep(5);
			}
			await sleep(50);
			// Still only one in its status call: the bound held the other back.
			expect(polled.size).toBe(1);
			const [holder, waiter] = polled.has(queue.get(one.id)!.fileId!) ? [one, two] : [two, one];
			const waiterFile = queue.get(waiter.id)!.fileId!;
			expect(await queue.cancel(waiter.id)).toBe(true);
			expect(queue.get(waiter.id)!.state).toBe('cancelled');
			expect(rig.sandbox.store.fileRecord(waiterFile)).toBeUndefined();
			letGo();
			await queue.onIdle();
			expect(queue.get(holder.id)!.state).toBe('done');
			expect(polled.has(waiterFile)).toBe(false);
		} finally {
			letGo();
			await queue.close();
		}
	});
});

describe('SlotPool', () => {
	it('grants at most size slots, hands a released slot to the next waiter in order, and drops an aborted waiter', async () => {
		const pool = new SlotPool(2);
		const a = await pool.acquire();
		const b = await pool.acquire();
		const granted: string[] = [];
		const c = pool.acquire().then(release => (granted.push('c'), release));
		const abort = new AbortController();
		const d = pool.acquire(abort.signal).then(
			() => granted.push('d'),
			(error: unknown) => granted.push(`d:${(error as Error).message}`),
		);
		const e = pool.acquire().then(release => (granted.push('e'), release));
		expect(pool.inUse).toBe(2);
		expect(pool.waiting).toBe(3);
		abort.abort(new Error('gone'));
		await d;
		a();
		a(); // a second release of the same slot is a no-op
		const releaseC = await c;
		expect(granted).toEqual(['d:gone', 'c']);
		expect(pool.inUse).toBe(2);
		b();
		const releaseE = await e;
		expect(granted).toEqual(['d:gone', 'c', 'e']);
		releaseC();
		releaseE();
		expect(pool.inUse).toBe(0);
		expect(pool.waiting).toBe(0);
		await expect(pool.acquire(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
	});
});

describe('verifyConcurrency', () => {
	it('is twice max_concurrent_uploads (at least 4), follows a --parallel override, and can be set', () => {
		const config = (files: number) => ({...optimizationDefaults, upload_optimization: {...optimizationDefaults.upload_optimization, max_concurrent_uploads: files}});
		expect(uploadSettingsFrom(config(3)).verifyConcurrency).toBe(6);
		expect(uploadSettingsFrom(config(1)).verifyConcurrency).toBe(4);
		expect(uploadSettingsFrom(config(3), {maxConcurrentUploads: 5}).verifyConcurrency).toBe(10);
		expect(uploadSettingsFrom(config(3), {verifyConcurrency: 1}).verifyConcurrency).toBe(1);
	});
});

describe('answerLost', () => {
	it('is true for a timeout or a connection failure without an answer, false for any HTTP answer', () => {
		expect(answerLost(Object.assign(new Error('timed out'), {code: 'timeout', status: 0}))).toBe(true);
		expect(answerLost(Object.assign(new Error('reset'), {code: 'network', status: 0}))).toBe(true);
		expect(answerLost(Object.assign(new Error('HTTP 500'), {code: 'http', status: 500}))).toBe(false);
		expect(answerLost(Object.assign(new Error('HTTP 504'), {code: 'timeout', status: 504}))).toBe(false);
		expect(answerLost(Object.assign(new Error('open'), {code: 'breaker_open', status: 0}))).toBe(false);
		expect(answerLost(new Error('plain'))).toBe(false);
	});
});
