// include= over real HTTP: each operation takes the values its spec declares and refuses others (422 on /include);
// media links point at signed sandbox downloads that serve the uploaded bytes.
import {randomBytes} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call} from './http.js';

let sandbox: Sandbox;
let A: string;

beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, partSize: 1024, transcodeDelayMs: 20});
	rememberSecret(sandbox.token);
	A = `/v4/accounts/${sandbox.ids.accountId}`;
});
afterAll(() => sandbox.close());

async function waitFor<T>(probe: () => T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (done(value) || Date.now() > until) return value;
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

/** A local upload through the real part endpoint; resolves when the file is `transcoded`. */
async function upload(name: string, bytes: Buffer, mediaType: string, folderId = sandbox.ids.wipFolderId): Promise<string> {
	const file = (await call(sandbox, 'POST', `${A}/folders/${folderId}/files/local_upload`, {json: {data: {name, file_size: bytes.length}}})).body.data;
	let offset = 0;
	for (const part of file.upload_urls) {
		rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);
		const slice = bytes.subarray(offset, (offset += part.size));
		expect((await fetch(part.url, {method: 'PUT', body: new Uint8Array(slice), headers: {'content-type': mediaType, 'x-amz-acl': 'private'}})).status).toBe(200);
	}
	await waitFor(() => sandbox.store.getFile(file.id)!.status, status => status === 'transcoded');
	return file.id;
}

const signatureOf = (url: string) => rememberSecret(new URL(url).searchParams.get('Signature')!);

describe('include on files', () => {
	it('side-loads creator, project and metadata', async () => {
		const file = sandbox.store.addFile(sandbox.ids.wipFolderId, 'seeded.mp4', 100);
		const plain = await call(sandbox, 'GET', `${A}/files/${file.id}`);
		expect(plain.body.data).not.toHaveProperty('creator');
		const reply = await call(sandbox, 'GET', `${A}/files/${file.id}?include=creator,project,metadata`);
		expect(reply.status).toBe(200);
		expect(reply.body.data.creator).toEqual({...sandbox.store.user, active: true});
		expect(reply.body.data.project).toMatchObject({id: sandbox.ids.projectId, root_folder_id: sandbox.ids.rootFolderId});
		expect(reply.body.data.metadata).toEqual([]);
	});

	it('gives media links that download the uploaded bytes (attachment or inline), and null URLs where no rendition exists', async () => {
		const bytes = randomBytes(5000);
		const id = await upload('clip.mp4', bytes, 'video/mp4');
		const all = 'media_links.original,media_links.thumbnail,media_links.thumbnail_high_quality,media_links.video_h264_180,media_links.high_quality,media_links.efficient,media_links.scrub_sheet';
		const reply = await call(sandbox, 'GET', `${A}/files/${id}?include=${all}`);
		const links = reply.body.data.media_links;
		expect(Object.keys(links).sort()).toEqual(['efficient', 'high_quality', 'original', 'scrub_sheet', 'thumbnail', 'thumbnail_high_quality', 'video_h264_180']);
		expect(Object.keys(links.original).sort()).toEqual(['download_url', 'inline_url']);
		expect(Object.keys(links.thumbnail).sort()).toEqual(['download_url', 'url']);
		expect(Object.keys(links.high_quality)).toEqual(['download_url']);
		for (const link of Object.values(links) as Array<Record<string, string>>) for (const url of Object.values(link)) signatureOf(url);

		const download = await fetch(links.original.download_url);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-disposition')).toBe('attachment; filename="clip.mp4"');
		expect(download.headers.get('content-type')).toBe('video/mp4');
		expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
		const inline = await fetch(links.original.inline_url);
		expect(inline.headers.get('content-disposition')).toBe('inline; filename="clip.mp4"');
		await inline.arrayBuffer();
		const stream = await fetch(links.video_h264_180.url);
		expect(stream.headers.get('content-disposition')).toBeNull();
		expect(Buffer.from(await stream.arrayBuffer()).equals(bytes)).toBe(true);

		const tampered = links.original.download_url.replace(/Signature=[0-9a-f]{4}/, 'Signature=0000');
		expect((await fetch(tampered)).status).toBe(403);
		const otherFile = links.original.download_url.replace(id, sandbox.store.addFile(sandbox.ids.wipFolderId, 'x.mp4', 1).id);
		expect((await fetch(otherFile)).status).toBe(403);

		// An image has thumbnails but no video renditions; a seeded file (no bytes here) and an unfinished upload have none.
		const image = await upload('still.png', randomBytes(1500), 'image/png');
		const imageLinks = (await call(sandbox, 'GET', `${A}/files/${image}?include=media_links.thumbnail,media_links.video_h264_180`)).body.data.media_links;
		expect(signatureOf(imageLinks.thumbnail.url)).toBeTruthy();
		expect(imageLinks.video_h264_180).toEqual({download_url: null, url: null});
		const seeded = sandbox.store.addFile(sandbox.ids.wipFolderId, 'seeded.mov', 100);
		expect((await call(sandbox, 'GET', `${A}/files/${seeded.id}?include=media_links.original`)).body.data.media_links).toEqual({original: {download_url: null, inline_url: null}});
		const pending = (await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {json: {data: {name: 'p.mp4', file_size: 10}}})).body.data;
		for (const part of pending.upload_urls) rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);
		expect((await call(sandbox, 'GET', `${A}/files/${pending.id}?include=media_links.original`)).body.data.media_links.original.download_url).toBeNull();

		// Deleted: the signed link now answers 404.
		await call(sandbox, 'DELETE', `${A}/files/${id}`);
		expect((await fetch(links.original.download_url)).status).toBe(404);
	});

	it('applies to files.list, folder children (a stack\'s head_version too) and version stacks', async () => {
		const folder = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'INCLUDES');
		const id = await upload('v1.mp4', randomBytes(2000), 'video/mp4', folder.id);
		const second = sandbox.store.addFile(folder.id, 'v2.mp4', 10);
		const loose = sandbox.store.addFile(folder.id, 'loose.mp4', 10);
		sandbox.store.addFolder(folder.id, 'SUB');
		const listed = await call(sandbox, 'GET', `${A}/folders/${folder.id}/files?include=media_links.original,creator`);
		expect(listed.body.data.map((item: any) => [item.name, item.creator?.id, 'media_links' in item])).toEqual([
			['v1.mp4', sandbox.ids.userId, true],
			['v2.mp4', sandbox.ids.userId, true],
			['loose.mp4', sandbox.ids.userId, true],
		]);
		signatureOf(listed.body.data[0].media_links.original.download_url);

		const stack = (await call(sandbox, 'POST', `${A}/folders/${folder.id}/version_stacks`, {json: {data: {file_ids: [second.id, id]}}})).body.data;
		const children = await call(sandbox, 'GET', `${A}/folders/${folder.id}/children?include=media_links.original,project`);
		const byType = Object.fromEntries(children.body.data.map((item: any) => [item.type, item]));
		expect(byType.version_stack.project.id).toBe(sandbox.ids.projectId);
		expect(byType.version_stack.head_version.id).toBe(id);
		expect(signatureOf(byType.version_stack.head_version.media_links.original.download_url)).toBeTruthy();
		expect(byType.folder.project.id).toBe(sandbox.ids.projectId);
		expect(byType.folder).not.toHaveProperty('media_links');
		expect(byType.file.id).toBe(loose.id);

		const shown = await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}?include=creator`);
		expect(shown.body.data.creator.id).toBe(sandbox.ids.userId);
		expect(shown.body.data.head_version.creator.id).toBe(sandbox.ids.userId);
		const stackChildren = await call(sandbox, 'GET', `${A}/version_stacks/${stack.id}/children?include=metadata`);
		expect(stackChildren.body.data.map((item: any) => item.metadata)).toEqual([[], []]);
		const inFolder = await call(sandbox, 'GET', `${A}/folders/${folder.id}/version_stacks?include=media_links.thumbnail`);
		signatureOf(inFolder.body.data[0].head_version.media_links.thumbnail.url);
	});
});

describe('include on structure', () => {
	it('workspaces and webhooks take creator, projects take owner, folders take creator/project/metadata', async () => {
		const W = `${A}/workspaces/${sandbox.ids.workspaceId}`;
		expect((await call(sandbox, 'GET', `${A}/workspaces?include=creator`)).body.data[0].creator.id).toBe(sandbox.ids.userId);
		expect((await call(sandbox, 'GET', `${W}?include=creator`)).body.data.creator.id).toBe(sandbox.ids.userId);
		expect((await call(sandbox, 'GET', `${W}/projects?include=owner`)).body.data[0].owner.id).toBe(sandbox.ids.userId);
		expect((await call(sandbox, 'GET', `${A}/projects?include=owner`)).body.data[0].owner.active).toBe(true);
		expect((await call(sandbox, 'GET', `${A}/projects/${sandbox.ids.projectId}?include=owner`)).body.data.owner.id).toBe(sandbox.ids.userId);
		const folder = await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.wipFolderId}?include=creator,project,metadata`);
		expect(folder.body.data).toMatchObject({creator: {id: sandbox.ids.userId}, project: {id: sandbox.ids.projectId}, metadata: []});
		expect((await call(sandbox, 'GET', `${A}/folders/${sandbox.ids.rootFolderId}/folders?include=project`)).body.data[0].project.id).toBe(sandbox.ids.projectId);
	});

	it('refuses values an operation does not declare with 422 on /include, and ignores include where none is declared', async () => {
		const file = sandbox.store.addFile(sandbox.ids.wipFolderId, 'refused.mp4', 10);
		const W = `${A}/workspaces/${sandbox.ids.workspaceId}`;
		const refused = [
			`${A}/workspaces?include=owner`,
			`${W}?include=project`,
			`${W}/projects?include=creator`,
			`${A}/projects?include=creator`,
			`${A}/projects/${sandbox.ids.projectId}?include=creator`,
			`${A}/folders/${sandbox.ids.wipFolderId}?include=media_links.original`,
			`${A}/folders/${sandbox.ids.wipFolderId}/folders?include=owner`,
			`${A}/folders/${sandbox.ids.wipFolderId}/children?include=media_links.poster`,
			`${A}/folders/${sandbox.ids.wipFolderId}/files?include=creator,owner`,
			`${A}/files/${file.id}?include=project.owner`,
			`${A}/files/${file.id}?include=creator,`,
			`${A}/folders/${sandbox.ids.wipFolderId}/version_stacks?include=comments`,
		];
		for (const path of refused) {
			const reply = await call(sandbox, 'GET', path);
			expect(reply.status, path).toBe(422);
			expect(reply.body.errors[0].source.pointer).toBe('/include');
		}
		expect((await call(sandbox, 'GET', '/v4/me?include=anything')).status).toBe(200);
		expect((await call(sandbox, 'GET', `${A}/files/${file.id}?include=`)).status).toBe(200);
	});
});

describe('workspaces.show', () => {
	it('shows a workspace of the account, 404 for an unknown one or one of another account', async () => {
		const reply = await call(sandbox, 'GET', `${A}/workspaces/${sandbox.ids.workspaceId}`);
		expect(reply.status).toBe(200);
		expect(reply.body.data).toEqual(sandbox.store.workspaces.find(item => item.id === sandbox.ids.workspaceId));
		expect(reply.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
		expect((await call(sandbox, 'GET', `${A}/workspaces/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
		const otherAccount = sandbox.store.addAccount('Other');
		const otherWorkspace = sandbox.store.addWorkspace(otherAccount.id, 'Theirs');
		expect((await call(sandbox, 'GET', `${A}/workspaces/${otherWorkspace.id}`)).status).toBe(404);
	});
});
