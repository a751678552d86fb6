// Contract test: a sample of sandbox responses (each endpoint, success and error) validated against the
// published v4 spec in ../shared/frameio-v4-openapi.json (or FRAMEIO_SPEC_PATH). When the file is absent the run
// reports a skipped test whose name gives the reason; with FRAMEIO_REQUIRE_SPEC=1 (CI) a missing spec fails the run.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call, type Reply} from './http.js';
import {OpenApiValidator, type Spec} from './openapi-validator.js';

const SPEC_PATH = path.resolve(process.env.FRAMEIO_SPEC_PATH ?? path.join('..', 'shared', 'frameio-v4-openapi.json'));
const specPresent = existsSync(SPEC_PATH);
const specRequired = process.env.FRAMEIO_REQUIRE_SPEC === '1';
const missingReason = `the v4 spec ${SPEC_PATH} was not found (it lives next to the repository)`;

if (!specPresent) {
	describe('contract test without the v4 spec', () => {
		if (specRequired) {
			it(`FRAMEIO_REQUIRE_SPEC=1: ${missingReason}`, () => {
				throw new Error(`${missingReason}; the contract test cannot run`);
			});
		} else {
			console.warn(`contract test skipped: ${missingReason}`);
			it(`contract test skipped: ${missingReason}`, context => context.skip(missingReason));
		}
	});
}

const T = {
	me: '/v4/me',
	accounts: '/v4/accounts',
	workspaces: '/v4/accounts/{account_id}/workspaces',
	projects: '/v4/accounts/{account_id}/workspaces/{workspace_id}/projects',
	accountProjects: '/v4/accounts/{account_id}/projects',
	project: '/v4/accounts/{account_id}/projects/{project_id}',
	folder: '/v4/accounts/{account_id}/folders/{folder_id}',
	children: '/v4/accounts/{account_id}/folders/{folder_id}/children',
	folders: '/v4/accounts/{account_id}/folders/{folder_id}/folders',
	files: '/v4/accounts/{account_id}/folders/{folder_id}/files',
	localUpload: '/v4/accounts/{account_id}/folders/{folder_id}/files/local_upload',
	remoteUpload: '/v4/accounts/{account_id}/folders/{folder_id}/files/remote_upload',
	file: '/v4/accounts/{account_id}/files/{file_id}',
	status: '/v4/accounts/{account_id}/files/{file_id}/status',
	workspace: '/v4/accounts/{account_id}/workspaces/{workspace_id}',
	move: '/v4/accounts/{account_id}/files/{file_id}/move',
	copy: '/v4/accounts/{account_id}/files/{file_id}/copy',
	folderStacks: '/v4/accounts/{account_id}/folders/{folder_id}/version_stacks',
	stack: '/v4/accounts/{account_id}/version_stacks/{version_stack_id}',
	stackChildren: '/v4/accounts/{account_id}/version_stacks/{version_stack_id}/children',
	webhooks: '/v4/accounts/{account_id}/workspaces/{workspace_id}/webhooks',
	webhook: '/v4/accounts/{account_id}/webhooks/{webhook_id}',
};

const MISSING = '00000000-0000-4000-8000-000000000000';
const ALL_FILE_INCLUDES = 'media_links.original,media_links.thumbnail,media_links.thumbnail_high_quality,media_links.video_h264_180,media_links.high_quality,media_links.efficient,media_links.scrub_sheet,creator,project,metadata';

describe.skipIf(!specPresent)('sandbox responses validate against the v4 OpenAPI spec', () => {
	let validator: OpenApiValidator;
	let sandbox: Sandbox;
	let A: string;

	beforeAll(async () => {
		validator = new OpenApiValidator(JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Spec);
		sandbox = await startSandbox({enforceRateLimits: false, partSize: 1024});
		rememberSecret(sandbox.token);
		A = `/v4/accounts/${sandbox.ids.accountId}`;
	});
	afterAll(() => sandbox?.close());

	function conforms(reply: Reply, template: string, method: string, expectedStatus: number): void {
		expect(reply.status, `${method} ${template}: ${reply.text.slice(0, 300)}`).toBe(expectedStatus);
		const schema = validator.responseSchema(template, method, reply.status);
		if (reply.status === 204) {
			expect(reply.text).toBe('');
			return;
		}
		expect(schema, `${method} ${template} ${reply.status} has a JSON schema`).not.toBeNull();
		expect(validator.validate(reply.body, schema!), `${method} ${template} ${reply.status}`).toEqual([]);
		for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-window']) expect(reply.headers.get(header), header).toMatch(/^\d+$/);
	}

	it('the validator itself catches wrong types, missing fields, extra fields and bad enums', () => {
		const schema = {$ref: '#/components/schemas/FileUploadStatus'};
		const good = {id: 'x', filetype: 'video/mp4', uploaded_at: null, upload_completed_at: null, upload_complete: false, upload_failed: false};
		expect(validator.validate(good, schema)).toEqual([]);
		expect(validator.validate({...good, upload_complete: 'no'}, schema)).toHaveLength(1);
		const {filetype: _, ...missing} = good;
		expect(validator.validate(missing, schema)[0]).toMatch(/filetype: required/);
		expect(validator.validate({...good, extra: 1}, schema)[0]).toMatch(/extra: not allowed/);
		expect(validator.validate({status: 'done'}, {$ref: '#/components/schemas/File'}).join()).toMatch(/not one of/);
		expect(validator.validate({data: [{type: 'blob'}], links: {next: null}}, {$ref: '#/components/schemas/FolderAssetsWithIncludesResponse'}).join()).toMatch(/discriminator/);
	});

	it('user, accounts, workspaces and projects', async () => {
		conforms(await call(sandbox, 'GET', '/v4/me'), T.me, 'GET', 200);
		conforms(await call(sandbox, 'GET', '/v4/me', {token: 'nope'}), T.me, 'GET', 401);
		conforms(await call(sandbox, 'GET', '/v4/accounts?include_total_count=true'), T.accounts, 'GET', 200);
		conforms(await call(sandbox, 'GET', '/v4/accounts?page_size=0'), T.accounts, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/workspaces?page_size=1`), T.workspaces, 'GET', 200);
		conforms(await call(sandbox, 'GET', '/v4/accounts/00000000-0000-4000-8000-000000000000/workspaces'), T.workspaces, 'GET', 404);
		conforms(await call(sandbox, 'GET', `${A}/workspaces/${sandbox.ids.workspaceId}/projects`), T.projects, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/projects`), T.accountProjects, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/projects/${sandbox.ids.projectId}`), T.project, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/projects/00000000-0000-4000-8000-000000000000`), T.project, 'GET', 404);
	});

	it('folders: show, children (mixed), sub-folders, files, create, delete', async () => {
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.rootFolderId}`), T.folder, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}`), T.folder, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/00000000-0000-4000-8000-000000000000`), T.folder, 'GET', 404);
		const delivery = sandbox.store.children(sandbox.ids.rootFolderId).find(item => item.name === 'DELIVERY')!;
		const mixed = await call(sandbox, 'GET', `${A}/folders/${delivery.id}/children`);
		expect(new Set(mixed.body.data.map((item: any) => item.type))).toEqual(new Set(['file', 'folder']));
		conforms(mixed, T.children, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}/children?page_size=2&include_total_count=true`), T.children, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}/children?after=bogus`), T.children, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}/folders`), T.folders, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${delivery.id}/files?sort=file_size_desc`), T.files, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${delivery.id}/files?sort=size`), T.files, 'GET', 422);

		const created = await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/folders`, {json: {data: {name: 'CONTRACT'}}});
		conforms(created, T.folders, 'POST', 201);
		conforms(await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/folders`, {json: {data: {name: 'x', extra: true}}}), T.folders, 'POST', 422);
		conforms(await call(sandbox, 'DELETE', `${A}/folders/${created.body.data.id}`), T.folder, 'DELETE', 204);
		conforms(await call(sandbox, 'DELETE', `${A}/folders/${created.body.data.id}`), T.folder, 'DELETE', 404);
	});

	it('files: local upload, remote upload, show, status, delete', async () => {
		const upload = await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {json: {data: {name: 'c.mp4', file_size: 2500}}});
		conforms(upload, T.localUpload, 'POST', 201);
		expect(upload.body.data.upload_urls.length).toBeGreaterThan(1);
		for (const part of upload.body.data.upload_urls) rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);
		conforms(await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {json: {data: {name: 'c.mp4'}}}), T.localUpload, 'POST', 422);
		const id = upload.body.data.id;
		conforms(await call(sandbox, 'GET', `${A}/files/${id}`), T.file, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/files/${id}/status`), T.status, 'GET', 200);
		const seeded = sandbox.store.children(sandbox.store.children(sandbox.store.children(sandbox.ids.wipFolderId)[0].id)[0].id)[0];
		conforms(await call(sandbox, 'GET', `${A}/files/${seeded.id}/status`), T.status, 'GET', 200);

		const remote = await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/remote_upload`, {json: {data: {name: 'r.mp4', source_url: 'http://127.0.0.1:9/none.mp4'}}});
		conforms(remote, T.remoteUpload, 'POST', 202);
		conforms(await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/remote_upload`, {json: {data: {name: 'r.mp4'}}}), T.remoteUpload, 'POST', 422);

		conforms(await call(sandbox, 'DELETE', `${A}/files/${id}`), T.file, 'DELETE', 204);
		conforms(await call(sandbox, 'GET', `${A}/files/${id}`), T.file, 'GET', 404);
		conforms(await call(sandbox, 'GET', `${A}/files/${id}/status`), T.status, 'GET', 404);
	});

	it('workspaces.show and include= on the structure reads', async () => {
		const W = `${A}/workspaces/${sandbox.ids.workspaceId}`;
		conforms(await call(sandbox, 'GET', W), T.workspace, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${W}?include=creator`), T.workspace, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/workspaces/${MISSING}`), T.workspace, 'GET', 404);
		conforms(await call(sandbox, 'GET', `${W}?include=owner`), T.workspace, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/workspaces?include=creator`), T.workspaces, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${W}/projects?include=owner`), T.projects, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/projects?include=owner`), T.accountProjects, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/projects/${sandbox.ids.projectId}?include=owner`), T.project, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/projects/${sandbox.ids.projectId}?include=creator`), T.project, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}?include=creator,project,metadata`), T.folder, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}?include=media_links.original`), T.folder, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}/folders?include=creator,project,metadata`), T.folders, 'GET', 200);
	});

	it('files: include= with media links (null and signed URLs), update, copy, move', async () => {
		const folder = (await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/folders`, {json: {data: {name: 'CONTRACT_FILES'}}})).body.data;
		const bytes = Buffer.alloc(3000, 7);
		const upload = (await call(sandbox, 'POST', `${A}/folders/${folder.id}/files/local_upload`, {json: {data: {name: 'm.mp4', file_size: bytes.length}}})).body.data;
		let offset = 0;
		for (const part of upload.upload_urls) {
			rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);
			const slice = bytes.subarray(offset, (offset += part.size));
			await fetch(part.url, {method: 'PUT', body: new Uint8Array(slice), headers: {'content-type': 'video/mp4', 'x-amz-acl': 'private'}});
		}
		for (let tries = 0; tries < 500 && sandbox.store.getFile(upload.id)!.status !== 'transcoded'; tries++) await new Promise(resolve => setTimeout(resolve, 10));
		const withLinks = await call(sandbox, 'GET', `${A}/files/${upload.id}?include=${ALL_FILE_INCLUDES}`);
		expect(withLinks.body.data.media_links.original.download_url).toMatch(/^http/);
		rememberSecret(new URL(withLinks.body.data.media_links.original.download_url).searchParams.get('Signature')!);
		conforms(withLinks, T.file, 'GET', 200);
		const seeded = sandbox.store.addFile(folder.id, 'seeded.mov', 10);
		conforms(await call(sandbox, 'GET', `${A}/files/${seeded.id}?include=${ALL_FILE_INCLUDES}`), T.file, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/files/${seeded.id}?include=owner`), T.file, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/folders/${folder.id}/files?include=${ALL_FILE_INCLUDES}`), T.files, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${folder.id}/files?include=nope`), T.files, 'GET', 422);

		conforms(await call(sandbox, 'PATCH', `${A}/files/${seeded.id}`, {json: {data: {name: 'renamed.mov'}}}), T.file, 'PATCH', 200);
		conforms(await call(sandbox, 'PATCH', `${A}/files/${seeded.id}`, {json: {data: {name: ''}}}), T.file, 'PATCH', 422);
		conforms(await call(sandbox, 'PATCH', `${A}/files/${MISSING}`, {json: {data: {name: 'x'}}}), T.file, 'PATCH', 404);

		conforms(await call(sandbox, 'POST', `${A}/files/${upload.id}/copy`), T.copy, 'POST', 200);
		conforms(await call(sandbox, 'POST', `${A}/files/${seeded.id}/copy?copy_comments=all`, {json: {data: {parent_id: sandbox.ids.wipFolderId}}}), T.copy, 'POST', 200);
		conforms(await call(sandbox, 'POST', `${A}/files/${seeded.id}/copy`, {json: {data: {parent_id: MISSING}}}), T.copy, 'POST', 422);
		conforms(await call(sandbox, 'POST', `${A}/files/${MISSING}/copy`), T.copy, 'POST', 404);

		conforms(await call(sandbox, 'PATCH', `${A}/files/${seeded.id}/move`, {json: {data: {parent_id: sandbox.ids.wipFolderId}}}), T.move, 'PATCH', 200);
		conforms(await call(sandbox, 'PATCH', `${A}/files/${seeded.id}/move`, {json: {data: {}}}), T.move, 'PATCH', 422);
		conforms(await call(sandbox, 'PATCH', `${A}/files/${MISSING}/move`, {json: {data: {parent_id: folder.id}}}), T.move, 'PATCH', 404);

		conforms(await call(sandbox, 'PATCH', `${A}/folders/${folder.id}`, {json: {data: {name: 'CONTRACT_RENAMED'}}}), T.folder, 'PATCH', 200);
		conforms(await call(sandbox, 'PATCH', `${A}/folders/${folder.id}`, {json: {data: {name: 'x', color: 'red'}}}), T.folder, 'PATCH', 422);
		conforms(await call(sandbox, 'PATCH', `${A}/folders/${sandbox.ids.rootFolderId}`, {json: {data: {name: 'x'}}}), T.folder, 'PATCH', 403);
		conforms(await call(sandbox, 'PATCH', `${A}/folders/${MISSING}`, {json: {data: {name: 'x'}}}), T.folder, 'PATCH', 404);
	});

	it('version stacks: create, show, children, list, in folder children, and a file moved into a stack', async () => {
		const folder = (await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/folders`, {json: {data: {name: 'CONTRACT_STACKS'}}})).body.data;
		const [a, b, c] = ['v1.mp4', 'v2.mp4', 'v3.mp4'].map(name => sandbox.store.addFile(folder.id, name, 10).id);
		const created = await call(sandbox, 'POST', `${A}/folders/${folder.id}/version_stacks`, {json: {data: {file_ids: [a, b]}}});
		conforms(created, T.folderStacks, 'POST', 201);
		conforms(await call(sandbox, 'POST', `${A}/folders/${folder.id}/version_stacks`, {json: {data: {file_ids: [c]}}}), T.folderStacks, 'POST', 422);
		conforms(await call(sandbox, 'POST', `${A}/folders/${folder.id}/version_stacks`, {json: {data: {file_ids: [c, a]}}}), T.folderStacks, 'POST', 422);
		conforms(await call(sandbox, 'POST', `${A}/folders/${folder.id}/version_stacks`, {json: {files: [c, a]}}), T.folderStacks, 'POST', 422);
		conforms(await call(sandbox, 'POST', `${A}/folders/${MISSING}/version_stacks`, {json: {data: {file_ids: [a, c]}}}), T.folderStacks, 'POST', 404);
		const stackId = created.body.data.id;

		conforms(await call(sandbox, 'PATCH', `${A}/files/${c}/move`, {json: {data: {parent_id: stackId}}}), T.move, 'PATCH', 200);
		conforms(await call(sandbox, 'GET', `${A}/version_stacks/${stackId}?include=${ALL_FILE_INCLUDES}`), T.stack, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/version_stacks/${MISSING}`), T.stack, 'GET', 404);
		conforms(await call(sandbox, 'GET', `${A}/version_stacks/${stackId}?include=owner`), T.stack, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/version_stacks/${stackId}/children?page_size=2&include=${ALL_FILE_INCLUDES}`), T.stackChildren, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/version_stacks/${stackId}/children?page_size=101`), T.stackChildren, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/version_stacks/${MISSING}/children`), T.stackChildren, 'GET', 404);
		conforms(await call(sandbox, 'GET', `${A}/folders/${folder.id}/version_stacks?include=${ALL_FILE_INCLUDES}&include_total_count=true`), T.folderStacks, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${folder.id}/version_stacks?after=forged`), T.folderStacks, 'GET', 422);
		conforms(await call(sandbox, 'GET', `${A}/folders/${MISSING}/version_stacks`), T.folderStacks, 'GET', 404);

		sandbox.store.addFolder(folder.id, 'SUB');
		sandbox.store.addFile(folder.id, 'loose.mp4', 10);
		const children = await call(sandbox, 'GET', `${A}/folders/${folder.id}/children?include=${ALL_FILE_INCLUDES}`);
		expect(children.body.data.map((item: any) => item.type).sort()).toEqual(['file', 'folder', 'version_stack']);
		conforms(children, T.children, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/folders/${folder.id}/children?include=bogus`), T.children, 'GET', 422);
	});

	it('webhooks: create (with the secret), list, show, update, delete', async () => {
		const W = `${A}/workspaces/${sandbox.ids.workspaceId}/webhooks`;
		const created = await call(sandbox, 'POST', W, {json: {data: {name: 'contract', url: 'http://127.0.0.1:9/hook', events: ['file.ready']}}});
		rememberSecret(created.body.data.secret);
		conforms(created, T.webhooks, 'POST', 201);
		conforms(await call(sandbox, 'POST', W, {json: {data: {name: 'contract', url: 'http://127.0.0.1:9/hook', events: ['file.nope']}}}), T.webhooks, 'POST', 422);
		conforms(await call(sandbox, 'POST', `${A}/workspaces/${MISSING}/webhooks`, {json: {data: {name: 'c', url: 'http://127.0.0.1:9/', events: ['file.ready']}}}), T.webhooks, 'POST', 404);
		conforms(await call(sandbox, 'GET', `${W}?include=creator&include_total_count=true`), T.webhooks, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/workspaces/${MISSING}/webhooks`), T.webhooks, 'GET', 404);
		const id = created.body.data.id;
		conforms(await call(sandbox, 'GET', `${A}/webhooks/${id}?include=creator`), T.webhook, 'GET', 200);
		conforms(await call(sandbox, 'GET', `${A}/webhooks/${MISSING}`), T.webhook, 'GET', 404);
		conforms(await call(sandbox, 'PATCH', `${A}/webhooks/${id}`, {json: {data: {active: false, events: ['file.ready', 'file.deleted']}}}), T.webhook, 'PATCH', 200);
		conforms(await call(sandbox, 'PATCH', `${A}/webhooks/${id}`, {json: {data: {url: ''}}}), T.webhook, 'PATCH', 422);
		conforms(await call(sandbox, 'DELETE', `${A}/webhooks/${id}`), T.webhook, 'DELETE', 204);
		conforms(await call(sandbox, 'DELETE', `${A}/webhooks/${id}`), T.webhook, 'DELETE', 404);
	});

	it('rate limited (429) and faulted (5xx) answers carry the error body', async () => {
		const limited = await startSandbox({seed: 'empty', rateLimitScale: 0.01});
		rememberSecret(limited.token);
		try {
			await call(limited, 'GET', '/v4/me');
			conforms(await call(limited, 'GET', '/v4/me'), T.me, 'GET', 429);
			limited.setFaults({errorRate: 1});
			const failed = await call(limited, 'GET', '/v4/accounts');
			expect(failed.status).toBeGreaterThanOrEqual(500);
			// The spec declares no 5xx; the body still has the shape of its 4xx errors.
			expect(validator.validate(failed.body, {$ref: '#/components/schemas/BadRequest'})).toEqual([]);
		} finally {
			await limited.close();
		}
	});
});
