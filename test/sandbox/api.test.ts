import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DEMO_REFERENCE_FILES, DEMO_SCENES, startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call, walk} from './http.js';

let sandbox: Sandbox;
let A: string;

beforeAll(async () => {
	sandbox = await startSandbox({enforceRateLimits: false});
	rememberSecret(sandbox.token);
	A = `/v4/accounts/${sandbox.ids.accountId}`;
});
afterAll(() => sandbox.close());

describe('sandbox read endpoints', () => {
	it('serves /v4/me, accounts, workspaces and projects from the demo seed', async () => {
		const me = await call(sandbox, 'GET', '/v4/me');
		expect(me.status).toBe(200);
		expect(me.body.data.id).toBe(sandbox.ids.userId);

		const accounts = await call(sandbox, 'GET', '/v4/accounts');
		expect(accounts.body.data.map((item: any) => item.display_name)).toEqual(['Undlm Studio']);
		expect(accounts.body.links).toEqual({next: null});
		expect(accounts.body.data[0].storage_usage).toBeGreaterThan(0);

		const workspaces = await call(sandbox, 'GET', `${A}/workspaces`);
		expect(workspaces.body.data.map((item: any) => item.name)).toEqual(['Post Production', 'Archive']);

		const projects = await call(sandbox, 'GET', `${A}/workspaces/${sandbox.ids.workspaceId}/projects`);
		expect(projects.body.data.map((item: any) => item.name)).toContain('UNDLM_DOCU');
		const all = await call(sandbox, 'GET', `${A}/projects`);
		expect(all.body.data.length).toBeGreaterThan(projects.body.data.length);

		const project = await call(sandbox, 'GET', `${A}/projects/${sandbox.ids.projectId}`);
		expect(project.body.data.root_folder_id).toBe(sandbox.ids.rootFolderId);
		expect(project.body.data.storage).toBeGreaterThan(0);
	});

	it('has the same ids on every start', async () => {
		const other = await startSandbox({enforceRateLimits: false});
		try {
			expect(other.ids).toEqual(sandbox.ids);
		} finally {
			await other.close();
		}
	});

	it('lists the project tree: root → WIP_BYSHOT/DELIVERY/REFERENCES → scenes → shots → versions', async () => {
		const root = await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.rootFolderId}/children`);
		expect(root.body.data.map((item: any) => item.name)).toEqual(['WIP_BYSHOT', 'DELIVERY', 'REFERENCES']);
		const scenes = await walk(sandbox, `${A}/folders/${sandbox.ids.wipFolderId}/folders`);
		expect(scenes.items.map(item => item.name)).toEqual(DEMO_SCENES.map(scene => scene.name));
		const shots = await walk(sandbox, `${A}/folders/${scenes.items[0].id}/children`);
		expect(shots.items).toHaveLength(DEMO_SCENES[0].shots);
		expect(shots.pages).toBe(2);
		expect(shots.items[0].name).toBe('UNDLM_00010');
		const withFiles = shots.items.map(item => sandbox.store.children(item.id)).find(list => list.length > 0)!;
		expect(withFiles[0]).toMatchObject({type: 'file', status: 'transcoded', media_type: 'video/mp4'});
		expect(withFiles[0].name).toMatch(/^UNDLM_SEQ01_\d{5}_v\d{3}\.mp4$/);
	});

	it('walks every item across pages, with links.next relative and carrying page_size', async () => {
		const refs = sandbox.store.children(sandbox.ids.rootFolderId).find(item => item.name === 'REFERENCES')!;
		const result = await walk(sandbox, `${A}/folders/${refs.id}/files?page_size=25`);
		expect(result.items).toHaveLength(DEMO_REFERENCE_FILES);
		expect(new Set(result.items.map(item => item.id)).size).toBe(DEMO_REFERENCE_FILES);
		expect(result.pages).toBe(Math.ceil(DEMO_REFERENCE_FILES / 25));
		for (const link of result.links) {
			expect(link.startsWith(`${A}/folders/${refs.id}/files?`)).toBe(true);
			expect(new URL(link, 'http://x').searchParams.get('page_size')).toBe('25');
		}
		const sceneTwo = sandbox.store.children(sandbox.ids.wipFolderId)[1];
		const defaults = await walk(sandbox, `${A}/folders/${sceneTwo.id}/children`);
		expect(defaults.items).toHaveLength(DEMO_SCENES[1].shots);
		expect(defaults.pages).toBe(Math.ceil(DEMO_SCENES[1].shots / 50));
	});

	it('counts totals on request and filters children by type', async () => {
		const withTotal = await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.rootFolderId}/children?include_total_count=true&page_size=1`);
		expect(withTotal.body.total_count).toBe(3);
		expect(withTotal.body.data).toHaveLength(1);
		const delivery = sandbox.store.children(sandbox.ids.rootFolderId).find(item => item.name === 'DELIVERY')!;
		const files = await call(sandbox, 'GET', `${A}/folders/${delivery.id}/children?type=file`);
		const folders = await call(sandbox, 'GET', `${A}/folders/${delivery.id}/children?type=folder`);
		const both = await call(sandbox, 'GET', `${A}/folders/${delivery.id}/children?type=file,folder`);
		expect(files.body.data.every((item: any) => item.type === 'file')).toBe(true);
		expect(folders.body.data.map((item: any) => item.name)).toEqual(['MASTERS']);
		expect(both.body.data).toHaveLength(files.body.data.length + 1);
		expect((await call(sandbox, 'GET', `${A}/folders/${delivery.id}/children?type=asset`)).status).toBe(422);
	});

	it('refuses bad page sizes and cursors with 422 and the errors[] body', async () => {
		const base = `${A}/folders/${sandbox.ids.wipFolderId}/children`;
		for (const size of ['0', '501', 'abc', '-1']) {
			const reply = await call(sandbox, 'GET', `${base}?page_size=${size}`);
			expect(reply.status, size).toBe(422);
			expect(reply.body.errors[0].source.pointer).toBe('/page_size');
		}
		expect((await call(sandbox, 'GET', `${base}?page_size=500`)).status).toBe(200);
		expect((await call(sandbox, 'GET', `${A}/workspaces?page_size=101`)).status).toBe(422);
		expect((await call(sandbox, 'GET', `${A}/workspaces?page_size=100`)).status).toBe(200);
		const bad = await call(sandbox, 'GET', `${base}?after=not-a-cursor`);
		expect(bad.status).toBe(422);
		expect(bad.body.errors[0].detail).toMatch(/cursor/i);
		// A cursor from another listing is refused too.
		const sceneOne = sandbox.store.children(sandbox.ids.wipFolderId)[0];
		const first = await call(sandbox, 'GET', `${A}/folders/${sceneOne.id}/children`);
		const cursor = new URL(first.body.links.next, sandbox.url).searchParams.get('after')!;
		expect((await call(sandbox, 'GET', `${base}?after=${cursor}`)).status).toBe(422);
	});

	it('answers 404 with errors[] for unknown ids and routes', async () => {
		const missing = await call(sandbox, 'GET', `${A}/folders/00000000-0000-4000-8000-000000000000`);
		expect(missing.status).toBe(404);
		expect(missing.body.errors[0].detail).toBeTruthy();
		const route = await call(sandbox, 'GET', '/v4/nothing/here');
		expect(route.status).toBe(404);
		expect(route.body.errors).toHaveLength(1);
		expect((await call(sandbox, 'GET', '/v4/accounts/nope/workspaces')).status).toBe(404);
		expect((await call(sandbox, 'GET', '/elsewhere')).status).toBe(404);
	});
});

describe('sandbox auth', () => {
	it('answers 401 for a missing, unknown or expired token', async () => {
		for (const token of [null, 'not-a-token']) {
			const reply = await call(sandbox, 'GET', '/v4/me', {token});
			expect(reply.status).toBe(401);
			expect(reply.body.errors[0].detail).toBeTruthy();
		}
		const shortLived = sandbox.issueAccessToken(1);
		rememberSecret(shortLived);
		expect((await call(sandbox, 'GET', '/v4/me', {token: shortLived})).status).toBe(200);
		await new Promise(resolve => setTimeout(resolve, 1100));
		expect((await call(sandbox, 'GET', '/v4/me', {token: shortLived})).status).toBe(401);
	});

	it('expireAllTokens() turns every token issued so far into a 401, and a new token still works', async () => {
		const other = await startSandbox({seed: 'empty'});
		try {
			const minted = other.issueAccessToken();
			expect((await call(other, 'GET', '/v4/me')).status).toBe(200);
			other.expireAllTokens();
			expect((await call(other, 'GET', '/v4/me')).status).toBe(401);
			expect((await call(other, 'GET', '/v4/me', {token: minted})).status).toBe(401);
			const fresh = other.issueAccessToken();
			expect((await call(other, 'GET', '/v4/me', {token: fresh})).status).toBe(200);
		} finally {
			await other.close();
		}
	});

	it('records requests with the authorization header redacted', async () => {
		sandbox.clearRequests();
		await call(sandbox, 'GET', '/v4/me');
		expect(sandbox.requests).toHaveLength(1);
		const [record] = sandbox.requests;
		expect(record).toMatchObject({method: 'GET', path: '/v4/me', status: 200});
		expect(record.headers.authorization).toBe('[REDACTED]');
		expect(JSON.stringify(sandbox.requests)).not.toContain(sandbox.token);
	});
});

describe('sandbox folder writes', () => {
	it('creates folders (201), allows duplicates and counts them, deletes recursively (204)', async () => {
		const parent = sandbox.ids.wipFolderId;
		const created = await call(sandbox, 'POST', `${A}/folders/${parent}/folders`, {json: {data: {name: 'SC99_TEST'}}});
		expect(created.status).toBe(201);
		expect(created.body.data).toMatchObject({name: 'SC99_TEST', type: 'folder', parent_id: parent, project_id: sandbox.ids.projectId});
		const again = await call(sandbox, 'POST', `${A}/folders/${parent}/folders`, {json: {data: {name: 'SC99_TEST'}}});
		expect(again.status).toBe(201);
		expect(sandbox.store.folderCountByName(parent, 'SC99_TEST')).toBe(2);

		const child = await call(sandbox, 'POST', `${A}/folders/${created.body.data.id}/folders`, {json: {data: {name: 'UNDLM_00010'}}});
		sandbox.store.addFile(child.body.data.id, 'x.mp4', 10);
		const removed = await call(sandbox, 'DELETE', `${A}/folders/${created.body.data.id}`);
		expect(removed.status).toBe(204);
		expect(removed.text).toBe('');
		expect(sandbox.store.getFolder(child.body.data.id)).toBeUndefined();
		expect(sandbox.store.folderCountByName(parent, 'SC99_TEST')).toBe(1);
		expect((await call(sandbox, 'GET', `${A}/folders/${created.body.data.id}`)).status).toBe(404);
		await call(sandbox, 'DELETE', `${A}/folders/${again.body.data.id}`);
	});

	it('validates the create body: name 1-255, no other field, valid JSON', async () => {
		const url = `${A}/folders/${sandbox.ids.wipFolderId}/folders`;
		const cases: Array<[unknown, string]> = [
			[{data: {name: ''}}, '/data/name'],
			[{data: {name: 'x'.repeat(256)}}, '/data/name'],
			[{data: {name: 'ok', color: 'red'}}, '/data/color'],
			[{data: {}}, '/data/name'],
			[{name: 'ok'}, '/name'],
		];
		for (const [json, pointer] of cases) {
			const reply = await call(sandbox, 'POST', url, {json});
			expect(reply.status, JSON.stringify(json)).toBe(422);
			expect(reply.body.errors[0].source.pointer).toBe(pointer);
		}
		const broken = await call(sandbox, 'POST', url, {body: '{nope', headers: {'content-type': 'application/json'}});
		expect(broken.status).toBe(400);
		expect((await call(sandbox, 'POST', url, {json: {data: {name: 'x'.repeat(255)}}})).status).toBe(201);
	});

	it('refuses to delete a project root folder', async () => {
		expect((await call(sandbox, 'DELETE', `${A}/folders/${sandbox.ids.rootFolderId}`)).status).toBe(403);
	});
});
