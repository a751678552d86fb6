// Webhooks over real HTTP: the CRUD routes, and deliveries to a real receiver on loopback (payload, signature,
// retries with back-off, loopback only, never blocking the API, stopped by close()).
import {createHmac, randomBytes} from 'node:crypto';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox, type WebhookDelivery} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call, walk} from './http.js';

type Received = {headers: IncomingHttpHeaders; body: string; at: number};

/** A webhook receiver: answers `plan()` per request (a status, or 'hang' to never answer). */
class Receiver {
	readonly received: Received[] = [];
	plan: () => number | 'hang' = () => 200;
	private server!: Server;
	url = '';

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', chunk => chunks.push(chunk));
			req.on('end', () => {
				this.received.push({headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now()});
				const answer = this.plan();
				if (answer === 'hang') return;
				res.writeHead(answer);
				res.end();
			});
		});
		await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
		return this;
	}

	events(): string[] {
		return this.received.map(item => JSON.parse(item.body).type);
	}

	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise(resolve => this.server.close(() => resolve()));
	}
}

async function waitFor<T>(probe: () => T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (done(value) || Date.now() > until) return value;
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

const FILE_AND_FOLDER_EVENTS = [
	'file.created',
	'file.upload.completed',
	'file.ready',
	'file.updated',
	'file.deleted',
	'file.versioned',
	'file.copied',
	'folder.created',
	'folder.updated',
	'folder.deleted',
];

let sandbox: Sandbox;
let A: string;
let W: string;
let receiver: Receiver;

beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, transcodeDelayMs: 20, partSize: 1024, webhookRetry: {maxAttempts: 3, baseDelayMs: 60, timeoutMs: 500}});
	rememberSecret(sandbox.token);
	A = `/v4/accounts/${sandbox.ids.accountId}`;
	W = `${A}/workspaces/${sandbox.ids.workspaceId}/webhooks`;
	receiver = await new Receiver().start();
});
afterAll(async () => {
	await sandbox.close();
	await receiver.close();
});

async function createHook(data: Record<string, unknown>) {
	const reply = await call(sandbox, 'POST', W, {json: {data}});
	if (reply.status === 201) rememberSecret(reply.body.data.secret);
	return reply;
}

describe('webhook routes', () => {
	it('create answers 201 with the signing secret, which no other answer shows; list, show, update, delete', async () => {
		const created = await createHook({name: 'farm', url: receiver.url, events: ['file.created']});
		expect(created.status).toBe(201);
		const hook = created.body.data;
		expect(hook).toMatchObject({name: 'farm', url: receiver.url, events: ['file.created'], active: true, workspace_id: sandbox.ids.workspaceId});
		expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);

		const listed = await walk(sandbox, `${W}?page_size=1`);
		expect(listed.items.map(item => item.id)).toContain(hook.id);
		const shown = await call(sandbox, 'GET', `${A}/webhooks/${hook.id}?include=creator`);
		expect(shown.body.data).toMatchObject({id: hook.id, creator: {id: sandbox.ids.userId, active: true}});
		const updated = await call(sandbox, 'PATCH', `${A}/webhooks/${hook.id}`, {json: {data: {name: 'farm 2', events: ['file.ready', 'folder.created'], active: false}}});
		expect(updated.status).toBe(200);
		expect(updated.body.data).toMatchObject({name: 'farm 2', events: ['file.ready', 'folder.created'], active: false});
		for (const text of [JSON.stringify(listed.items), shown.text, updated.text]) expect(text).not.toContain(hook.secret);
		for (const item of [...listed.items, shown.body.data, updated.body.data]) expect(item).not.toHaveProperty('secret');

		expect((await call(sandbox, 'DELETE', `${A}/webhooks/${hook.id}`)).status).toBe(204);
		expect((await call(sandbox, 'GET', `${A}/webhooks/${hook.id}`)).status).toBe(404);
		expect((await call(sandbox, 'PATCH', `${A}/webhooks/${hook.id}`, {json: {data: {name: 'x'}}})).status).toBe(404);
		expect((await call(sandbox, 'DELETE', `${A}/webhooks/${hook.id}`)).status).toBe(404);
	});

	it('refuses bad bodies with 422 and a pointer, unknown workspaces with 404, unknown include with 422', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{url: receiver.url, events: ['file.created']}, '/data/name'],
			[{name: 'x', url: receiver.url, events: []}, '/data/events'],
			[{name: 'x', url: receiver.url, events: ['file.exploded']}, '/data/events/0'],
			[{name: 'x', url: receiver.url, events: ['file.created', 'file.created']}, '/data/events/1'],
			[{name: 'x', url: 'not a url', events: ['file.created']}, '/data/url'],
			[{name: 'x', url: 'ftp://127.0.0.1/x', events: ['file.created']}, '/data/url'],
			[{name: 'x', url: receiver.url, events: ['file.created'], secret: 'mine'}, '/data/secret'],
		];
		for (const [data, pointer] of cases) {
			const reply = await createHook(data);
			expect(reply.status, JSON.stringify(data)).toBe(422);
			expect(reply.body.errors[0].source.pointer).toBe(pointer);
		}
		const missing = '00000000-0000-4000-8000-000000000000';
		expect((await call(sandbox, 'POST', `${A}/workspaces/${missing}/webhooks`, {json: {data: {name: 'x', url: receiver.url, events: ['file.created']}}})).status).toBe(404);
		expect((await call(sandbox, 'GET', `${A}/workspaces/${missing}/webhooks`)).status).toBe(404);
		expect((await call(sandbox, 'GET', `${W}?include=owner`)).status).toBe(422);
		const hook = (await createHook({name: 'x', url: receiver.url, events: ['file.created']})).body.data;
		expect((await call(sandbox, 'PATCH', `${A}/webhooks/${hook.id}`, {json: {data: {active: 'yes'}}})).status).toBe(422);
		expect((await call(sandbox, 'PATCH', `${A}/webhooks/${hook.id}`, {json: {data: {secret: 'mine'}}})).status).toBe(422);
		await call(sandbox, 'DELETE', `${A}/webhooks/${hook.id}`);
	});
});

describe('webhook deliveries', () => {
	const hooks: string[] = [];
	afterEach(async () => {
		for (const id of hooks.splice(0)) await call(sandbox, 'DELETE', `${A}/webhooks/${id}`);
		receiver.plan = () => 200;
		receiver.received.length = 0;
	});
	async function subscribe(events: string[], url = receiver.url) {
		const reply = await createHook({name: 'test', url, events});
		expect(reply.status).toBe(201);
		hooks.push(reply.body.data.id);
		return reply.body.data as {id: string; secret: string};
	}

	it('POSTs each file and folder change, with the ids-only payload, signed with the secret as documented', async () => {
		const hook = await subscribe(FILE_AND_FOLDER_EVENTS);
		const folder = (await call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/folders`, {json: {data: {name: 'HOOKED'}}})).body.data;
		await call(sandbox, 'PATCH', `${A}/folders/${folder.id}`, {json: {data: {name: 'HOOKED_2'}}});

		const bytes = randomBytes(3000);
		const upload = (await call(sandbox, 'POST', `${A}/folders/${folder.id}/files/local_upload`, {json: {data: {name: 'v001.mp4', file_size: bytes.length}}})).body.data;
		let offset = 0;
		for (const part of upload.upload_urls) {
			rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);
			const slice = bytes.subarray(offset, (offset += part.size));
			expect((await fetch(part.url, {method: 'PUT', body: new Uint8Array(slice), headers: {'content-type': 'video/mp4', 'x-amz-acl': 'private'}})).status).toBe(200);
		}
		await waitFor(() => sandbox.store.getFile(upload.id)!.status, status => status === 'transcoded');
		await call(sandbox, 'PATCH', `${A}/files/${upload.id}`, {json: {data: {name: 'v001_renamed.mp4'}}});
		const copy = (await call(sandbox, 'POST', `${A}/files/${upload.id}/copy`)).body.data;
		await call(sandbox, 'POST', `${A}/folders/${folder.id}/version_stacks`, {json: {data: {file_ids: [upload.id, copy.id]}}});
		await call(sandbox, 'DELETE', `${A}/files/${copy.id}`);
		await call(sandbox, 'DELETE', `${A}/folders/${folder.id}`);

		const expected = [
			['folder.created', folder.id, 'folder'],
			['folder.updated', folder.id, 'folder'],
			['file.created', upload.id, 'file'],
			['file.upload.completed', upload.id, 'file'],
			['file.ready', upload.id, 'file'],
			['file.updated', upload.id, 'file'],
			['file.copied', copy.id, 'file'],
			['file.versioned', copy.id, 'file'],
			['file.deleted', copy.id, 'file'],
			['folder.deleted', folder.id, 'folder'],
		];
		await waitFor(() => receiver.received.length, count => count >= expected.length);
		await new Promise(resolve => setTimeout(resolve, 50)); // nothing more arrives
		const payloads = receiver.received.map(item => JSON.parse(item.body));
		expect(payloads.map(payload => [payload.type, payload.resource.id, payload.resource.type]).sort()).toEqual(expected.sort());

		for (const item of receiver.received) {
			expect(JSON.parse(item.body)).toEqual({
				type: expect.any(String),
				resource: {id: expect.any(String), type: expect.stringMatching(/^(file|folder)$/)},
				account: {id: sandbox.ids.accountId},
				workspace: {id: sandbox.ids.workspaceId},
				project: {id: sandbox.ids.projectId},
				user: {id: sandbox.ids.userId},
			});
			expect(item.headers['user-agent']).toBe('Frame.io V4 API');
			expect(item.headers['content-type']).toBe('application/json');
			const timestamp = item.headers['x-frameio-request-timestamp'] as string;
			expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
			const signature = `v0=${createHmac('sha256', hook.secret).update(`v0:${timestamp}:${item.body}`).digest('hex')}`;
			expect(item.headers['x-frameio-signature']).toBe(signature);
		}
		expect(sandbox.webhookDeliveries.filter(delivery => delivery.webhook_id === hook.id).every(delivery => delivery.state === 'delivered')).toBe(true);
	});

	it('sends only the subscribed events, only for its workspace, and nothing to an inactive webhook', async () => {
		await subscribe(['folder.created']);
		const inactive = await subscribe(['folder.created']);
		await call(sandbox, 'PATCH', `${A}/webhooks/${inactive.id}`, {json: {data: {active: false}}});
		const other = sandbox.store.workspaces.length;
		const elsewhere = sandbox.store.addWorkspace(sandbox.ids.accountId, `Other ${other}`);
		const project = sandbox.store.addProject(elsewhere.id, 'ELSEWHERE');

		sandbox.store.addFile(sandbox.ids.wipFolderId, 'not-subscribed.mp4', 10);
		sandbox.store.addFolder(project.root_folder_id, 'other workspace');
		const mine = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'mine');
		await waitFor(() => receiver.received.length, count => count >= 1);
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(receiver.received.map(item => JSON.parse(item.body).resource.id)).toEqual([mine.id]);
		expect(sandbox.webhookDeliveries.filter(delivery => delivery.webhook_id === inactive.id)).toEqual([]);
	});

	it('retries a failed delivery with doubling back-off and records every attempt', async () => {
		let calls = 0;
		receiver.plan = () => (++calls <= 2 ? 500 : 204);
		const hook = await subscribe(['folder.created']);
		sandbox.store.addFolder(sandbox.ids.wipFolderId, 'retried');
		const delivery = await waitFor(() => sandbox.webhookDeliveries.find(item => item.webhook_id === hook.id), found => found?.state === 'delivered');
		expect(delivery?.state).toBe('delivered');
		expect(delivery!.attempts.map(attempt => attempt.status)).toEqual([500, 500, 204]);
		expect(receiver.received).toHaveLength(3);
		const gaps = receiver.received.slice(1).map((item, index) => item.at - receiver.received[index].at);
		expect(gaps[0]).toBeGreaterThanOrEqual(55); // base 60 ms
		expect(gaps[1]).toBeGreaterThanOrEqual(115); // doubled
		// Each attempt is signed afresh, the body is the same bytes.
		expect(new Set(receiver.received.map(item => item.body)).size).toBe(1);
	});

	it('gives up after maxAttempts on connection errors and on timeouts', async () => {
		const closed = await new Receiver().start();
		await closed.close();
		const refused = await subscribe(['folder.created'], closed.url);
		receiver.plan = () => 'hang';
		const hanging = await subscribe(['folder.created']);
		sandbox.store.addFolder(sandbox.ids.wipFolderId, 'unreachable');
		const settled = (id: string) => () => sandbox.webhookDeliveries.find(item => item.webhook_id === id);
		const failedRefused = await waitFor(settled(refused.id), found => found?.state === 'failed');
		expect(failedRefused!.attempts).toHaveLength(3);
		expect(failedRefused!.attempts.every(attempt => attempt.error && attempt.status === undefined)).toBe(true);
		const failedHanging = await waitFor(settled(hanging.id), found => found?.state === 'failed', 8000);
		expect(failedHanging!.attempts).toHaveLength(3);
		expect(failedHanging!.attempts[0].error).toMatch(/no answer within 500 ms/);
	});

	it('accepts a non-loopback URL but never calls it', async () => {
		const hook = await subscribe(['folder.created'], 'https://hooks.example.com/frameio');
		sandbox.store.addFolder(sandbox.ids.wipFolderId, 'not sent');
		const delivery = sandbox.webhookDeliveries.find(item => item.webhook_id === hook.id)!;
		expect(delivery).toMatchObject({state: 'not_delivered', attempts: []});
		expect(delivery.reason).toMatch(/loopback/);
	});
});

describe('webhookRetry option', () => {
	it('refuses values that make no sense, before starting anything', async () => {
		for (const webhookRetry of [{maxAttempts: 0}, {maxAttempts: 1.5}, {baseDelayMs: -1}, {timeoutMs: 0}, {timeoutMs: Number.NaN}]) {
			await expect(startSandbox({seed: 'empty', webhookRetry}), JSON.stringify(webhookRetry)).rejects.toThrow(/webhookRetry\./);
		}
	});
});

describe('deliveries and the API', () => {
	it('a receiver that never answers does not slow the API, and close() stops every delivery at once', async () => {
		const hanging = await new Receiver().start();
		hanging.plan = () => 'hang';
		const own = await startSandbox({seed: 'empty', enforceRateLimits: false, webhookRetry: {maxAttempts: 5, baseDelayMs: 50, timeoutMs: 60_000}});
		rememberSecret(own.token);
		try {
			const B = `/v4/accounts/${own.ids.accountId}`;
			const hook = await call(own, 'POST', `${B}/workspaces/${own.ids.workspaceId}/webhooks`, {json: {data: {name: 'slow', url: hanging.url, events: ['folder.created']}}});
			rememberSecret(hook.body.data.secret);
			const started = Date.now();
			for (let index = 0; index < 5; index++) {
				expect((await call(own, 'POST', `${B}/folders/${own.ids.wipFolderId}/folders`, {json: {data: {name: `F${index}`}}})).status).toBe(201);
			}
			expect(Date.now() - started).toBeLessThan(10_000); // a blocked answer would wait out the 60 s attempt timeout
			await waitFor(() => hanging.received.length, count => count === 5);
			expect(own.webhookDeliveries.map(item => item.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
			const closing = Date.now();
			await own.close();
			expect(Date.now() - closing).toBeLessThan(10_000);
			const states = await waitFor(() => own.webhookDeliveries.map((item: WebhookDelivery) => item.state), list => list.every(state => state === 'failed'));
			expect(states.every(state => state === 'failed')).toBe(true);
			expect(own.webhookDeliveries[0].reason).toMatch(/closed/);
			const seen = hanging.received.length;
			await new Promise(resolve => setTimeout(resolve, 200));
			expect(hanging.received.length).toBe(seen); // no retry after close
		} finally {
			await own.close();
			await hanging.close();
		}
	});
});
