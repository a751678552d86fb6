// files.update (rename), folders.update (rename) and files.copy over real HTTP, success and error.
import {createHash, randomBytes} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call} from './http.js';

let sandbox: Sandbox;
let A: string;
const MISSING = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, partSize: 1024, transcodeDelayMs: 20});
	rememberSecret(sandbox.token);
	A = `/v4/accounts/${sandbox.ids.accountId}`;
});
afterAll(() => sandbox.close());

describe('files.update', () => {
	it('renames a file (200, the File), keeps it on an empty data, refuses bad names and other fields (422), unknown ids (404)', async () => {
		const file = sandbox.store.addFile(sandbox.ids.wipFolderId, 'old.mp4', 10);
		const renamed = await call(sandbox, 'PATCH', `${A}/files/${file.id}`, {json: {data: {name: 'new.mp4'}}});
		expect(renamed.status).toBe(200);
		expect(renamed.body.data).toMatchObject({id: file.id, name: 'new.mp4', type: 'file'});
		expect((await call(sandbox, 'GET', `${A}/files/${file.id}`)).body.data.name).toBe('new.mp4');
		expect((await call(sandbox, 'PATCH', `${A}/files/${file.id}`, {json: {data: {}}})).body.data.name).toBe('new.mp4');
		for (const [data, pointer] of [[{name: ''}, '/data/name'], [{name: 'x'.repeat(256)}, '/data/name'], [{name: 'a', status: 'uploaded'}, '/data/status']] as const) {
			const reply = await call(sandbox, 'PATCH', `${A}/files/${file.id}`, {json: {data}});
			expect(reply.status, JSON.stringify(data)).toBe(422);
			expect(reply.body.errors[0].source.pointer).toBe(pointer);
		}
		expect((await call(sandbox, 'PATCH', `${A}/files/${MISSING}`, {json: {data: {name: 'x'}}})).status).toBe(404);
		expect((await call(sandbox, 'PATCH', `${A}/files/${file.id}`, {body: '{', headers: {'content-type': 'application/json'}})).status).toBe(400);
	});
});

describe('folders.update', () => {
	it('renames a folder, refuses the project root (403), bad bodies (422) and unknown ids (404)', async () => {
		const folder = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC01');
		const renamed = await call(sandbox, 'PATCH', `${A}/folders/${folder.id}`, {json: {data: {name: 'SC01_SEQ01'}}});
		expect(renamed.status).toBe(200);
		expect(renamed.body.data).toMatchObject({id: folder.id, name: 'SC01_SEQ01', type: 'folder', cover_file_id: null});
		expect((await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}/folders`)).body.data.map((item: any) => item.name)).toContain('SC01_SEQ01');
		expect((await call(sandbox, 'PATCH', `${A}/folders/${folder.id}`, {json: {data: {name: ''}}})).status).toBe(422);
		expect((await call(sandbox, 'PATCH', `${A}/folders/${folder.id}`, {json: {name: 'x'}})).status).toBe(422);
		expect((await call(sandbox, 'PATCH', `${A}/folders/${sandbox.ids.rootFolderId}`, {json: {data: {name: 'x'}}})).status).toBe(403);
		expect((await call(sandbox, 'PATCH', `${A}/folders/${MISSING}`, {json: {data: {name: 'x'}}})).status).toBe(404);
	});
});

describe('files.copy', () => {
	async function uploaded(bytes: Buffer): Promise<string> {
		const file = (await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {json: {data: {name: 'orig.mov', file_size: bytes.length}}})).body.data;
		let offset = 0;
		for (const part of file.upload_urls) {
			rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);
			const slice = bytes.subarray(offset, (offset += part.size));
			await fetch(part.url, {method: 'PUT', body: new Uint8Array(slice), headers: {'content-type': 'video/quicktime', 'x-amz-acl': 'private'}});
		}
		for (let tries = 0; tries < 500 && sandbox.store.fileSha256(file.id) === null; tries++) await new Promise(resolve => setTimeout(resolve, 10));
		return file.id;
	}

	it('copies a file in its own folder when no body is sent (200, a new id, same name, size, type and bytes)', async () => {
		const bytes = randomBytes(4000);
		const id = await uploaded(bytes);
		const reply = await call(sandbox, 'POST', `${A}/files/${id}/copy`);
		expect(reply.status).toBe(200);
		const copy = reply.body.data;
		expect(copy.id).not.toBe(id);
		expect(copy).toMatchObject({name: 'orig.mov', parent_id: sandbox.ids.wipFolderId, file_size: bytes.length, media_type: 'video/quicktime', type: 'file'});
		expect((await call(sandbox, 'GET', `${A}/files/${copy.id}/status`)).body.data.upload_complete).toBe(true);
		// The copy's bytes are its own: deleting the original leaves them whole.
		await call(sandbox, 'DELETE', `${A}/files/${id}`);
		expect(sandbox.store.fileBytes(copy.id)!.equals(bytes)).toBe(true);
		expect(sandbox.store.fileSha256(copy.id)).toBe(createHash('sha256').update(bytes).digest('hex'));
	});

	it('copies into another folder (parent_id), with copy_metadata and copy_comments', async () => {
		const file = sandbox.store.addFile(sandbox.ids.wipFolderId, 'seeded.mp4', 10);
		const target = sandbox.store.addFolder(sandbox.ids.rootFolderId, 'DELIVERY');
		const reply = await call(sandbox, 'POST', `${A}/files/${file.id}/copy?copy_metadata=true&copy_comments=all`, {json: {data: {parent_id: target.id}}});
		expect(reply.status).toBe(200);
		expect(reply.body.data).toMatchObject({name: 'seeded.mp4', parent_id: target.id, status: 'transcoded'});
		expect(sandbox.store.getFile(file.id)!.parent_id).toBe(sandbox.ids.wipFolderId);
	});

	it('puts the copy of a stacked file in the stack\'s folder', async () => {
		const folder = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'STACKED');
		const [a, b] = ['a.mp4', 'b.mp4'].map(name => sandbox.store.addFile(folder.id, name, 10).id);
		sandbox.store.createVersionStack(folder.id, [a, b]);
		const reply = await call(sandbox, 'POST', `${A}/files/${b}/copy`, {json: {data: {}}});
		expect(reply.body.data.parent_id).toBe(folder.id);
	});

	it('refuses a bad destination or query (422), a malformed body (400), unknown files (404)', async () => {
		const file = sandbox.store.addFile(sandbox.ids.wipFolderId, 'c.mp4', 10);
		const refused: Array<[string, unknown, string]> = [
			['', {data: {parent_id: MISSING}}, '/data/parent_id'],
			['', {data: {parent_id: file.id}}, '/data/parent_id'],
			['', {data: {name: 'x'}}, '/data/name'],
			['', {parent_id: sandbox.ids.wipFolderId}, '/parent_id'],
			['?copy_comments=some', undefined, '/copy_comments'],
			['?copy_metadata=yes', undefined, '/copy_metadata'],
		];
		for (const [query, json, pointer] of refused) {
			const reply = await call(sandbox, 'POST', `${A}/files/${file.id}/copy${query}`, json === undefined ? {} : {json});
			expect(reply.status, `${query} ${JSON.stringify(json)}`).toBe(422);
			expect(reply.body.errors[0].source.pointer).toBe(pointer);
		}
		expect((await call(sandbox, 'POST', `${A}/files/${file.id}/copy`, {body: 'nope', headers: {'content-type': 'application/json'}})).status).toBe(400);
		expect((await call(sandbox, 'POST', `${A}/files/${MISSING}/copy`)).status).toBe(404);
	});
});
