// The upload figures agree with each other (issue: truth of figures): the totals are the sum of the rows, a row
// never reads 100 % while a part is unanswered, a paused queue shows no moving speed, a cancelled upload keeps the
// bytes it sent, and bytes count on the bus as they go, not only when a file finishes.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {formatProgress} from '../../source/format/percent.js';
import type {UploadJob} from '../../source/upload/job.js';
import {jobSnapshot, queueTotals} from '../../source/upload/queue-snapshot.js';
import type {UploadQueue} from '../../source/upload/index.js';
import {KiB, makeFile, openQueue, startPartProxy, startRig, testDir, type Rig} from './harness.js';

let rig: Rig;
let dir: string;

beforeAll(async () => {
	rig = await startRig({partSize: 64 * KiB});
	dir = testDir('upload-figures');
});
afterAll(() => rig.close());

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
		await sleep(5);
	}
}

function job(fields: Partial<UploadJob>): UploadJob {
	return {id: 'j', kind: 'local', name: 'a.mov', size: 1000, state: 'uploading', step: 'parts', staleFileIds: [], partsDone: 0, partsTotal: 4, bytesDone: 0, retries: 0, addedAt: new Date(0).toISOString(), runs: 1, ...fields};
}

describe('a job row', () => {
	it('reads 99 %, not 100 %, while its last part is out but not answered', () => {
		const allSent = jobSnapshot(job({bytesDone: 1000, partsDone: 3}), 500, 1);
		expect(allSent.percent).toBeLessThan(100);
		expect(formatProgress(allSent.percent)).toBe('99 %');
		expect(formatProgress(jobSnapshot(job({bytesDone: 1000, partsDone: 4}), 500, 0).percent)).toBe('100 %');
		expect(jobSnapshot(job({state: 'verifying', bytesDone: 1000, partsDone: 4}), 0).percent).toBe(100);
	});

	it('of a paused queue with nothing in flight has no speed and no ETA; with a part still in flight it does', () => {
		const stalled = jobSnapshot(job({bytesDone: 500, partsDone: 2}), 250, 0, true);
		expect(stalled).toMatchObject({speed: 0, eta: null});
		const landing = jobSnapshot(job({bytesDone: 500, partsDone: 2}), 250, 1, true);
		expect(landing.speed).toBe(250);
		expect(landing.eta).toBe(2);
	});
});

describe('the totals', () => {
	it('are the sum of the rows: speed, bytes, and an ETA from that speed', () => {
		const rows = [jobSnapshot(job({id: 'a', bytesDone: 100, size: 1000}), 300, 1), jobSnapshot(job({id: 'b', bytesDone: 200, size: 1000}), 500, 1), jobSnapshot(job({id: 'c', state: 'queued', size: 800}), 0)];
		const total = queueTotals(rows, false);
		expect(total.speed).toBe(800);
		expect(total.bytesDone).toBe(300);
		expect(total.bytesTotal).toBe(2800);
		expect(total.eta).toBeCloseTo(2500 / 800);
		expect(total.percent).toBeLessThan(100);
	});

	it("of a real queue equal the sum of its uploading rows' speeds while files are moving", async () => {
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 15;
		const queue: UploadQueue = await openQueue(rig, {api: proxy.api});
		try {
			for (const n of [1, 2]) queue.add({path: makeFile(dir, `sum_${n}_v001.mov`, 40 * 64 * KiB), targetFolderId: rig.folderId});
			await until(() => queue.snapshot().jobs.filter(each => each.speed > 0).length === 2);
			for (let i = 0; i < 5; i++) {
				const {jobs, total} = queue.snapshot();
				const rowSum = jobs.reduce((sum, each) => sum + (each.state === 'uploading' ? each.speed : 0), 0);
				expect(total.speed).toBeCloseTo(rowSum, 6);
				await sleep(40);
			}
			await queue.onIdle();
		} finally {
			await queue.close();
			await proxy.close();
		}
	});
});

describe('a cancelled upload', () => {
	it('keeps the bytes it had sent on its row', async () => {
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 20;
		const queue = await openQueue(rig, {api: proxy.api});
		try {
			const {id} = queue.add({path: makeFile(dir, 'cancel_keeps_v001.mov', 64 * 64 * KiB), targetFolderId: rig.folderId});
			await until(() => (queue.get(id)?.partsDone ?? 0) >= 3);
			const sentBefore = queue.get(id)!.bytesDone;
			expect(sentBefore).toBeGreaterThan(0);
			await queue.cancel(id);
			const cancelled = queue.get(id)!;
			expect(cancelled.state).toBe('cancelled');
			expect(cancelled.bytesDone).toBeGreaterThanOrEqual(sentBefore);
			expect(queue.snapshot().total.bytesTotal).toBe(0);
		} finally {
			await queue.close();
			await proxy.close();
		}
	});
});

describe('bytes on the bus', () => {
	it('arrive while a file is still uploading, before its upload event', async () => {
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 60;
		const queue = await openQueue(rig, {api: proxy.api});
		try {
			rig.events.length = 0;
			const size = 40 * 64 * KiB;
			const {id} = queue.add({path: makeFile(dir, 'wire_v001.mov', size), targetFolderId: rig.folderId});
			await until(() => rig.events.some(event => event.type === 'upload-bytes'));
			expect(queue.get(id)!.state).toBe('uploading');
			expect(rig.events.some(event => event.type === 'upload')).toBe(false);
			await queue.onIdle();
			await queue.close();
			const onWire = rig.events.reduce((sum, event) => sum + (event.type === 'upload-bytes' ? event.bytes : 0), 0);
			expect(onWire).toBeGreaterThanOrEqual(size);
		} finally {
			await queue.close();
			await proxy.close();
		}
	});
});
