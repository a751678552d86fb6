// Every typed endpoint against the sandbox, and pagination across pages.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EnvTokenProvider} from '../../source/frameio/auth/static-token.js';
import {createFrameioClient, type FrameioClient} from '../../source/frameio/client.js';
import type {DataEnvelope, Folder, UploadStatus} from '../../source/frameio/types.js';
import {DEMO_REFERENCE_FILES, DEMO_SCENES, startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {recordEvents, seen, testConfig} from './helpers.js';

let sandbox: Sandbox;
let api: FrameioClient;
let recorder: ReturnType<typeof recordEvents>;
let A: string;
let references: Folder;

beforeAll(async () => {
	sandbox = await startSandbox({enforceRateLimits: true, rateLimitScale: 10});
	rememberSecret(sandbox.token);
	recorder = recordEvents();
	// A base URL given with /v4 must work the same (links are resolved against the host).
	api = createFrameioClient({baseUrl: `${sandbox.url}/v4/`, auth: new EnvTokenProvider(sandbox.token), config: testConfig(), bus: recorder.bus, rateLimitScale: 10});
	A = sandbox.ids.accountId;
	references = (await api.subfolders(A, sandbox.ids.rootFolderId)).find(folder => folder.name === 'REFERENCES')!;
});
afterAll(async () => {
	api.close();
	await sandbox.close();
});

describe('pagination', () => {
	it(`returns all ${DEMO_REFERENCE_FILES} files over 3 pages of 50, following links.next against the host`, async () => {
		const start = sandbox.requests.length;
		const files = await api.files(A, references.id, {pageSize: 50});
		expect(files).toHaveLength(DEMO_REFERENCE_FILES);
		expect(new Set(files.map(file => file.id)).size).toBe(DEMO_REFERENCE_FILES);
		expect(files[0].name).toBe('REF_0001.jpg');
		expect(files.at(-1)!.name).toBe('REF_0120.pdf');
		const requests = seen(sandbox, /\/files$/, start);
		expect(requests.map(record => record.path)).toEqual(Array(3).fill(`/v4/accounts/${A}/folders/${references.id}/files`));
		expect(requests.map(record => record.query.page_size)).toEqual(['50', '50', '50']);
		expect(requests[0].query.after).toBeUndefined();
		expect(requests[1].query.after).toBeTruthy();
		expect(sandbox.requests.slice(start).some(record => record.path.includes('/v4/v4'))).toBe(false);
	});

	it('streams pages of children with a type filter', async () => {
		const scene = sandbox.store.children(sandbox.ids.wipFolderId).find(child => child.name === DEMO_SCENES[1].name)!;
		const sizes: number[] = [];
		for await (const page of api.childrenPages(A, scene.id, {type: ['folder'], pageSize: 30})) sizes.push(page.data.length);
		expect(sizes).toEqual([30, 30, DEMO_SCENES[1].shots - 60]);
		const all = await api.children(A, sandbox.ids.rootFolderId, {type: ['folder', 'file']});
		expect(all.map(child => child.name)).toEqual(['WIP_BYSHOT', 'DELIVERY', 'REFERENCES']);
	});
});

describe('endpoints', () => {
	it('reads the account tree', async () => {
		expect((await api.me()).id).toBe(sandbox.ids.userId);
		const accounts = await api.accounts();
		expect(accounts.map(account => account.id)).toEqual([A]);
		const workspaces = await api.workspaces(A);
		expect(workspaces.map(workspace => workspace.id)).toContain(sandbox.ids.workspaceId);
		const projects = await api.projects(A, sandbox.ids.workspaceId);
		expect(projects.map(project => project.name)).toContain('UNDLM_DOCU');
		expect((await api.accountProjects(A)).length).toBeGreaterThanOrEqual(projects.length);
		const project = await api.project(A, sandbox.ids.projectId);
		expect(project.root_folder_id).toBe(sandbox.ids.rootFolderId);
		expect((await api.folder(A, sandbox.ids.wipFolderId)).name).toBe('WIP_BYSHOT');
		expect((await api.subfolders(A, sandbox.ids.wipFolderId)).map(folder => folder.name)).toEqual(DEMO_SCENES.map(scene => scene.name));
	});

	it('creates and deletes folders and files, and follows the status link of a remote upload', async () => {
		const created = await api.createFolder(A, sandbox.ids.wipFolderId, 'SC99_TEST');
		expect(created).toMatchObject({name: 'SC99_TEST', type: 'folder', parent_id: sandbox.ids.wipFolderId});
		const placeholder = await api.localUpload(A, created.id, {name: 'UNDLM_SEQ99_00010_v001.mp4', file_size: 1234});
		expect(placeholder.upload_urls.reduce((sum, part) => sum + part.size, 0)).toBe(1234);
		expect(placeholder.media_type).toBe('video/mp4');
		expect((await api.file(A, placeholder.id)).status).toBe('created');
		expect(await api.fileStatus(A, placeholder.id)).toMatchObject({id: placeholder.id, upload_complete: false, upload_failed: false});
		await api.deleteFile(A, placeholder.id);
		await expect(api.file(A, placeholder.id)).rejects.toMatchObject({status: 404});

		const remote = await api.remoteUpload(A, created.id, {name: 'remote.mp4', source_url: 'http://127.0.0.1:9/unreachable.mp4'});
		expect(remote.data.status).toBe('created');
		expect(remote.links.status).toBe(`/v4/accounts/${A}/files/${remote.data.id}/status`);
		const status = await api.getByLink<DataEnvelope<UploadStatus>>(remote.links.status);
		expect(status.data.id).toBe(remote.data.id);
		expect(typeof status.data.upload_complete).toBe('boolean');

		await api.deleteFolder(A, created.id);
		await expect(api.folder(A, created.id)).rejects.toMatchObject({status: 404});
	});

	it('emits one event per call, named after the operation', async () => {
		recorder.events.length = 0;
		await api.me();
		await api.files(A, references.id, {pageSize: 100});
		await api.folder(A, 'nope').catch(() => undefined);
		expect(recorder.calls().map(event => [event.op, event.method, event.status])).toEqual([
			['me', 'GET', 200],
			['files.list', 'GET', 200],
			['files.list', 'GET', 200],
			['folders.show', 'GET', 404],
		]);
		const [me] = recorder.calls();
		expect(me.bytes).toBeGreaterThan(50);
		expect(me.ms).toBeGreaterThanOrEqual(0);
		expect(recorder.calls()[3].errorKind).toBe('client');
		expect(recorder.events.some(event => event.type === 'ratelimit' && event.endpointClass === 'files.list')).toBe(true);
	});
});
