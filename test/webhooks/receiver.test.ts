// The webhook receiver over real HTTP: the sandbox's signed deliveries are accepted and drop the cached listings they
// touch (a file uploaded by another client shows in the next listing, where the cache would have answered for 15
// minutes); an unsigned, badly signed, stale or oversized delivery is refused with a 401/413, counted, never acted on.
import {createHmac} from 'node:crypto';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {openApp, type App} from '../../source/app/open-app.js';
import {openWebhookReceiver} from '../../source/app/webhook-receiver.js';
import {cacheKeys} from '../../source/cache/index.js';
import {WebhookSecretStore} from '../../source/config/webhook-secrets.js';
import type {AppEvent} from '../../source/events/index.js';
import type {FolderChild} from '../../source/frameio/types.js';
import type {WebhookReceiver} from '../../source/frameio/webhook-receiver.js';
import {signWebhookBody, verifyWebhookSignature} from '../../source/frameio/webhook-signature.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import {fastConfigDir, startTestSandbox, testDir} from '../upload-commands/helpers.js';

describe('webhook signatures (frameio-v4.md §7)', () => {
	const secret = 'a'.repeat(64);
	const body = Buffer.from('{"type":"file.created","resource":{"id":"x","type":"file"}}');
	const now = 1_800_000_000_000;
	const ts = String(now / 1000);

	it('accepts v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)) within 5 minutes, with any of the secrets', () => {
		const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body.toString()}`).digest('hex')}`;
		expect(signWebhookBody(secret, ts, body)).toBe(signature);
		expect(verifyWebhookSignature({secrets: ['other-secret-value', secret], timestamp: ts, signature, rawBody: body, nowMs: now + 299_000})).toEqual({ok: true, secretIndex: 1});
	});

	it('refuses a stale timestamp, a body or time other than the signed ones, a wrong secret, and malformed headers', () => {
		const signature = signWebhookBody(secret, ts, body);
		const check = (input: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
			verifyWebhookSignature({secrets: [secret], timestamp: ts, signature, rawBody: body, nowMs: now, ...input});
		expect(check({nowMs: now + 301_000})).toMatchObject({ok: false, reason: 'stale'});
		expect(check({nowMs: now - 301_000})).toMatchObject({ok: false, reason: 'stale'});
		expect(check({rawBody: Buffer.from(`${body} `)})).toMatchObject({ok: false, reason: 'bad_signature'});
		expect(check({timestamp: String(Number(ts) + 1), nowMs: now})).toMatchObject({ok: false, reason: 'bad_signature'});
		expect(check({secrets: ['b'.repeat(64)]})).toMatchObject({ok: false, reason: 'bad_signature'});
		expect(check({secrets: []})).toMatchObject({ok: false, reason: 'no_secret'});
		expect(check({signature: undefined})).toMatchObject({ok: false, reason: 'missing_signature'});
		expect(check({signature: 'sha256=abc'})).toMatchObject({ok: false, reason: 'malformed_signature'});
		expect(check({timestamp: 'yesterday'})).toMatchObject({ok: false, reason: 'malformed_signature'});
	});
});

describe('the webhook receiver against the sandbox', () => {
	let sandbox: Sandbox;
	let app: App;
	let receiver: WebhookReceiver;
	let events: AppEvent[];
	let metrics: MetricsStore;

	beforeEach(async () => {
		sandbox = await startTestSandbox({webhookRetry: {maxAttempts: 1, baseDelayMs: 10, timeoutMs: 2000}});
		const state = testDir('webhook-state');
		app = await openApp({
			paths: {configDir: fastConfigDir(), stateDir: state, logsDir: testDir('webhook-logs')},
			env: {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: sandbox.token, FRAMEIO_PROJECT_ID: sandbox.ids.projectId},
			cache: 'private',
		});
		events = [];
		app.bus.on(event => events.push(event));
		metrics = new MetricsStore();
		metrics.attach(app.bus);
		receiver = await openWebhookReceiver(app, {port: 0, env: {}});
	});
	afterEach(async () => {
		await receiver.close();
		await app.close();
		await sandbox.close();
	});

	/** Registers a webhook to the receiver the way `webhook create` does, its secret stored in the profile. */
	async function register(): Promise<void> {
		const hook = await app.client.createWebhook(sandbox.ids.accountId, sandbox.ids.workspaceId, {
			name: 'test receiver',
			url: `${receiver.url}hook`,
			events: ['file.created', 'file.upload.completed', 'file.versioned', 'file.deleted', 'folder.created', 'folder.deleted'],
		});
		new WebhookSecretStore(app.profileStateDir).save(hook.id, {secret: hook.secret, workspace_id: sandbox.ids.workspaceId, name: hook.name, url: hook.url, created_at: hook.created_at});
	}

	const listNames = async (folderId: string) => (await app.structure.children(sandbox.ids.accountId, folderId)).items.map(item => item.name);
	const accepted = () => events.filter(event => event.type === 'webhook' && event.outcome === 'accepted');

	it('a file created by another client drops its folder\'s cached listing: the next listing shows it', async () => {
		const folder = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC01_SEQ01');
		expect(await listNames(folder.id)).toEqual([]);
		// Without a webhook the cache answers, and does not see a file made behind its back.
		sandbox.store.addFile(folder.id, 'before.mov', 1000);
		expect(await listNames(folder.id)).toEqual([]);

		await register();
		const file = sandbox.store.addFile(folder.id, 'UNDLM_SEQ01_00042_v001.mp4', 1000);
		await until(() => accepted().some(event => event.type === 'webhook' && event.outcome === 'accepted' && event.event === 'file.created'));
		await receiver.settled();
		expect(app.cache.peek(cacheKeys.folderChildren(folder.id))).toBeUndefined();
		expect((await listNames(folder.id)).sort()).toEqual(['UNDLM_SEQ01_00042_v001.mp4', 'before.mov']);
		expect(accepted()[0]).toMatchObject({event: 'file.created', dropped: expect.any(Number)});

		// Stacked by someone: file.versioned drops the listing that still shows the files loose.
		const other = sandbox.store.addFile(folder.id, 'UNDLM_SEQ01_00042_v002.mp4', 1000);
		await until(() => accepted().length >= 2);
		await receiver.settled();
		await listNames(folder.id); // cached again, with both loose
		const stack = sandbox.store.createVersionStack(folder.id, [file.id, other.id]);
		await until(() => accepted().some(event => event.type === 'webhook' && event.outcome === 'accepted' && event.event === 'file.versioned'));
		await receiver.settled();
		const items = (await app.structure.children(sandbox.ids.accountId, folder.id)).items as FolderChild[];
		expect(items.find(item => item.type === 'version_stack')?.id).toBe(stack.id);

		// Deleted: no GET can say where it was, the cached listing that held it does.
		await listNames(folder.id);
		sandbox.store.deleteFile(sandbox.store.children(folder.id).find(child => child.name === 'before.mov')!.id);
		await until(() => accepted().some(event => event.type === 'webhook' && event.outcome === 'accepted' && event.event === 'file.deleted'));
		await receiver.settled();
		expect(await listNames(folder.id)).not.toContain('before.mov');
		expect(metrics.figures(60_000).webhooks).toMatchObject({deliveries: accepted().length, refused: 0});
	});

	it('refuses (401) and counts a delivery with a bad signature, a stale one and an unsigned one; acts on none', async () => {
		await register();
		const folder = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC02_SEQ02');
		await until(() => accepted().length >= 1);
		await receiver.settled();
		await listNames(folder.id); // cached
		const body = JSON.stringify({type: 'file.created', resource: {id: 'x', type: 'file'}, account: {id: sandbox.ids.accountId}, workspace: {id: sandbox.ids.workspaceId}, project: {id: sandbox.ids.projectId}, user: {id: 'u'}});
		const ts = String(Math.floor(Date.now() / 1000));
		const post = (headers: Record<string, string>, text = body) => fetch(`${receiver.url}hook`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: text});
		const forged = await post({'x-frameio-request-timestamp': ts, 'x-frameio-signature': signWebhookBody('not-the-secret-at-all', ts, body)});
		expect(forged.status).toBe(401);
		expect(await forged.text()).toContain('matches none of the stored webhook secrets');
		const secret = Object.values(new WebhookSecretStore(app.profileStateDir).read())[0].secret;
		const old = String(Number(ts) - 600);
		expect((await post({'x-frameio-request-timestamp': old, 'x-frameio-signature': signWebhookBody(secret, old, body)})).status).toBe(401);
		expect((await post({})).status).toBe(401);
		expect((await post({'x-frameio-request-timestamp': ts, 'x-frameio-signature': signWebhookBody(secret, ts, 'x'.repeat(70_000))}, 'x'.repeat(70_000))).status).toBe(413);
		// Signed right, but not a payload.
		expect((await post({'x-frameio-request-timestamp': ts, 'x-frameio-signature': signWebhookBody(secret, ts, '[]')}, '[]')).status).toBe(400);
		// Signed right: accepted.
		expect((await post({'x-frameio-request-timestamp': ts, 'x-frameio-signature': signWebhookBody(secret, ts, body)})).status).toBe(204);

		const refused = events.filter(event => event.type === 'webhook' && event.outcome === 'refused').map(event => (event.type === 'webhook' && event.outcome === 'refused' ? event.reason : ''));
		expect(refused).toEqual(['bad_signature', 'stale', 'missing_signature', 'too_large', 'malformed_payload']);
		expect(receiver.stats()).toMatchObject({refused: 5, byReason: {bad_signature: 1, stale: 1, missing_signature: 1, too_large: 1, malformed_payload: 1}});
		expect(metrics.figures(60_000).webhooks.refused).toBe(5);
		// The refused ones touched nothing: the folder's listing is still cached.
		expect(app.cache.peek(cacheKeys.folderChildren(folder.id))).toEqual([]);
		// The secret never reached the logs.
		await app.close();
		const {readdirSync, readFileSync} = await import('node:fs');
		const logs = readdirSync(app.paths.logsDir).map(name => readFileSync(`${app.paths.logsDir}/${name}`, 'utf8')).join('\n');
		expect(logs).toContain('webhook delivery refused (401)');
		expect(logs).not.toContain(secret);
	});
});

async function until(probe: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for a webhook delivery');
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
