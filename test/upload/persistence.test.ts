// The persisted queue: every crash point of queue-store.ts, built as the file a kill -9 would leave, then a new
// queue started on it: every file ends uploaded exactly once, no broken placeholder is left, nothing done is redone.
import {randomUUID} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {FileWithUploadUrls} from '../../source/frameio/types.js';
import {QUEUE_FILE, QueueLockedError, readQueueFile, type UploadApi, type UploadJob} from '../../source/upload/index.js';
import {planRanges} from '../../source/upload/part-ranges.js';
import {apiCalls, filesNamed, KiB, makeFile, openQueue, sha256File, startPartProxy, startRig, testDir, type Rig} from './harness.js';

let rig: Rig;
let dir: string;
const PART = 64 * KiB;

beforeAll(async () => {
	rig = await startRig({partSize: PART});
	dir = testDir('upload-persist');
});
afterAll(() => rig.close());

function jobRecord(name: string, file: string, size: number, fields: Partial<UploadJob>): UploadJob {
	return {
		id: randomUUID(),
		kind: 'local',
		name,
		path: file,
		size,
		targetFolderId: rig.folderId,
		state: 'uploading',
		step: 'pending',
		staleFileIds: [],
		partsDone: 0,
		partsTotal: 0,
		bytesDone: 0,
		retries: 0,
		addedAt: new Date(Date.now() - 60_000).toISOString(),
		runs: 1,
		...fields,
	};
}

function writeQueue(stateDir: string, jobs: UploadJob[]): void {
	mkdirSync(stateDir, {recursive: true});
	writeFileSync(path.join(stateDir, QUEUE_FILE), JSON.stringify({version: 1, jobs}));
}

/** PUTs the given parts (1-based) of a created upload straight to the sandbox, as a killed process had. */
async function putParts(created: FileWithUploadUrls, file: string, numbers: number[]): Promise<void> {
	const ranges = planRanges(created.upload_urls, readFileSync(file).length);
	const bytes = readFileSync(file);
	for (const range of ranges.filter(item => numbers.includes(item.number))) {
		const response = await fetch(range.url, {
			method: 'PUT',
			headers: {'content-type': created.media_type, 'x-amz-acl': 'private'},
			body: bytes.subarray(range.start, range.end + 1),
		});
		expect(response.status).toBe(200);
	}
}

async function waitComplete(fileId: string): Promise<void> {
	for (let index = 0; index < 500; index++) {
		if ((await rig.api.fileStatus(rig.accountId, fileId)).upload_complete) return;
		await new Promise(resolve => setTimeout(resolve, 10));
	}
	throw new Error('never completed');
}

const createdStatusLeft = () => rig.sandbox.store.children(rig.folderId).filter(child => child.type === 'file' && child.status === 'created');

describe('resuming after a crash', () => {
	it('finishes every job exactly once from every crash point, and deletes every broken placeholder', async () => {
		const stateDir = testDir('state-crash');
		const local = (name: string, parts = 3) => {
			const size = parts * PART - 100;
			return {name, size, file: makeFile(dir, name, size)};
		};
		const a = local('A_pending_v001.mov');
		const b = local('B_creating_v001.mov');
		const c = local('C_created_no_parts_v001.mov');
		const d = local('D_mid_parts_v001.mov', 4);
		const e = local('E_parts_all_landed_v001.mov');
		const f = local('F_status_v001.mov');
		const g = local('G_done_v001.mov');
		const h = local('H_cancelled_v001.mov');
		const i = local('I_failed_v001.mov');
		const j = local('J_cancelled_not_deleted_v001.mov');
		const create = (item: {name: string; size: number}) => rig.api.localUpload(rig.accountId, rig.folderId, {name: item.name, file_size: item.size});

		const creatingSince = new Date(Date.now() - 1000).toISOString();
		const orphanB = await create(b);
		const placeholderC = await create(c);
		const placeholderD = await create(d);
		await putParts(placeholderD, d.file, [1, 3]);
		const landedE = await create(e);
		await putParts(landedE, e.file, [1, 2, 3]);
		const landedF = await create(f);
		await putParts(landedF, f.file, [1, 2, 3]);
		const doneG = await create(g);
		await putParts(doneG, g.file, [1, 2, 3]);
		await waitComplete(doneG.id);
		const staleH = await create(h);
		const cancelledJ = await create(j);
		await putParts(cancelledJ, j.file, [2]);

		writeQueue(stateDir, [
			jobRecord(a.name, a.file, a.size, {state: 'queued', runs: 0}),
			jobRecord(b.name, b.file, b.size, {step: 'creating', creatingSince}),
			jobRecord(c.name, c.file, c.size, {step: 'parts', fileId: placeholderC.id, partsTotal: 3}),
			jobRecord(d.name, d.file, d.size, {step: 'parts', fileId: placeholderD.id, partsTotal: 4, partsDone: 2}),
			jobRecord(e.name, e.file, e.size, {step: 'parts', fileId: landedE.id, partsTotal: 3, partsDone: 3}),
			jobRecord(f.name, f.file, f.size, {state: 'verifying', step: 'status', fileId: landedF.id, partsTotal: 3, partsDone: 3}),
			jobRecord(g.name, g.file, g.size, {state: 'done', step: 'status', fileId: doneG.id, partsTotal: 3, partsDone: 3}),
			jobRecord(h.name, h.file, h.size, {state: 'cancelled', staleFileIds: [staleH.id]}),
			jobRecord(i.name, i.file, i.size, {state: 'failed', error: 'part 1/3 failed after 4 attempts: HTTP 500'}),
			jobRecord(j.name, j.file, j.size, {state: 'cancelled', step: 'parts', fileId: cancelledJ.id, partsTotal: 3}),
		]);
		rig.sandbox.clearRequests();

		const queue = await openQueue(rig, {stateDir});
		try {
			await queue.onIdle();
			const byName = new Map(queue.snapshot().jobs.map(job => [job.name, job]));
			for (const item of [a, b, c, d, e, f, g]) {
				const job = byName.get(item.name)!;
				expect(job.state, item.name).toBe('done');
				const stored = filesNamed(rig, item.name);
				expect(stored, item.name).toHaveLength(1);
				expect(stored[0].id).toBe(job.fileId);
				expect(rig.sandbox.store.fileSha256(job.fileId!), item.name).toBe(await sha256File(item.file));
			}
			// Broken placeholders are gone, the orphan of the unanswered create too; complete ones were kept.
			for (const gone of [orphanB.id, placeholderC.id, placeholderD.id, staleH.id]) expect(rig.sandbox.store.getFile(gone)).toBeUndefined();
			// The cancelled job whose placeholder was not deleted yet: deleted now, and the job not run.
			await queue.close();
			expect(rig.sandbox.store.getFile(cancelledJ.id)).toBeUndefined();
			expect(byName.get(j.name)).toMatchObject({state: 'cancelled', runs: 1});
			expect(byName.get(e.name)!.fileId).toBe(landedE.id);
			expect(byName.get(f.name)!.fileId).toBe(landedF.id);
			expect(byName.get(g.name)!.fileId).toBe(doneG.id);
			// Re-created: A, B, C, D. Nothing else was uploaded again, and G was not even looked at.
			expect(apiCalls(rig, 'POST', '/files/local_upload')).toHaveLength(4);
			expect(rig.sandbox.requests.filter(request => request.path.includes(doneG.id))).toHaveLength(0);
			expect(byName.get(h.name)!.state).toBe('cancelled');
			expect(filesNamed(rig, h.name)).toHaveLength(0);
			expect(byName.get(i.name)).toMatchObject({state: 'failed', runs: 1});
			expect(filesNamed(rig, i.name)).toHaveLength(0);
			expect(createdStatusLeft()).toHaveLength(0);
			expect(apiCalls(rig, 'DELETE', `/files/${cancelledJ.id}`)).toHaveLength(1);
		} finally {
			await queue.close();
		}
		// The file says so too.
		const saved = await readQueueFile(stateDir);
		expect(saved.filter(job => job.state === 'done')).toHaveLength(7);
		expect(saved.find(job => job.name === h.name)!.staleFileIds).toEqual([]);
		const savedJ = saved.find(job => job.name === j.name)!;
		expect(savedJ).toMatchObject({state: 'cancelled', staleFileIds: []});
		expect(savedJ.fileId).toBeUndefined();
	});

	it('a queue stopped abruptly mid-parts (no shutdown path) is finished by the next one, exactly once', async () => {
		const stateDir = testDir('state-abrupt');
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 15;
		const file = makeFile(dir, 'abrupt_v001.mov', 30 * PART);
		const first = await openQueue(rig, {stateDir, api: proxy.api});
		const {id} = first.add({path: file, targetFolderId: rig.folderId});
		await new Promise<void>(resolve => {
			const off = first.on(event => {
				if ('job' in event && event.job.partsDone >= 3) {
					off();
					resolve();
				}
			});
		});
		const brokenId = first.get(id)!.fileId!;
		await first.close({flush: false});
		await proxy.close();
		expect((await readQueueFile(stateDir))[0]).toMatchObject({id, step: 'parts', fileId: brokenId, state: 'uploading'});
		expect(rig.sandbox.store.getFile(brokenId)?.status).toBe('created');

		const second = await openQueue(rig, {stateDir});
		try {
			await second.onIdle();
			const job = second.get(id)!;
			expect(job.state).toBe('done');
			expect(job.runs).toBe(2);
			expect(job.fileId).not.toBe(brokenId);
			expect(rig.sandbox.store.getFile(brokenId)).toBeUndefined();
			expect(filesNamed(rig, 'abrupt_v001.mov')).toHaveLength(1);
			expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(file));
		} finally {
			await second.close();
		}
	});

	it('a queue stopped while its create call was in flight leaves no orphan placeholder', async () => {
		const stateDir = testDir('state-creating');
		let release!: () => void;
		let unblock!: () => void;
		const answered = new Promise<void>(resolve => (release = resolve));
		const blocked = new Promise<void>(resolve => (unblock = resolve));
		const slowCreate: UploadApi = {
			...rig.api,
			localUpload: async (...args) => {
				const created = await rig.api.localUpload(...args);
				release();
				await blocked; // the answer reaches the queue only after it was stopped
				return created;
			},
		};
		const file = makeFile(dir, 'orphan_v001.mov', 2 * PART);
		const first = await openQueue(rig, {stateDir, api: slowCreate});
		const {id} = first.add({path: file, targetFolderId: rig.folderId});
		await answered;
		const closing = first.close({flush: false, graceMs: 100});
		expect((await readQueueFile(stateDir))[0]).toMatchObject({id, step: 'creating'});
		expect(filesNamed(rig, 'orphan_v001.mov')).toHaveLength(1);
		const orphanId = filesNamed(rig, 'orphan_v001.mov')[0].id;

		const second = await openQueue(rig, {stateDir, lockStaleMs: 2000}).catch(async error => {
			await closing;
			throw error;
		});
		try {
			await second.onIdle();
			expect(second.get(id)!.state).toBe('done');
			expect(rig.sandbox.store.getFile(orphanId)).toBeUndefined();
			expect(filesNamed(rig, 'orphan_v001.mov')).toHaveLength(1);
		} finally {
			await second.close();
			unblock();
			await closing;
		}
		// The first queue got its answer after it was stopped: it wrote nothing and created nothing more.
		expect(filesNamed(rig, 'orphan_v001.mov')).toHaveLength(1);
		expect((await readQueueFile(stateDir))[0]).toMatchObject({id, state: 'done'});
	});

	it('writes the queue on every change: a job added is in the file, done is written at once', async () => {
		const stateDir = testDir('state-writes');
		const queue = await openQueue(rig, {stateDir, paused: true, persistDebounceMs: 20});
		try {
			const {id} = queue.add({path: makeFile(dir, 'written_v001.mov', 1000), targetFolderId: rig.folderId});
			// The write is debounced (20 ms); on a loaded machine it can take longer, so wait for it (bounded).
			const written = await pollFile(stateDir, jobs => jobs.length === 1);
			expect(written).toMatchObject([{id, state: 'queued', step: 'pending', kind: 'local', size: 1000}]);
			queue.resume();
			await queue.onIdle();
			const [saved] = await pollFile(stateDir, jobs => jobs[0]?.state === 'done');
			expect(saved).toMatchObject({id, state: 'done', step: 'status', fileId: queue.get(id)!.fileId});
			expect(JSON.stringify(saved)).not.toMatch(/X-Amz|s3\/parts/);
		} finally {
			await queue.close();
		}
	});
});

async function pollFile(stateDir: string, done: (jobs: Awaited<ReturnType<typeof readQueueFile>>) => boolean, timeoutMs = 5000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const jobs = await readQueueFile(stateDir);
		if (done(jobs) || Date.now() > until) return jobs;
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('one process per queue file', () => {
	it('a second queue on the same state dir gets a clear error and can still read the queue', async () => {
		const stateDir = testDir('state-lock');
		const first = await openQueue(rig, {stateDir, paused: true});
		try {
			const {id} = first.add({path: makeFile(dir, 'locked_v001.mov', 10), targetFolderId: rig.folderId});
			await first.flush();
			await expect(openQueue(rig, {stateDir})).rejects.toThrow(QueueLockedError);
			await expect(openQueue(rig, {stateDir})).rejects.toThrow(/in use by another frameio-admin process/);
			expect((await readQueueFile(stateDir)).map(job => job.id)).toEqual([id]);
		} finally {
			await first.close();
		}
		const again = await openQueue(rig, {stateDir, paused: true});
		expect(again.snapshot().jobs).toHaveLength(1);
		await again.close();
	});

	it('with lockWaitMs, waits for the holder to let go instead of failing', async () => {
		const stateDir = testDir('state-wait');
		const first = await openQueue(rig, {stateDir, paused: true});
		setTimeout(() => void first.close(), 300);
		const second = await openQueue(rig, {stateDir, lockWaitMs: 5000});
		expect(second.stateFile).toBe(path.join(stateDir, QUEUE_FILE));
		await second.close();
	});

	it('takes over the lock of a process that died (a stale lock)', async () => {
		const stateDir = testDir('state-stale');
		writeQueue(stateDir, []);
		const lock = path.join(stateDir, `${QUEUE_FILE}.lock`);
		mkdirSync(lock);
		const old = new Date(Date.now() - 60_000);
		utimesSync(lock, old, old);
		const queue = await openQueue(rig, {stateDir, lockStaleMs: 2000});
		await queue.close();
		expect(existsSync(lock)).toBe(false);
	});

	it('sets a corrupt queue file aside and starts empty', async () => {
		const stateDir = testDir('state-corrupt');
		mkdirSync(stateDir, {recursive: true});
		writeFileSync(path.join(stateDir, QUEUE_FILE), '{"version": 1, "jobs": [');
		const queue = await openQueue(rig, {stateDir});
		try {
			expect(queue.snapshot().jobs).toHaveLength(0);
			expect(readdirSync(stateDir).filter(name => name.startsWith(`${QUEUE_FILE}.corrupt-`))).toHaveLength(1);
		} finally {
			await queue.close();
		}
	});
});
