// Remote upload: Frame.io (the sandbox) fetches a URL itself; the queue creates it and polls links.status.
import {createReadStream, readFileSync, statSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createLogging} from '../../source/log/logger.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {apiCalls, filesNamed, KiB, makeFile, openQueue, sha256File, startRig, testDir, uploadEvents, type Rig} from './harness.js';

let rig: Rig;
let dir: string;
let source: Server;
let sourceBase: string;

beforeAll(async () => {
	rig = await startRig();
	dir = testDir('upload-remote');
	// A file server on loopback: the "URL the file already sits behind".
	source = createServer((req, res) => {
		const file = path.join(dir, path.basename(new URL(req.url ?? '/', 'http://x').pathname));
		try {
			res.writeHead(200, {'content-length': String(statSync(file).size)});
			createReadStream(file).pipe(res);
		} catch {
			res.writeHead(404).end();
		}
	});
	await new Promise<void>(resolve => source.listen(0, '127.0.0.1', resolve));
	sourceBase = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
});
afterAll(async () => {
	source.closeAllConnections();
	await new Promise(resolve => source.close(resolve));
	await rig.close();
});

describe('remote upload', () => {
	it('creates the file from a URL, polls links.status and records the size Frame.io got', async () => {
		const file = makeFile(dir, 'remote_v001.mov', 300 * KiB);
		const secret = rememberSecret('sig=remote-source-secret-0123456789');
		const logsDir = testDir('remote-logs');
		const logging = createLogging({logsDir});
		rig.sandbox.clearRequests();
		const queue = await openQueue(rig, {logger: logging.get('frameio.upload')});
		try {
			const added = queue.add({sourceUrl: `${sourceBase}/remote_v001.mov?${secret}`, name: 'remote_v001.mov', targetFolderId: rig.folderId});
			expect(added).toMatchObject({kind: 'remote', size: 0, sourceUrl: `${sourceBase}/remote_v001.mov`});
			await queue.onIdle();
			const job = queue.get(added.id)!;
			expect(job.error).toBeUndefined();
			expect(job).toMatchObject({state: 'done', size: 300 * KiB, bytesDone: 300 * KiB, percent: 100});
			expect(filesNamed(rig, 'remote_v001.mov')).toHaveLength(1);
			expect(rig.sandbox.store.fileSha256(job.fileId!)).toBe(await sha256File(file));
			expect(apiCalls(rig, 'POST', '/files/remote_upload')).toHaveLength(1);
			expect(apiCalls(rig, 'GET', `/files/${job.fileId}/status`).length).toBeGreaterThan(0);
			expect(uploadEvents(rig).find(event => event.id === added.id)).toMatchObject({outcome: 'done', bytes: 300 * KiB});
		} finally {
			await queue.close();
			logging.flush();
			logging.close();
		}
		expect(readFileSync(path.join(logsDir, 'frameio_admin.log'), 'utf8')).toContain('remote upload accepted: remote_v001.mov');
	});

	it('fails when Frame.io cannot fetch the source, and deletes the failed placeholder', async () => {
		const queue = await openQueue(rig);
		try {
			const {id} = queue.add({sourceUrl: `${sourceBase}/missing.mov`, name: 'missing_v001.mov', targetFolderId: rig.folderId});
			await queue.onIdle();
			expect(queue.get(id)).toMatchObject({state: 'failed', error: 'Frame.io reports upload_failed'});
			expect(filesNamed(rig, 'missing_v001.mov')).toHaveLength(0);
		} finally {
			await queue.close();
		}
	});

	it('refuses a source that is not an http(s) URL', async () => {
		const queue = await openQueue(rig);
		try {
			expect(() => queue.add({sourceUrl: 'ftp://127.0.0.1/x.mov', name: 'x.mov', targetFolderId: rig.folderId})).toThrow(/must be http\(s\)/);
			expect(() => queue.add({sourceUrl: 'not a url', name: 'x.mov', targetFolderId: rig.folderId})).toThrow(/not a valid URL/);
		} finally {
			await queue.close();
		}
	});
});
