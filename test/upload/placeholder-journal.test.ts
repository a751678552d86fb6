// The in-flight journal of a queue in memory: what a killed run left is found and removed by the next one, and only
// that. A create whose answer was lost (no id journalled) is found by name and time; a file whose bytes are all in is
// kept; a live run's, another machine's or another API's journal is not touched. Real sandbox, real client.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {PlaceholderJournal, sweepJournals, UploadQueue, uploadSettingsFrom, type UploadJob} from '../../source/upload/index.js';
import {testDir} from '../helpers/secret-scan.js';
import {makeFile, startRig, testConfig, type Rig} from './harness.js';

let rig: Rig;
beforeAll(async () => {
	rig = await startRig();
});
afterAll(() => rig.close());

/** A pid that surely belonged to a process that has ended. */
function deadPid(): number {
	return spawnSync(process.execPath, ['-e', '']).pid!;
}

function job(fields: Partial<UploadJob> & {name: string}): UploadJob {
	return {
		id: `job-${fields.name}`,
		kind: 'local',
		path: `/renders/${fields.name}`,
		size: 10,
		targetFolderId: rig.folderId,
		state: 'uploading',
		step: 'parts',
		staleFileIds: [],
		partsDone: 0,
		partsTotal: 1,
		bytesDone: 0,
		retries: 0,
		addedAt: new Date().toISOString(),
		runs: 1,
		...fields,
	};
}

function writeJournal(dir: string, jobs: UploadJob[], header: Partial<{pid: number; host: string; origin: string}> = {}): string {
	mkdirSync(dir, {recursive: true});
	const file = path.join(dir, `${header.pid ?? 'x'}-${Math.random().toString(36).slice(2, 8)}.json`);
	writeFileSync(file, JSON.stringify({version: 1, pid: deadPid(), host: os.hostname(), origin: rig.sandbox.url, accountId: rig.accountId, ...header, jobs}));
	return file;
}

const namesInFolder = () => rig.sandbox.store.children(rig.folderId).map(child => child.name);

describe('sweepJournals', () => {
	it('a create whose answer was lost: the placeholder is found by name and time, and deleted', async () => {
		const since = new Date().toISOString();
		rig.sandbox.store.addFile(rig.folderId, 'lost-answer.mov', 10, 'created');
		const dir = testDir('journal');
		const file = writeJournal(dir, [job({name: 'lost-answer.mov', step: 'creating', creatingSince: since})]);
		const result = await sweepJournals(dir, {origin: rig.sandbox.url, api: rig.api});
		expect(result.removed).toEqual([{name: 'lost-answer.mov', folderId: rig.folderId}]);
		expect(namesInFolder()).not.toContain('lost-answer.mov');
		expect(existsSync(file)).toBe(false);
	});

	it('a placeholder with some parts is deleted; a complete file is kept', async () => {
		const partial = rig.sandbox.store.addFile(rig.folderId, 'partial.mov', 10, 'created');
		const complete = rig.sandbox.store.addFile(rig.folderId, 'complete.mov', 10, 'uploaded');
		const dir = testDir('journal');
		writeJournal(dir, [job({name: 'partial.mov', fileId: partial.id}), job({name: 'complete.mov', fileId: complete.id, step: 'status', state: 'verifying'})]);
		const result = await sweepJournals(dir, {origin: rig.sandbox.url, api: rig.api});
		expect(result.removed.map(each => each.name)).toEqual(['partial.mov']);
		expect(namesInFolder()).not.toContain('partial.mov');
		expect(namesInFolder()).toContain('complete.mov');
		expect(readdirSync(dir)).toEqual([]);
	});

	it('leaves the journal of a live run, of another machine and of another API alone', async () => {
		const placeholder = rig.sandbox.store.addFile(rig.folderId, 'not-mine.mov', 10, 'created');
		const jobs = [job({name: 'not-mine.mov', fileId: placeholder.id})];
		const dir = testDir('journal');
		writeJournal(dir, jobs, {pid: process.ppid});
		writeJournal(dir, jobs, {host: 'render-node-17'});
		writeJournal(dir, jobs, {origin: 'https://api.frame.io'});
		const result = await sweepJournals(dir, {origin: rig.sandbox.url, api: rig.api});
		expect(result).toEqual({removed: [], kept: 3});
		expect(namesInFolder()).toContain('not-mine.mov');
		expect(readdirSync(dir)).toHaveLength(3);
	});
});

describe('a queue in memory with a journal', () => {
	it('journals the placeholder while it uploads, and removes the file when the run ends', async () => {
		const dir = testDir('journal-queue');
		const journal = new PlaceholderJournal(dir, {origin: rig.sandbox.url, accountId: rig.accountId});
		const queue = await UploadQueue.open({api: rig.api, accountId: rig.accountId, settings: uploadSettingsFrom(testConfig()), journal});
		// Once its bytes are sent and it is being verified, the journal names the placeholder.
		const seen: string[] = [];
		queue.on(event => {
			if (event.type === 'state' && event.job.state === 'verifying' && existsSync(journal.file)) seen.push(readFileSync(journal.file, 'utf8'));
		});
		const file = makeFile(testDir('journal-files'), 'journalled.mov', 300 * 1024);
		queue.add({path: file, targetFolderId: rig.folderId});
		await queue.onIdle();
		await queue.close();
		expect(seen.length).toBeGreaterThan(0);
		expect(seen[0]).toContain('"name": "journalled.mov"');
		expect(existsSync(journal.file)).toBe(false);
		expect(rig.sandbox.store.children(rig.folderId).filter(child => child.name === 'journalled.mov')).toHaveLength(1);
	});
});
