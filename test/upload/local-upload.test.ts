// Byte-exact local uploads through the real client and the sandbox over loopback.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mediaTypeFor, planParts} from '../../source/sandbox/index.js';
import {filesNamed, KiB, makeFile, MiB, openQueue, partPuts, sha256File, startRig, testDir, uploadEvents, type Rig} from './harness.js';

let rig: Rig;
let dir: string;
const PART = 64 * KiB;

beforeAll(async () => {
	rig = await startRig({partSize: PART});
	dir = testDir('upload-local');
});
afterAll(() => rig.close());

describe('local upload', () => {
	const cases: Array<[string, number]> = [
		['one byte', 1],
		['exactly one part', PART],
		['one byte over a part boundary', PART + 1],
		['several uneven parts', 5 * PART + 777],
	];
	it.each(cases)('%s: the sandbox holds the same bytes as the local file', async (label, size) => {
		const name = `${label.replace(/ /g, '_')}.mov`;
		const file = makeFile(dir, name, size);
		const queue = await openQueue(rig);
		try {
			const added = queue.add({path: file, targetFolderId: rig.folderId});
			expect(added.state).toBe('queued');
			expect(added.size).toBe(size);
			await queue.onIdle();
			const job = queue.get(added.id)!;
			expect(job.error).toBeUndefined();
			expect(job.state).toBe('done');
			expect(job.partsTotal).toBe(planParts(size, PART).length);
			expect(job.partsDone).toBe(job.partsTotal);
			expect(job.bytesDone).toBe(size);
			expect(job.percent).toBe(100);
			const stored = filesNamed(rig, name);
			expect(stored).toHaveLength(1);
			expect(stored[0].id).toBe(job.fileId);
			expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(file));
			expect(job.viewUrl).toBe(rig.sandbox.store.getFile(job.fileId!)?.view_url);
		} finally {
			await queue.close();
		}
	});

	it('uploads a 64 MiB file in many parts, byte-exact, sending every part with exactly the signed headers', async () => {
		// Its own sandbox with 256 KiB parts: still hundreds of parts, in a fraction of the time of 64 KiB ones.
		const PART = 256 * KiB;
		const rig = await startRig({partSize: PART});
		const size = 64 * MiB + 12_345;
		const file = makeFile(dir, 'big_v001.mxf', size, {sparseEvery: 4});
		const local = await sha256File(file);
		const queue = await openQueue(rig, {overrides: {partsConcurrency: 6}});
		try {
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			await queue.onIdle();
			const job = queue.get(id)!;
			expect(job.error).toBeUndefined();
			expect(job.state).toBe('done');
			const expectedParts = planParts(size, PART);
			expect(job.partsTotal).toBe(expectedParts.length);
			expect(job.partsTotal).toBeGreaterThan(250);
			expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(local);

			const puts = partPuts(rig);
			expect(puts).toHaveLength(expectedParts.length);
			// S3 would answer 403 to a part with another Content-Type or without x-amz-acl: none was refused.
			expect(rig.sandbox.requests.filter(request => request.status === 403)).toHaveLength(0);
			for (const put of puts) {
				expect(put.status).toBe(200);
				expect(put.headers['content-type']).toBe(mediaTypeFor('big_v001.mxf'));
				expect(put.headers['x-amz-acl']).toBe('private');
				expect(put.headers.authorization).toBeUndefined();
				expect(Object.keys(put.headers).filter(header => header.startsWith('x-amz-'))).toEqual(['x-amz-acl']);
			}
			// Each part carried exactly its server-given size.
			const sizes = puts.map(put => Number(put.headers['content-length'])).sort((a, b) => a - b);
			expect(sizes).toEqual([...expectedParts].sort((a, b) => a - b));
		} finally {
			await queue.close();
			await rig.close();
		}
	});

	it('reports each finished upload on the bus with bytes, seconds and MB/s', async () => {
		rig.events.length = 0;
		const file = makeFile(dir, 'bus_v001.mp4', 3 * PART);
		const queue = await openQueue(rig);
		try {
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			await queue.onIdle();
			const events = uploadEvents(rig).filter(event => event.id === id);
			expect(events).toHaveLength(1);
			expect(events[0]).toMatchObject({outcome: 'done', name: 'bus_v001.mp4', bytes: 3 * PART});
			expect(events[0].seconds).toBeGreaterThan(0);
			expect(events[0].mbps).toBeCloseTo(3 * PART / MiB / events[0].seconds, 5);
		} finally {
			await queue.close();
		}
	});

	it('refuses what cannot be uploaded, at add', async () => {
		const queue = await openQueue(rig);
		try {
			expect(() => queue.add({path: `${dir}/missing.mov`, targetFolderId: rig.folderId})).toThrow(/no such file/);
			const empty = makeFile(dir, 'empty.mov', 0);
			expect(() => queue.add({path: empty, targetFolderId: rig.folderId})).toThrow(/empty/);
			const file = makeFile(dir, 'nofolder.mov', 10);
			expect(() => queue.add({path: file})).toThrow(/no target folder/);
		} finally {
			await queue.close();
		}
	});

	it('waits for "transcoded" only when wait_for_transcode is on', async () => {
		const slow = await startRig({partSize: PART, transcodeDelayMs: 400});
		try {
			const file = makeFile(dir, 'transcode_v001.mp4', 2 * PART);
			for (const waitForTranscode of [false, true]) {
				const queue = await openQueue(slow, {overrides: {waitForTranscode}});
				try {
					const {id} = queue.add({path: file, name: `transcode_${waitForTranscode}.mp4`, targetFolderId: slow.folderId});
					await queue.onIdle();
					const job = queue.get(id)!;
					expect(job.state).toBe('done');
					expect(slow.sandbox.store.getFile(job.fileId!)?.status).toBe(waitForTranscode ? 'transcoded' : 'uploaded');
				} finally {
					await queue.close();
				}
			}
		} finally {
			await slow.close();
		}
	});

	it('finds the target folder through resolveFolder when a job has none, once, and keeps it', async () => {
		const calls: Array<Record<string, string> | undefined> = [];
		const queue = await openQueue(rig, {
			resolveFolder: async job => {
				calls.push(job.target);
				const folder = await rig.client.createFolder(rig.accountId, rig.folderId, `${job.target!.scene}_${job.target!.shot}`);
				return folder.id;
			},
		});
		try {
			const {id} = queue.add({path: makeFile(dir, 'resolved_v001.mov', 1000), target: {scene: 'SC01', shot: 'UNDLM_00042'}});
			await queue.onIdle();
			const job = queue.get(id)!;
			expect(job.state).toBe('done');
			expect(calls).toEqual([{scene: 'SC01', shot: 'UNDLM_00042'}]);
			const folder = rig.sandbox.store.children(rig.folderId).find(child => child.type === 'folder' && child.name === 'SC01_UNDLM_00042')!;
			expect(job.targetFolderId).toBe(folder.id);
			expect(filesNamed(rig, 'resolved_v001.mov', folder.id)).toHaveLength(1);
		} finally {
			await queue.close();
		}
	});
});
