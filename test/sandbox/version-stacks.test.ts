// Version stacks over real HTTP: create (and every way it is refused), show, children, list in folder, move into a
// stack (new head) and out of it, and how a folder's listings show a stack.
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {PUBLISHED_LIMITS, startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call, walk} from './http.js';

let sandbox: Sandbox;
let A: string;
let folderId: string;

beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false});
	rememberSecret(sandbox.token);
	A = `/v4/accounts/${sandbox.ids.accountId}`;
});
afterAll(() => sandbox.close());

beforeEach(async () => {
	const shot = await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/folders`, {json: {data: {name: `SHOT_${Math.random().toString(36).slice(2, 8)}`}}});
	folderId = shot.body.data.id;
});

const addFiles = (names: string[], parent = folderId) => names.map(name => sandbox.store.addFile(parent, name, 1000).id);
const createStack = (fileIds: unknown, parent = folderId) => call(sandbox, 'POST', `${A}/folders/${parent}/version_stacks`, {json: {data: {file_ids: fileIds}}});

describe('creating a version stack', () => {
	it('stacks 2–10 files of the folder oldest → newest: 201, the last is head_version, and the folder shows the stack instead of its files', async () => {
		const [v1, v2, v3] = addFiles(['A_v001.mp4', 'A_v002.mp4', 'A_v003.mp4']);
		const [other] = addFiles(['other.mov']);
		const reply = await createStack([v1, v2, v3]);
		expect(reply.status).toBe(201);
		const stack = reply.body.data;
		expect(stack).toMatchObject({type: 'version_stack', parent_id: folderId, project_id: sandbox.ids.projectId, name: 'A_v003.mp4'});
		expect(stack.head_version).toMatchObject({id: v3, type: 'file', parent_id: stack.id});

		const children = await call(sandbox, 'GET', `${A}/folders/${folderId}/children`);
		expect(children.body.data.map((item: any) => [item.type, item.id])).toEqual([
			['version_stack', stack.id],
			['file', other],
		]);
		expect(children.body.data[0].head_version.id).toBe(v3);
		const onlyStacks = await call(sandbox, 'GET', `${A}/folders/${folderId}/children?type=version_stack`);
		expect(onlyStacks.body.data.map((item: any) => item.id)).toEqual([stack.id]);
		const files = await call(sandbox, 'GET', `${A}/folders/${folderId}/files`);
		expect(files.body.data.map((item: any) => item.id)).toEqual([other]);
		for (const id of [v1, v2, v3]) expect((await call(sandbox, 'GET', `${A}/files/${id}`)).body.data.parent_id).toBe(stack.id);
	});

	it('refuses with 422 and the v4 error body (title, detail, source.pointer): one id, eleven, duplicates, a file of another folder, a stacked file, an unknown id, no data', async () => {
		const ids = addFiles(Array.from({length: 11}, (_, index) => `B_v${String(index + 1).padStart(3, '0')}.mp4`));
		const [elsewhere] = addFiles(['elsewhere.mp4'], sandbox.ids.wipFolderId);
		const stacked = await createStack([ids[9], ids[10]]);
		expect(stacked.status).toBe(201);
		const cases: Array<[unknown, string]> = [
			[[ids[0]], '/data/file_ids'],
			[ids.slice(0, 11), '/data/file_ids'],
			['not-a-list', '/data/file_ids'],
			[[ids[0], ids[0]], '/data/file_ids/1'],
			[[ids[0], elsewhere], '/data/file_ids/1'],
			[[ids[0], ids[10]], '/data/file_ids/1'],
			[['00000000-0000-4000-8000-000000000000', ids[0]], '/data/file_ids/0'],
			[[ids[0], 7], '/data/file_ids/1'],
		];
		for (const [fileIds, pointer] of cases) {
			const reply = await createStack(fileIds);
			expect(reply.status, JSON.stringify(fileIds)).toBe(422);
			expect(reply.body.errors[0]).toMatchObject({title: expect.any(String), detail: expect.any(String), source: {pointer}});
		}
		const noData = await call(sandbox, 'POST', `${A}/folders/${folderId}/version_stacks`, {json: {file_ids: [ids[0], ids[1]]}});
		expect(noData.status).toBe(422);
		expect(noData.body.errors[0].source.pointer).toBeTruthy();
		expect((await createStack([ids[0], ids[1]], '00000000-0000-4000-8000-000000000000')).status).toBe(404);
		// Nothing was stacked by the refused calls.
		expect(sandbox.store.getFile(ids[0])!.parent_id).toBe(folderId);
	});

	it('allows exactly ten', async () => {
		const ids = addFiles(Array.from({length: 10}, (_, index) => `C_${index}.mp4`));
		const reply = await createStack(ids);
		expect(reply.status).toBe(201);
		expect(reply.body.data.head_version.id).toBe(ids[9]);
	});
});

describe('reading version stacks', () => {
	it('shows a stack, pages its files in stack order, and lists the stacks of a folder', async () => {
		const ids = addFiles(Array.from({length: 5}, (_, index) => `D_v${index + 1}.mov`));
		const first = (await createStack(ids.slice(0, 3))).body.data;
		const second = (await createStack(ids.slice(3))).body.data;

		const shown = await call(sandbox, 'GET', `${A}/version_stacks/${first.id}`);
		expect(shown.status).toBe(200);
		expect(shown.body.data).toMatchObject({id: first.id, type: 'version_stack', head_version: {id: ids[2]}});

		const children = await walk(sandbox, `${A}/version_stacks/${first.id}/children?page_size=2`);
		expect(children.items.map(item => item.id)).toEqual(ids.slice(0, 3));
		expect(children.pages).toBe(2);
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${first.id}/children?page_size=101`)).status).toBe(422);

		const listed = await call(sandbox, 'GET', `${A}/folders/${folderId}/version_stacks?include_total_count=true`);
		expect(listed.body.data.map((item: any) => item.id)).toEqual([first.id, second.id]);
		expect(listed.body.total_count).toBe(2);
		expect((await call(sandbox, 'GET', `${A}/folders/${folderId}/version_stacks?page_size=500`)).status).toBe(200);

		const missing = '00000000-0000-4000-8000-000000000000';
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${missing}`)).status).toBe(404);
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${missing}/children`)).status).toBe(404);
		expect((await call(sandbox, 'GET', `${A}/folders/${missing}/version_stacks`)).status).toBe(404);
		expect((await call(sandbox, 'GET', `/v4/accounts/${missing}/version_stacks/${first.id}`)).status).toBe(404);
	});
});

describe('moving files', () => {
	it('a file moved into a stack becomes its head; moved to a folder it leaves the stack; a stack of one is dissolved', async () => {
		const [v1, v2, v3] = addFiles(['E_v001.mp4', 'E_v002.mp4', 'E_v003.mp4']);
		const stack = (await createStack([v1, v2])).body.data;

		const moved = await call(sandbox, 'PATCH', `${A}/files/${v3}/move`, {json: {data: {parent_id: stack.id}}});
		expect(moved.status).toBe(200);
		expect(moved.body.data).toMatchObject({id: v3, parent_id: stack.id});
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}`)).body.data.head_version.id).toBe(v3);
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}/children`)).body.data.map((item: any) => item.id)).toEqual([v1, v2, v3]);

		// Out to another folder: the stack keeps two files, v2 is head again.
		const out = await call(sandbox, 'PATCH', `${A}/files/${v3}/move`, {json: {data: {parent_id: sandbox.ids.wipFolderId}}});
		expect(out.body.data.parent_id).toBe(sandbox.ids.wipFolderId);
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}`)).body.data.head_version.id).toBe(v2);

		// Out again: one file left, so the stack is gone and v1 is back in the folder where the stack was.
		await call(sandbox, 'PATCH', `${A}/files/${v2}/move`, {json: {data: {parent_id: sandbox.ids.wipFolderId}}});
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}`)).status).toBe(404);
		const children = await call(sandbox, 'GET', `${A}/folders/${folderId}/children`);
		expect(children.body.data.map((item: any) => [item.type, item.id])).toEqual([['file', v1]]);
		expect(sandbox.store.getFile(v1)!.parent_id).toBe(folderId);
	});

	it('moves a file between folders, and refuses a missing or foreign parent_id (422) and an unknown file (404)', async () => {
		const [file] = addFiles(['F_v001.mp4']);
		const target = (await call(sandbox, 'POST', `${A}/folders/${folderId}/folders`, {json: {data: {name: 'SUB'}}})).body.data.id;
		const moved = await call(sandbox, 'PATCH', `${A}/files/${file}/move`, {json: {data: {parent_id: target}}});
		expect(moved.status).toBe(200);
		expect((await call(sandbox, 'GET', `${A}/folders/${target}/files`)).body.data.map((item: any) => item.id)).toEqual([file]);
		expect((await call(sandbox, 'GET', `${A}/folders/${folderId}/files`)).body.data).toEqual([]);

		for (const data of [{}, {parent_id: '00000000-0000-4000-8000-000000000000'}, {parent_id: file}, {parent_id: target, name: 'x'}]) {
			const reply = await call(sandbox, 'PATCH', `${A}/files/${file}/move`, {json: {data}});
			expect(reply.status, JSON.stringify(data)).toBe(422);
			expect(reply.body.errors[0].source.pointer).toMatch(/^\/data\//);
		}
		expect((await call(sandbox, 'PATCH', `${A}/files/00000000-0000-4000-8000-000000000000/move`, {json: {data: {parent_id: target}}})).status).toBe(404);
	});

	it('deleting a folder deletes its stacks and their files; deleting a stacked file keeps the stack while two remain', async () => {
		const [v1, v2, v3] = addFiles(['G_v1.mp4', 'G_v2.mp4', 'G_v3.mp4']);
		const stack = (await createStack([v1, v2, v3])).body.data;
		expect((await call(sandbox, 'DELETE', `${A}/files/${v3}`)).status).toBe(204);
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}`)).body.data.head_version.id).toBe(v2);
		expect((await call(sandbox, 'DELETE', `${A}/folders/${folderId}`)).status).toBe(204);
		expect((await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}`)).status).toBe(404);
		expect(sandbox.store.getFile(v1)).toBeUndefined();
	});
});

describe('rate classes', () => {
	it('use the limits the spec gives each version-stack route', async () => {
		const limited = await startSandbox({seed: 'empty'});
		rememberSecret(limited.token);
		try {
			const B = `/v4/accounts/${limited.ids.accountId}`;
			const [a, b] = ['a.mp4', 'b.mp4'].map(name => limited.store.addFile(limited.ids.wipFolderId, name, 10).id);
			const created = await call(limited, 'POST', `${B}/folders/${limited.ids.wipFolderId}/version_stacks`, {json: {data: {file_ids: [a, b]}}});
			expect(created.headers.get('x-ratelimit-limit')).toBe(String(PUBLISHED_LIMITS['version_stacks.create'].limit));
			expect(created.headers.get('x-ratelimit-limit')).toBe('10');
			expect(created.headers.get('x-ratelimit-window')).toBe('60000');
			const listed = await call(limited, 'GET', `${B}/folders/${limited.ids.wipFolderId}/version_stacks`);
			expect([listed.headers.get('x-ratelimit-limit'), listed.headers.get('x-ratelimit-window')]).toEqual(['5', '1000']);
			const shown = await call(limited, 'GET', `${B}/version_stacks/${created.body.data.id}`);
			expect([shown.headers.get('x-ratelimit-limit'), shown.headers.get('x-ratelimit-window')]).toEqual(['100', '60000']);
			const moved = await call(limited, 'PATCH', `${B}/files/${a}/move`, {json: {data: {parent_id: limited.ids.wipFolderId}}});
			expect([moved.headers.get('x-ratelimit-limit'), moved.headers.get('x-ratelimit-window')]).toEqual(['100', '60000']);
		} finally {
			await limited.close();
		}
	});
});
