// A local_upload POST whose answer is lost (the client timed out; the sandbox did the work and answers late): the
// client does not retry it (it may have been done), so the job removes the placeholder that call left, and creates
// again, once. Never a completed file, an older file, or another job's placeholder.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createFrameioClient, SandboxTokenProvider, type FrameioClient} from '../../source/frameio/index.js';
import {uploadApiFromClient, type UploadApi} from '../../source/upload/index.js';
import {apiCalls, KiB, makeFile, openQueue, sha256File, startPartProxy, startRig, testConfig, testDir, type Rig} from './harness.js';

let rig: Rig;
let dir: string;
let client: FrameioClient;
let api: UploadApi;

const TIMEOUT_S = 0.4;
// Far past the client's timeout, so the answer is surely lost; the sandbox has created the placeholder already.
const LATE_MS = 1500;
const lateCreate = (times: number) => ({lateAnswer: {method: 'POST', pathPattern: '/files/local_upload$', delayMs: LATE_MS, times}});

beforeAll(async () => {
	rig = await startRig({partSize: 64 * KiB});
	dir = testDir('upload-create-timeout');
	const config = testConfig();
	client = createFrameioClient({
		baseUrl: rig.sandbox.url,
		auth: new SandboxTokenProvider(rig.sandbox),
		config: {...config, error_handling: {...config.error_handling, request_timeout_seconds: TIMEOUT_S}},
		rateLimitScale: 100,
	});
	api = uploadApiFromClient(client);
});
afterAll(async () => {
	client.close();
	await rig.close();
});

/** A fresh folder per test: its listing holds only what the test put there. */
function freshFolder(name: string): string {
	return rig.sandbox.store.addFolder(rig.folderId, name).id;
}

function filesIn(folderId: string, name: string) {
	return rig.sandbox.store.children(folderId).filter(child => child.type === 'file' && child.name === name);
}

describe('a create call that timed out', () => {
	it('deletes the orphaned placeholder and creates again once: one byte-exact file; a completed and an older same-named file stay', async () => {
		const folderId = freshFolder('timeout-once');
		const name = 'UNDLM_SEQ01_00101_v001.mov';
		// Already there: a completed upload of the same name a moment ago, and a stale placeholder from 10 minutes ago.
		const completed = rig.sandbox.store.addFile(folderId, name, 1234, 'uploaded');
		const old = rig.sandbox.store.addFile(folderId, name, 99, 'created', {at: new Date(Date.now() - 10 * 60_000).toISOString()});
		const file = makeFile(dir, name, 3 * 64 * KiB);
		rig.sandbox.setFaults(lateCreate(1));
		rig.sandbox.clearRequests();
		const queue = await openQueue(rig, {api});
		try {
			const {id} = queue.add({path: file, targetFolderId: folderId});
			await queue.onIdle();
			const job = queue.get(id)!;
			expect(job.error).toBeUndefined();
			expect(job.state).toBe('done');
			expect(job.runs).toBe(1);
			expect(job.retries).toBeGreaterThanOrEqual(1);
			const posts = apiCalls(rig, 'POST', '/files/local_upload');
			expect(posts).toHaveLength(2);
			expect(posts[0].faulted).toBe('late_answer');
			// The first call's placeholder was made (the work was done), then deleted by the job.
			const deletes = apiCalls(rig, 'DELETE', '').filter(request => request.path.includes('/files/'));
			expect(deletes).toHaveLength(1);
			const orphanId = deletes[0].path.split('/').at(-1)!;
			expect(orphanId).not.toBe(job.fileId);
			expect(rig.sandbox.store.fileRecord(orphanId)).toBeUndefined();
			// Left: the completed file, the old placeholder, and the new upload, byte-exact.
			expect(filesIn(folderId, name).map(entry => entry.id).sort()).toEqual([completed.id, old.id, job.fileId!].sort());
			expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(file));
		} finally {
			rig.sandbox.setFaults({});
			await queue.close();
		}
	});

	it('fails the file when the second create times out too, tries no third, and leaves no placeholder', async () => {
		const folderId = freshFolder('timeout-twice');
		const name = 'UNDLM_SEQ01_00102_v001.mov';
		const file = makeFile(dir, name, 2 * 64 * KiB);
		rig.sandbox.setFaults(lateCreate(2));
		rig.sandbox.clearRequests();
		const queue = await openQueue(rig, {api});
		try {
			const {id} = queue.add({path: file, targetFolderId: folderId});
			await queue.onIdle();
			const job = queue.get(id)!;
			expect(job.state).toBe('failed');
			expect(job.error).toMatch(/^cannot create the file on Frame\.io: .*timed out/);
			expect(apiCalls(rig, 'POST', '/files/local_upload')).toHaveLength(2);
			// Both late answers' placeholders: the first deleted before the second call, the second by the failure
			// cleanup, once its (late) creation is visible in the listing.
			const deadline = Date.now() + 5000;
			while (filesIn(folderId, name).length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
			expect(filesIn(folderId, name)).toHaveLength(0);
		} finally {
			rig.sandbox.setFaults({});
			await queue.close();
		}
	});

	it('leaves alone a same-named placeholder that another job of the queue is uploading into', async () => {
		const folderId = freshFolder('timeout-sibling');
		const name = 'UNDLM_SEQ01_00103_v001.mov';
		// Two jobs, one name, one folder: one create is answered late, the other at once; that other job's parts are
		// slowed so its placeholder is still "created" (not complete) when the sweep looks.
		const proxy = await startPartProxy(rig, api);
		proxy.delayFor = () => LATE_MS;
		const first = makeFile(dir, 'sib-a.mov', 2 * 64 * KiB);
		const second = makeFile(dir, 'sib-b.mov', 3 * 64 * KiB);
		rig.sandbox.setFaults(lateCreate(1));
		rig.sandbox.clearRequests();
		const queue = await openQueue(rig, {api: proxy.api, overrides: {maxConcurrentUploads: 2}});
		try {
			const a = queue.add({path: first, name, targetFolderId: folderId});
			const b = queue.add({path: second, name, targetFolderId: folderId});
			await queue.onIdle();
			const jobA = queue.get(a.id)!;
			const jobB = queue.get(b.id)!;
			expect([jobA.state, jobB.state]).toEqual(['done', 'done']);
			expect(apiCalls(rig, 'POST', '/files/local_upload')).toHaveLength(3);
			expect(filesIn(folderId, name).map(entry => entry.id).sort()).toEqual([jobA.fileId!, jobB.fileId!].sort());
			expect(rig.sandbox.store.fileSha256(jobA.fileId!)).toBe(await sha256File(first));
			expect(rig.sandbox.store.fileSha256(jobB.fileId!)).toBe(await sha256File(second));
		} finally {
			rig.sandbox.setFaults({});
			await queue.close();
			await proxy.close();
		}
	});
});

describe('the sandbox lateAnswer fault', () => {
	it('refuses a bad pattern, delay or count, and answers only the first `times` matches late', async () => {
		const {resolveFaults} = await import('../../source/sandbox/index.js');
		expect(() => resolveFaults({lateAnswer: {pathPattern: '(', delayMs: 10}})).toThrow(/pathPattern must be a regular expression/);
		expect(() => resolveFaults({lateAnswer: {pathPattern: 'x', delayMs: -1}})).toThrow(/delayMs must be/);
		expect(() => resolveFaults({lateAnswer: {pathPattern: 'x', delayMs: 1, times: 0}})).toThrow(/times must be/);
		const folderId = freshFolder('late-count');
		rig.sandbox.setFaults({lateAnswer: {method: 'GET', pathPattern: `/folders/${folderId}/files$`, delayMs: 300, times: 1}});
		rig.sandbox.clearRequests();
		try {
			const started = Date.now();
			await rig.api.folderFiles(rig.accountId, folderId);
			const first = Date.now() - started;
			await rig.api.folderFiles(rig.accountId, folderId);
			const lists = rig.sandbox.requests.filter(request => request.path.endsWith(`/folders/${folderId}/files`));
			expect(lists.map(request => request.faulted ?? null)).toEqual(['late_answer', null]);
			expect(first).toBeGreaterThanOrEqual(290);
		} finally {
			rig.sandbox.setFaults({});
		}
	});
});
