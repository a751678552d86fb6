// Uploads under faults: failing parts are retried, 5xx on API calls are ridden out, a part that keeps failing fails
// its file (and only its file) with a clear reason, and no broken placeholder is left behind.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {UploadApi} from '../../source/upload/index.js';
import {filesNamed, KiB, makeFile, openQueue, partPuts, seededRandom, sha256File, startRig, testDir, uploadEvents, type Rig} from './harness.js';

let rig: Rig;
let dir: string;

beforeAll(async () => {
	// Seeded fault draws: the same requests fail on every run.
	rig = await startRig({partSize: 64 * KiB, random: seededRandom(20_251_123)});
	dir = testDir('upload-faults');
});
afterAll(() => rig.close());

describe('uploads under faults', () => {
	it('with 10 % part failures and 5 % API 5xx, 20 uploads all finish byte-exact, each exactly once', async () => {
		rig.sandbox.setFaults({partFailureRate: 0.1, errorRate: 0.05});
		rig.sandbox.clearRequests();
		const files = Array.from({length: 20}, (_, index) => makeFile(dir, `SH${String(index).padStart(3, '0')}_v001.mov`, 40 * KiB + index * 23 * KiB));
		const queue = await openQueue(rig);
		try {
			const jobs = files.map(file => queue.add({path: file, targetFolderId: rig.folderId}));
			await queue.onIdle();
			const snapshot = queue.snapshot();
			expect(snapshot.total.done).toBe(20);
			expect(snapshot.total.failed).toBe(0);
			// Part failures did happen (about 24 of some 240 parts), and were retried. Whether one of the ~70 API
			// calls drew a 5xx varies from run to run: the next test makes them certain.
			expect(rig.sandbox.requests.filter(request => request.faulted === 'part_failure').length).toBeGreaterThan(0);
			expect(snapshot.total.retries).toBeGreaterThan(0);
			for (const [index, added] of jobs.entries()) {
				const job = queue.get(added.id)!;
				expect(filesNamed(rig, job.name)).toHaveLength(1);
				expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(files[index]));
			}
			expect(rig.sandbox.requests.filter(request => request.status === 403)).toHaveLength(0);
		} finally {
			rig.sandbox.setFaults({});
			await queue.close();
		}
	});

	it('fails a file whose part keeps failing, with the part and the attempts in the reason, and deletes its placeholder', async () => {
		rig.sandbox.setFaults({partFailureRate: 1});
		rig.sandbox.clearRequests();
		rig.events.length = 0;
		const file = makeFile(dir, 'doomed_v001.mov', 3 * 64 * KiB);
		const queue = await openQueue(rig, {overrides: {retry: {maxRetries: 3}}});
		try {
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			await queue.onIdle();
			const job = queue.get(id)!;
			expect(job.state).toBe('failed');
			expect(job.error).toMatch(/^part [123]\/3 failed after 4 attempts: HTTP 500 InternalError$/);
			expect(job.fileId).toBeUndefined();
			expect(filesNamed(rig, 'doomed_v001.mov')).toHaveLength(0);
			// The failing part was tried max_retries + 1 times, no more.
			const attemptsByPart = new Map<string, number>();
			for (const put of partPuts(rig)) attemptsByPart.set(put.path, (attemptsByPart.get(put.path) ?? 0) + 1);
			expect(Math.max(...attemptsByPart.values())).toBe(4);
			expect(uploadEvents(rig)).toMatchObject([{id, outcome: 'failed', reason: job.error}]);

			// Retry of the failed job, once the fault is gone: done, byte-exact, one file.
			rig.sandbox.setFaults({});
			expect(queue.retry(id)).toBe(true);
			expect(queue.get(id)!.state).not.toBe('failed');
			await queue.onIdle();
			const retried = queue.get(id)!;
			expect(retried.state).toBe('done');
			expect(retried.runs).toBe(2);
			expect(filesNamed(rig, 'doomed_v001.mov')).toHaveLength(1);
			expect(rig.sandbox.store.fileSha256(retried.fileId!)).toBe(await sha256File(file));
		} finally {
			rig.sandbox.setFaults({});
			await queue.close();
		}
	});

	it('a failing file does not stop the others', async () => {
		const good = makeFile(dir, 'good_v001.mov', 100 * KiB);
		const missingLater = makeFile(dir, 'gone_v001.mov', 100 * KiB);
		const queue = await openQueue(rig, {paused: true});
		try {
			const a = queue.add({path: missingLater, targetFolderId: rig.folderId});
			const b = queue.add({path: good, targetFolderId: rig.folderId});
			const {rmSync} = await import('node:fs');
			rmSync(missingLater);
			queue.resume();
			await queue.onIdle();
			expect(queue.get(a.id)).toMatchObject({state: 'failed', error: expect.stringMatching(/ENOENT/)});
			expect(queue.get(b.id)!.state).toBe('done');
		} finally {
			await queue.close();
		}
	});

	it('times a hanging part out after timeout_seconds and retries it', async () => {
		// A part endpoint that accepts the request and never answers; the API is the real sandbox's.
		const hanging: Server = createServer(() => {});
		await new Promise<void>(resolve => hanging.listen(0, '127.0.0.1', resolve));
		const port = (hanging.address() as AddressInfo).port;
		const api: UploadApi = {
			...rig.api,
			localUpload: async (...args) => {
				const created = await rig.api.localUpload(...args);
				return {...created, upload_urls: created.upload_urls.map((part, index) => ({...part, url: `http://127.0.0.1:${port}/hang/${index}`}))};
			},
		};
		const file = makeFile(dir, 'hang_v001.mov', 1000);
		const queue = await openQueue(rig, {api, overrides: {partTimeoutMs: 150, retry: {maxRetries: 1}}});
		try {
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			await queue.onIdle();
			expect(queue.get(id)).toMatchObject({state: 'failed', retries: 1, error: 'part 1/1 failed after 2 attempts: timed out after 0.15 s'});
			expect(filesNamed(rig, 'hang_v001.mov')).toHaveLength(0);
		} finally {
			await queue.close();
			hanging.closeAllConnections();
			await new Promise(resolve => hanging.close(resolve));
		}
	});

	it('refuses to slice a file when the part sizes do not add up to its size', async () => {
		const api: UploadApi = {
			...rig.api,
			localUpload: async (...args) => {
				const created = await rig.api.localUpload(...args);
				return {...created, upload_urls: created.upload_urls.map(part => ({...part, size: part.size + 1}))};
			},
		};
		rig.sandbox.clearRequests();
		const file = makeFile(dir, 'mismatch_v001.mov', 2 * 64 * KiB);
		const queue = await openQueue(rig, {api});
		try {
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			await queue.onIdle();
			expect(queue.get(id)).toMatchObject({
				state: 'failed',
				error: `cannot upload: the 2 part sizes add up to ${2 * 64 * KiB + 2} bytes, but the file has ${2 * 64 * KiB}`,
			});
			expect(partPuts(rig)).toHaveLength(0);
			expect(filesNamed(rig, 'mismatch_v001.mov')).toHaveLength(0);
		} finally {
			await queue.close();
		}
	});

	it('a create call whose answer is lost fails the job and leaves no placeholder behind', async () => {
		const api: UploadApi = {
			...rig.api,
			localUpload: async (...args) => {
				await rig.api.localUpload(...args); // Frame.io created it…
				throw Object.assign(new Error('socket hang up'), {status: 0}); // …and the answer never came
			},
		};
		const queue = await openQueue(rig, {api});
		try {
			const {id} = queue.add({path: makeFile(dir, 'lost_v001.mov', 1000), targetFolderId: rig.folderId});
			await queue.onIdle();
			expect(queue.get(id)).toMatchObject({state: 'failed', error: 'cannot create the file on Frame.io: socket hang up', step: 'pending'});
			expect(filesNamed(rig, 'lost_v001.mov')).toHaveLength(0);
		} finally {
			await queue.close();
		}
	});

	it('rides out 5xx answers on every kind of API call of an upload (create, status, show)', async () => {
		// Every third fault draw fails: with errorRate > 0 that is every third API request, whatever its kind.
		let draw = 0;
		const flaky = await startRig({partSize: 64 * KiB, random: () => (++draw % 3 === 0 ? 0 : 0.99)});
		flaky.sandbox.setFaults({errorRate: 0.05});
		try {
			const queue = await openQueue(flaky);
			try {
				const files = [0, 1, 2, 3].map(index => makeFile(dir, `api5xx${index}_v001.mov`, 3 * 64 * KiB));
				const jobs = files.map(file => queue.add({path: file, targetFolderId: flaky.folderId}));
				await queue.onIdle();
				const faulted = flaky.sandbox.requests.filter(request => request.faulted === 'error');
				for (const suffix of ['/local_upload', '/status']) expect(faulted.some(request => request.path.endsWith(suffix)), suffix).toBe(true);
				expect(faulted.some(request => request.method === 'GET' && /\/files\/[^/]+$/.test(request.path))).toBe(true);
				for (const [index, added] of jobs.entries()) {
					const job = queue.get(added.id)!;
					expect(job.state).toBe('done');
					expect(filesNamed(flaky, job.name)).toHaveLength(1);
					expect(flaky.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(files[index]));
				}
			} finally {
				await queue.close();
			}
		} finally {
			await flaky.close();
		}
	});
});
