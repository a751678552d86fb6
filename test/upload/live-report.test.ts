// A console on a box where `watch` holds the upload queue follows its uploads from the live report the holder writes
// beside the queue file: real bytes while a transfer runs, whose process it is, and every change refused.
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {followHeldQueue} from '../../source/app/held-queue.js';
import {LIVE_REPORT_FILE, readLiveReport} from '../../source/upload/live-report.js';
import {KiB, makeFile, openQueue, startPartProxy, startRig, testDir, type Rig} from './harness.js';

let rig: Rig;
let dir: string;

beforeAll(async () => {
	rig = await startRig({partSize: 64 * KiB});
	dir = testDir('live-report');
});
afterAll(() => rig.close());

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)?.slice(0, 300)}`);
		await sleep(20);
	}
}

describe('the live report of the queue holder', () => {
	it('reports the bytes of a running transfer, and is removed when the queue closes', async () => {
		const stateDir = path.join(dir, 'state-a');
		const proxy = await startPartProxy(rig);
		proxy.delayFor = () => 40;
		const file = makeFile(dir, 'live_v001.mov', 40 * 64 * KiB);
		const queue = await openQueue(rig, {api: proxy.api, stateDir, liveReport: {role: 'watch', intervalMs: 50}});
		const follower = followHeldQueue(stateDir, {intervalMs: 50});
		try {
			const {id} = queue.add({path: file, targetFolderId: rig.folderId});
			// Mid-transfer: the queue file does not move with the bytes, the report does.
			const report = await until(
				() => readLiveReport(stateDir),
				value => (value?.snapshot.jobs.find(job => job.id === id)?.bytesDone ?? 0) > 0 && value!.snapshot.jobs[0].state === 'uploading',
			);
			expect(report!.role).toBe('watch');
			expect(report!.pid).toBe(process.pid);
			const job = report!.snapshot.jobs[0];
			expect(job.bytesDone).toBeLessThan(job.size);
			expect(job.percent).toBeLessThan(100);
			// The follower shows the same job, says whose it is, and refuses changes with the reason.
			await until(() => follower.snapshot().jobs.length, count => count === 1);
			expect(follower.snapshot().jobs[0].name).toBe('live_v001.mov');
			expect(follower.heldNote()).toContain(`watch (pid ${process.pid})`);
			await expect(follower.add('/tmp/x.mov')).rejects.toThrow(/watch \(pid \d+\) holds this box's upload queue/);
			await expect(follower.cancel(id)).rejects.toThrow(/only it adds, cancels, retries or pauses/);
			await until(() => queue.get(id)!.state, state => state === 'done', 30_000);
			await until(() => follower.snapshot().jobs[0]?.state, state => state === 'done');
		} finally {
			follower.stop();
			await queue.close();
		}
		expect(existsSync(path.join(stateDir, LIVE_REPORT_FILE))).toBe(false);
	});

	it('a queue without a role writes no report', async () => {
		const stateDir = path.join(dir, 'state-b');
		const queue = await openQueue(rig, {stateDir});
		await sleep(100);
		expect(existsSync(path.join(stateDir, LIVE_REPORT_FILE))).toBe(false);
		await queue.close();
	});

	it('says when the holder stopped reporting, and when the report is not one', async () => {
		const stateDir = path.join(dir, 'state-c');
		mkdirSync(stateDir, {recursive: true});
		const file = path.join(stateDir, LIVE_REPORT_FILE);
		// A holder alive (this process) that stopped reporting, then one that is gone (a process that has exited).
		writeFileSync(file, JSON.stringify({pid: process.pid, role: 'watch', at: Date.now() - 60_000, snapshot: {jobs: [], total: {}}}));
		const follower = followHeldQueue(stateDir, {intervalMs: 20});
		try {
			await until(() => follower.heldNote(), note => note.includes('has not reported for'));
			expect(follower.heldNote()).toContain(`watch (pid ${process.pid})`);
			const gone = spawn(process.execPath, ['-e', '']);
			await new Promise(resolve => gone.on('exit', resolve));
			writeFileSync(file, JSON.stringify({pid: gone.pid, role: 'watch', at: Date.now() - 60_000, snapshot: {jobs: [], total: {}}}));
			await until(() => follower.heldNote(), note => note.includes('is gone'));
			expect(follower.heldNote()).toBe(`watch (pid ${gone.pid}) is gone (killed?): restart the console to manage uploads here`);
			writeFileSync(file, '{"pid": "\\u001b[2J"}');
			await until(() => follower.heldNote(), note => note.includes('is not an upload report of frameio-admin'));
			writeFileSync(file, 'not json');
			await until(() => follower.heldNote(), note => note.includes('is not JSON'));
		} finally {
			follower.stop();
		}
	});
});
