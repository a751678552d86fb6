// The operations the console's Uploads tab calls: pause/resume, cancel, concurrency limits, progress events.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createLogging} from '../../source/log/logger.js';
import type {QueueEvent, UploadJobSnapshot, UploadQueue} from '../../source/upload/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {apiCalls, filesNamed, KiB, seededRandom, makeFile, openQueue, sha256File, startPartProxy, startRig, testDir, uploadEvents, type Rig} from './harness.js';

let rig: Rig;
let dir: string;

beforeAll(async () => {
	rig = await startRig({partSize: 64 * KiB, random: seededRandom(4242)});
	dir = testDir('upload-control');
});
afterAll(() => rig.close());

/** Resolves with the first event that matches. */
function waitForEvent(queue: UploadQueue, match: (event: QueueEvent) => boolean, timeoutMs = 20_000): Promise<QueueEvent> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('timed out waiting for a queue event')), timeoutMs);
		const off = queue.on(event => {
			if (!match(event)) return;
			clearTimeout(timer);
			off();
			resolve(event);
		});
	});
}

const partsDoneAtLeast = (id: string, n: number) => (event: QueueEvent) => 'job' in event && event.job.id === id && event.job.partsDone >= n;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
		await sleep(5);
	}
}

describe('queue control', () => {
	it('cancel aborts a running upload, deletes its placeholder and sends no further part', async () => {
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 20; // slow enough that the upload is surely mid-way when cancelled
		const file = makeFile(dir, 'cancel_v001.mov', 64 * 64 * KiB);
		const queue = await openQueue(rig, {api: proxy.api});
		try {
			rig.events.length = 0;
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			await waitForEvent(queue, partsDoneAtLeast(id, 3));
			const fileId = queue.get(id)!.fileId!;
			expect(rig.sandbox.store.getFile(fileId)).toBeDefined();
			expect(await queue.cancel(id)).toBe(true);
			const job = queue.get(id)!;
			expect(job.state).toBe('cancelled');
			expect(job.partsDone).toBeLessThan(64);
			expect(rig.sandbox.store.getFile(fileId)).toBeUndefined();
			expect(filesNamed(rig, 'cancel_v001.mov')).toHaveLength(0);
			expect(apiCalls(rig, 'DELETE', `/files/${fileId}`)).toHaveLength(1);
			const sent = proxy.received;
			await sleep(150);
			expect(proxy.received).toBe(sent);
			expect(uploadEvents(rig)).toMatchObject([{id, outcome: 'cancelled'}]);
			expect(await queue.cancel(id)).toBe(false);
			await queue.onIdle();
		} finally {
			await queue.close();
			await proxy.close();
		}
	});

	it('cancel of a queued job: it never starts', async () => {
		const queue = await openQueue(rig, {paused: true});
		try {
			const file = makeFile(dir, 'never_v001.mov', 1000);
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			expect(await queue.cancel(id)).toBe(true);
			queue.resume();
			await queue.onIdle();
			expect(queue.get(id)).toMatchObject({state: 'cancelled', runs: 0});
			expect(filesNamed(rig, 'never_v001.mov')).toHaveLength(0);
		} finally {
			await queue.close();
		}
	});

	it('pause lets parts in flight finish and starts no new one; resume finishes the file byte-exact', async () => {
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 10;
		const file = makeFile(dir, 'pause_v001.mov', 40 * 64 * KiB);
		const queue = await openQueue(rig, {api: proxy.api});
		try {
			const events: QueueEvent[] = [];
			queue.on(event => events.push(event));
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			await waitForEvent(queue, partsDoneAtLeast(id, 2));
			queue.pause();
			expect(queue.paused).toBe(true);
			expect(events.some(event => event.type === 'paused')).toBe(true);
			// Let the parts in flight land, then nothing more may move.
			await until(() => queue.get(id)!.partsInFlight === 0);
			const sent = proxy.received;
			const partsDone = queue.get(id)!.partsDone;
			await sleep(300);
			expect(proxy.received).toBe(sent);
			expect(queue.get(id)!.partsDone).toBe(partsDone);
			expect(queue.get(id)!.state).toBe('uploading');
			expect(partsDone).toBeLessThan(40);
			expect(queue.snapshot().total.paused).toBe(true);

			// A file added while paused does not start either.
			const second = makeFile(dir, 'pause2_v001.mov', 1000);
			const other = queue.add({path: second, targetFolderId: rig.folderId});
			await sleep(100);
			expect(queue.get(other.id)!.state).toBe('queued');
			expect(filesNamed(rig, 'pause2_v001.mov')).toHaveLength(0);

			queue.resume();
			await queue.onIdle();
			const job = queue.get(id)!;
			expect(job.state).toBe('done');
			expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(file));
			expect(queue.get(other.id)!.state).toBe('done');
		} finally {
			await queue.close();
			await proxy.close();
		}
	});

	it('runs at most parts_concurrency parts of a file and max_concurrent_uploads files at once', async () => {
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 15;
		const queue = await openQueue(rig, {api: proxy.api, overrides: {partsConcurrency: 3, maxConcurrentUploads: 1}});
		try {
			const file = makeFile(dir, 'parts_v001.mov', 12 * 64 * KiB);
			queue.add({path: file, targetFolderId: rig.folderId});
			await queue.onIdle();
			expect(proxy.maxInFlight).toBe(3);
		} finally {
			await queue.close();
		}

		proxy.maxInFlight = 0;
		const files = await openQueue(rig, {api: proxy.api, overrides: {partsConcurrency: 1, maxConcurrentUploads: 2}});
		try {
			let running = 0;
			let maxRunning = 0;
			const seen = new Map<string, string>();
			files.on(event => {
				if (event.type !== 'state') return;
				const before = seen.get(event.job.id);
				seen.set(event.job.id, event.job.state);
				// A transfer slot is held while uploading; a verifying file has given its slot back (slots.test.ts).
				const active = (state?: string) => state === 'uploading';
				if (!active(before) && active(event.job.state)) running++;
				if (active(before) && !active(event.job.state)) running--;
				maxRunning = Math.max(maxRunning, running);
			});
			for (let index = 0; index < 5; index++) files.add({path: makeFile(dir, `conc${index}_v001.mov`, 4 * 64 * KiB), targetFolderId: rig.folderId});
			await files.onIdle();
			expect(files.snapshot().total.done).toBe(5);
			expect(maxRunning).toBe(2);
			// One part per file at a time, two files: never more than two parts in flight.
			expect(proxy.maxInFlight).toBeLessThanOrEqual(2);
		} finally {
			await files.close();
			await proxy.close();
		}
	});

	it('one slow file does not stall the others', async () => {
		const proxy = await startPartProxy(rig);
		const queue = await openQueue(rig, {api: proxy.api, overrides: {maxConcurrentUploads: 2}});
		try {
			const order: string[] = [];
			let release!: () => void;
			const held = new Promise<void>(resolve => (release = resolve));
			queue.on(event => {
				if (event.type !== 'state' || event.job.state !== 'done') return;
				order.push(event.job.name);
				if (order.length === 4) release();
			});
			const slow = queue.add({path: makeFile(dir, 'slow_v001.mov', 4 * 64 * KiB), targetFolderId: rig.folderId});
			await waitForEvent(queue, event => 'job' in event && event.job.id === slow.id && Boolean(event.job.fileId));
			const slowFileId = queue.get(slow.id)!.fileId!;
			// The slow file's parts hang until the four others are done: if they waited behind it, nothing would finish.
			proxy.delayFor = fileId => (fileId === slowFileId ? held : 0);
			for (let index = 0; index < 4; index++) queue.add({path: makeFile(dir, `fast${index}_v001.mov`, 2 * 64 * KiB), targetFolderId: rig.folderId});
			await queue.onIdle();
			expect(order).toHaveLength(5);
			expect(order[4]).toBe('slow_v001.mov');
			expect(queue.get(slow.id)!.state).toBe('done');
		} finally {
			await queue.close();
			await proxy.close();
		}
	});

	it('coalesces progress: at most one progress event per file per interval, state changes at once', async () => {
		const proxy = await startPartProxy(rig);
		// 12 rounds of 4 parts at ≥ 15 ms each: the file takes a few intervals however fast the machine sends.
		proxy.delayFor = () => 15;
		const queue = await openQueue(rig, {api: proxy.api, overrides: {progressIntervalMs: 100}});
		try {
			const events: Array<{at: number; event: QueueEvent}> = [];
			queue.on(event => events.push({at: Date.now(), event}));
			const {id} = queue.add({path: makeFile(dir, 'progress_v001.mov', 48 * 64 * KiB), targetFolderId: rig.folderId});
			await queue.onIdle();
			const mine = events.filter(item => 'job' in item.event && item.event.job.id === id);
			const progress = mine.filter(item => item.event.type === 'progress');
			expect(progress.length).toBeGreaterThan(1);
			// Between two events of this file (progress or state) that precede a progress event: ≥ the interval.
			for (let index = 1; index < mine.length; index++) {
				if (mine[index].event.type === 'progress') expect(mine[index].at - mine[index - 1].at).toBeGreaterThanOrEqual(95);
			}
			const states = mine.filter(item => item.event.type === 'state').map(item => (item.event as {job: UploadJobSnapshot}).job.state);
			expect(states[0]).toBe('queued');
			expect(states).toContain('uploading');
			expect(states).toContain('verifying');
			expect(states.at(-1)).toBe('done');
			const last = (mine.at(-1)!.event as {job: UploadJobSnapshot}).job;
			expect(last).toMatchObject({percent: 100, partsDone: 48, partsTotal: 48, eta: null});
			// Progress snapshots carry a speed and an ETA while bytes move.
			const moving = progress.map(item => (item.event as {job: UploadJobSnapshot}).job).filter(job => job.bytesDone > 0 && job.bytesDone < job.size);
			expect(moving.some(job => job.speed > 0 && job.eta !== null && job.eta > 0)).toBe(true);
			const total = queue.snapshot().total;
			expect(total).toMatchObject({files: 1, done: 1, bytesDone: 48 * 64 * KiB, bytesTotal: 48 * 64 * KiB, percent: 100, eta: 0});
		} finally {
			await queue.close();
			await proxy.close();
		}
	});

	it('logs start, done with MB/s, retries and failures on frameio.upload, never a presigned query', async () => {
		const logsDir = testDir('upload-logs');
		const logging = createLogging({logsDir});
		// Half the parts fail at first (seeded draws), with enough retries that the first file never fails.
		const queue = await openQueue(rig, {logger: logging.get('frameio.upload'), overrides: {retry: {maxRetries: 30}}});
		try {
			rig.sandbox.setFaults({partFailureRate: 0.5});
			const ok = queue.add({path: makeFile(dir, 'logged_v001.mov', 10 * 64 * KiB), targetFolderId: rig.folderId});
			await queue.onIdle();
			const fileId = queue.get(ok.id)!.fileId!;
			for (const signature of rig.sandbox.store.fileRecord(fileId)!.parts!.signatures) rememberSecret(signature);
			rig.sandbox.setFaults({partFailureRate: 1});
			queue.add({path: makeFile(dir, 'logfail_v001.mov', 1000), targetFolderId: rig.folderId});
			await queue.onIdle();
		} finally {
			rig.sandbox.setFaults({});
			await queue.close();
			logging.flush();
			logging.close();
		}
		const admin = readFileSync(path.join(logsDir, 'frameio_admin.log'), 'utf8');
		const errors = readFileSync(path.join(logsDir, 'frameio_errors.log'), 'utf8');
		const lines = admin.trim().split('\n').map(line => JSON.parse(line) as {logger: string; msg: string; url?: string});
		expect(lines.every(line => line.logger === 'frameio.upload')).toBe(true);
		expect(lines.some(line => line.msg.startsWith('upload start: logged_v001.mov (655360 bytes, 10 parts)'))).toBe(true);
		expect(lines.some(line => /^upload done: logged_v001\.mov, 0\.63 MB in [\d.]+ s \([\d.]+ MB\/s\)$/.test(line.msg))).toBe(true);
		const retry = lines.find(line => /^part \d+\/10 attempt 1 failed: HTTP 500 InternalError; retrying in \d+ ms$/.test(line.msg));
		expect(retry?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s3\/parts\/[^?]+$/);
		expect(errors).toContain('upload failed: logfail_v001.mov: part 1/1 failed after 31 attempts: HTTP 500 InternalError');
		expect(admin).not.toMatch(/X-Amz-Signature|X-Amz-Expires/);
	});
});
