import {createHash, randomBytes} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mediaTypeFor, planParts, startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call} from './http.js';

const KiB = 1024;
const MiB = 1024 * 1024;
let sandbox: Sandbox;
let A: string;

beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, partSize: 256 * KiB, transcodeDelayMs: 50});
	rememberSecret(sandbox.token);
	A = `/v4/accounts/${sandbox.ids.accountId}`;
});
afterAll(() => sandbox.close());

async function createUpload(name: string, size: number) {
	const reply = await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {json: {data: {name, file_size: size}}});
	expect(reply.status).toBe(201);
	return reply.body.data as {id: string; media_type: string; status: string; upload_urls: Array<{size: number; url: string}>};
}

function putPart(url: string, body: Buffer, headers: Record<string, string>) {
	return fetch(url, {method: 'PUT', body: new Uint8Array(body), headers}).then(async response => ({status: response.status, text: await response.text()}));
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value) || Date.now() > until) return value;
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('upload plan', () => {
	it("follows Frame.io's published example: 50 645 990 bytes → 3 parts of 16 881 997 / 16 881 997 / 16 881 996", () => {
		expect(planParts(50_645_990)).toEqual([16_881_997, 16_881_997, 16_881_996]);
	});

	it('uses the part count nearest the target, sizes spread evenly with the first parts one byte larger', () => {
		expect(planParts(5 * MiB)).toEqual([5 * MiB]);
		expect(planParts(20 * MiB)).toEqual([20 * MiB]); // 1.25 targets: one part
		expect(planParts(24 * MiB + 1)).toEqual([12 * MiB + 1, 12 * MiB]); // just past 1.5 targets: two
		expect(planParts(1000, 256)).toEqual([250, 250, 250, 250]);
		expect(planParts(1003, 256)).toEqual([251, 251, 251, 250]);
		expect(planParts(10, 3)).toEqual([4, 3, 3]);
	});

	it('always covers the size exactly with at most 10 000 parts, within one byte of each other and near the target', () => {
		fc.assert(
			fc.property(fc.integer({min: 1, max: 2 ** 40}), fc.integer({min: 1, max: 64 * MiB}), (size, partSize) => {
				const parts = planParts(size, partSize);
				const target = Math.max(partSize, Math.ceil(size / 10_000));
				expect(parts.length).toBeLessThanOrEqual(10_000);
				expect(parts.reduce((sum, part) => sum + part, 0)).toBe(size);
				expect(parts.every(part => part > 0)).toBe(true);
				expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
				expect(parts.every((part, index) => index === 0 || part <= parts[index - 1])).toBe(true);
				if (parts.length > 1) {
					expect(parts[0]).toBeLessThanOrEqual(Math.ceil(target * 1.5));
					expect(parts[parts.length - 1]).toBeGreaterThanOrEqual(Math.floor(target * 0.75));
				}
			}),
			{numRuns: 300},
		);
	});

	it('derives the media type from the extension', () => {
		expect(['a.mp4', 'a.MOV', 'a.mxf', 'a.mkv', 'a.avi', 'a.bin', 'noext'].map(mediaTypeFor)).toEqual([
			'video/mp4',
			'video/quicktime',
			'application/mxf',
			'video/x-matroska',
			'video/x-msvideo',
			'application/octet-stream',
			'application/octet-stream',
		]);
	});
});

describe('local upload', () => {
	it('assembles parts byte-exact (sha256) and moves created → uploaded → transcoded', async () => {
		const bytes = randomBytes(MiB + 12_345);
		const file = await createUpload('UNDLM_SEQ01_00010_v001.mov', bytes.length);
		expect(file.media_type).toBe('video/quicktime');
		expect(file.status).toBe('created');
		expect(file.upload_urls.map(part => part.size)).toEqual(planParts(bytes.length, 256 * KiB));
		expect(file.upload_urls.length).toBe(Math.round(bytes.length / (256 * KiB)));
		expect(file.upload_urls.reduce((sum, part) => sum + part.size, 0)).toBe(bytes.length);
		for (const part of file.upload_urls) rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);

		const before = await call(sandbox, 'GET', `${A}/files/${file.id}/status`);
		expect(before.body.data).toMatchObject({id: file.id, upload_complete: false, upload_failed: false, uploaded_at: null, upload_completed_at: null});

		// Parts out of order and in parallel, as a real client sends them.
		let offset = 0;
		const slices = file.upload_urls.map(part => {
			const slice = bytes.subarray(offset, offset + part.size);
			offset += part.size;
			return {url: part.url, slice};
		});
		const order = [...slices.keys()].reverse();
		const results = await Promise.all(order.map(index => putPart(slices[index].url, slices[index].slice, {'content-type': 'video/quicktime', 'x-amz-acl': 'private'})));
		expect(results.map(result => result.status)).toEqual(order.map(() => 200));

		const status = await waitFor(
			() => call(sandbox, 'GET', `${A}/files/${file.id}/status`),
			reply => reply.body.data.upload_complete,
		);
		expect(status.body.data.upload_complete).toBe(true);
		expect(status.body.data.upload_completed_at).toEqual(expect.any(String));
		expect(sandbox.store.fileSha256(file.id)).toBe(createHash('sha256').update(bytes).digest('hex'));
		expect(sandbox.store.fileBytes(file.id)!.equals(bytes)).toBe(true);
		const shown = await call(sandbox, 'GET', `${A}/files/${file.id}`);
		expect(['uploaded', 'transcoded']).toContain(shown.body.data.status);
		const transcoded = await waitFor(() => call(sandbox, 'GET', `${A}/files/${file.id}`), reply => reply.body.data.status === 'transcoded');
		expect(transcoded.body.data.status).toBe('transcoded');
	});

	it('rejects a part PUT with the wrong content-type, no x-amz-acl or a bad signature (403 XML), and a wrong length (400)', async () => {
		const bytes = randomBytes(1000);
		const file = await createUpload('clip.mp4', bytes.length);
		const [part] = file.upload_urls;
		const wrongType = await putPart(part.url, bytes, {'content-type': 'application/octet-stream', 'x-amz-acl': 'private'});
		expect(wrongType.status).toBe(403);
		expect(wrongType.text).toMatch(/<Error><Code>SignatureDoesNotMatch<\/Code>/);
		const noAcl = await putPart(part.url, bytes, {'content-type': 'video/mp4'});
		expect(noAcl.status).toBe(403);
		expect(noAcl.text).toContain('<Code>AccessDenied</Code>');
		const badSignature = await putPart(part.url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=deadbeef'), bytes, {'content-type': 'video/mp4', 'x-amz-acl': 'private'});
		expect(badSignature.status).toBe(403);
		const short = await putPart(part.url, bytes.subarray(0, 999), {'content-type': 'video/mp4', 'x-amz-acl': 'private'});
		expect(short.status).toBe(400);
		const long = await putPart(part.url, Buffer.concat([bytes, Buffer.from('x')]), {'content-type': 'video/mp4', 'x-amz-acl': 'private'});
		expect(long.status).toBe(400);
		const status = await call(sandbox, 'GET', `${A}/files/${file.id}/status`);
		expect(status.body.data.upload_complete).toBe(false);
		expect(sandbox.store.fileSha256(file.id)).toBeNull();
		expect((await putPart(part.url, bytes, {'content-type': 'video/mp4', 'x-amz-acl': 'private'})).status).toBe(200);
		await waitFor(async () => sandbox.store.fileSha256(file.id), value => value !== null);
		expect(sandbox.store.fileSha256(file.id)).toBe(createHash('sha256').update(bytes).digest('hex'));
	});

	it('replaces a part on re-PUT and recomputes the checksum', async () => {
		const first = randomBytes(600 * KiB);
		const file = await createUpload('replace.mxf', first.length);
		const put = (data: Buffer) => {
			let offset = 0;
			return Promise.all(
				file.upload_urls.map(part => {
					const slice = data.subarray(offset, offset + part.size);
					offset += part.size;
					return putPart(part.url, slice, {'content-type': 'application/mxf', 'x-amz-acl': 'private'});
				}),
			);
		};
		await put(first);
		await waitFor(async () => sandbox.store.fileSha256(file.id), value => value !== null);
		const second = Buffer.from(first);
		second.fill(7, 0, file.upload_urls[0].size);
		expect((await putPart(file.upload_urls[0].url, second.subarray(0, file.upload_urls[0].size), {'content-type': 'application/mxf', 'x-amz-acl': 'private'})).status).toBe(200);
		const expected = createHash('sha256').update(second).digest('hex');
		const sha = await waitFor(async () => sandbox.store.fileSha256(file.id), value => value === expected);
		expect(sha).toBe(expected);
	});

	it('validates the local_upload body and deletes files (204)', async () => {
		const url = `${A}/folders/${sandbox.ids.wipFolderId}/files/local_upload`;
		for (const data of [{name: 'a.mp4'}, {name: 'a.mp4', file_size: 0}, {name: 'a.mp4', file_size: 5e12 + 1}, {name: 'a.mp4', file_size: 1.5}, {name: 'a.mp4', file_size: 10, media_type: 'video/mp4'}]) {
			expect((await call(sandbox, 'POST', url, {json: {data}})).status, JSON.stringify(data)).toBe(422);
		}
		const file = await createUpload('gone.mp4', 10);
		expect((await call(sandbox, 'DELETE', `${A}/files/${file.id}`)).status).toBe(204);
		expect((await call(sandbox, 'GET', `${A}/files/${file.id}`)).status).toBe(404);
		expect((await putPart(file.upload_urls[0].url, Buffer.alloc(10), {'content-type': 'video/mp4', 'x-amz-acl': 'private'})).status).toBe(404);
	});
});

describe('remote upload', () => {
	let source: Server;
	let sourceUrl: string;
	const payload = randomBytes(300 * KiB);

	beforeAll(async () => {
		source = createServer((req, res) => {
			if (req.url === '/clip.mp4') res.end(payload);
			else {
				res.statusCode = 404;
				res.end();
			}
		});
		await new Promise<void>(resolve => source.listen(0, '127.0.0.1', resolve));
		sourceUrl = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>(resolve => source.close(() => resolve())));

	it('fetches a loopback source_url, answers 202 with links.status, and stores the bytes', async () => {
		const reply = await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/remote_upload`, {json: {data: {name: 'remote.mp4', source_url: `${sourceUrl}/clip.mp4`}}});
		expect(reply.status).toBe(202);
		expect(reply.body.links.status).toBe(`${A}/files/${reply.body.data.id}/status`);
		const status = await waitFor(() => call(sandbox, 'GET', reply.body.links.status), r => r.body.data.upload_complete || r.body.data.upload_failed);
		expect(status.body.data).toMatchObject({upload_complete: true, upload_failed: false});
		expect(sandbox.store.fileSha256(reply.body.data.id)).toBe(createHash('sha256').update(payload).digest('hex'));
		expect(sandbox.store.getFile(reply.body.data.id)!.file_size).toBe(payload.length);
	});

	it('fails the upload for a non-loopback host or a source that answers 404', async () => {
		for (const url of ['http://example.com/clip.mp4', `${sourceUrl}/missing.mp4`, 'not a url']) {
			const reply = await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/remote_upload`, {json: {data: {name: 'remote.mp4', source_url: url}}});
			expect(reply.status).toBe(202);
			const status = await waitFor(() => call(sandbox, 'GET', reply.body.links.status), r => r.body.data.upload_failed);
			expect(status.body.data, url).toMatchObject({upload_complete: false, upload_failed: true});
		}
	});
});
