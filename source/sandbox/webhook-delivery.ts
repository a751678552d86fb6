// Webhook deliveries: each change in a workspace is POSTed as `{type, resource, account, workspace, project, user}` to
// every active webhook of that workspace subscribed to the event, signed as Frame.io signs (frameio-v4.md §7):
// X-Frameio-Request-Timestamp (unix s) and X-Frameio-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)).
// Only loopback URLs are called (the sandbox never reaches the internet); others are recorded as not delivered.
// A failed attempt (non-2xx, connection error, timeout) is retried with doubling back-off, up to maxAttempts.
// Nothing here runs on the API's path: announce() only records and schedules; close() stops every attempt.
import {createHmac} from 'node:crypto';
import {request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';
import type {WebhookPayload} from '../frameio/types.js';
import {newId} from './ids.js';
import {isLoopbackUrl} from './remote-upload.js';
import type {SandboxStore, StoreEvent} from './store.js';
import type {Timers} from './timers.js';
import type {WebhookDelivery, WebhookRetryOptions} from './types.js';
import type {WebhookRegistry} from './webhooks.js';

export const WEBHOOK_USER_AGENT = 'Frame.io V4 API';
export const DEFAULT_WEBHOOK_RETRY: Required<WebhookRetryOptions> = {maxAttempts: 5, baseDelayMs: 1000, timeoutMs: 10_000};
const MAX_DELIVERY_RECORDS = 10_000;

/** The retry options with their defaults; throws on a value that would make no sense (a wrong option is a bug). */
export function resolveWebhookRetry(options: WebhookRetryOptions = {}): Required<WebhookRetryOptions> {
	const retry = {...DEFAULT_WEBHOOK_RETRY, ...options};
	if (!(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) throw new Error(`webhookRetry.maxAttempts must be a whole number >= 1, got ${retry.maxAttempts}`);
	if (!(Number.isFinite(retry.baseDelayMs) && retry.baseDelayMs >= 0)) throw new Error(`webhookRetry.baseDelayMs must be a number of ms >= 0, got ${retry.baseDelayMs}`);
	if (!(Number.isFinite(retry.timeoutMs) && retry.timeoutMs > 0)) throw new Error(`webhookRetry.timeoutMs must be a number of ms > 0, got ${retry.timeoutMs}`);
	return retry;
}

/** The X-Frameio-Signature value for one delivery attempt. */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
	return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export class WebhookDeliverer {
	readonly deliveries: WebhookDelivery[] = [];

	constructor(
		private readonly deps: {store: SandboxStore; registry: WebhookRegistry; timers: Timers; signal: AbortSignal; retry: Required<WebhookRetryOptions>},
	) {}

	announce(event: StoreEvent): void {
		const {store, registry} = this.deps;
		const workspaceId = store.workspaceIdOfProject(event.projectId);
		const accountId = workspaceId && store.accountIdOfWorkspace(workspaceId);
		if (!workspaceId || !accountId || this.deps.signal.aborted) return;
		const payload: WebhookPayload = {
			type: event.type,
			resource: event.resource,
			account: {id: accountId},
			workspace: {id: workspaceId},
			project: {id: event.projectId},
			user: {id: store.user.id},
		};
		const body = JSON.stringify(payload);
		for (const hook of registry.subscribers(workspaceId, event.type)) {
			const delivery: WebhookDelivery = {id: newId(), webhook_id: hook.id, event: event.type, url: hook.url, body, state: 'pending', attempts: []};
			this.deliveries.push(delivery);
			if (this.deliveries.length > MAX_DELIVERY_RECORDS) this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERY_RECORDS);
			if (!isLoopbackUrl(hook.url)) {
				delivery.state = 'not_delivered';
				delivery.reason = 'not a loopback URL: the sandbox never calls out';
				continue;
			}
			this.deps.timers.after(0, () => void this.attempt(delivery));
		}
	}

	private async attempt(delivery: WebhookDelivery): Promise<void> {
		const {registry, signal, retry} = this.deps;
		const secret = registry.activeSecret(delivery.webhook_id);
		if (!secret) {
			delivery.state = 'not_delivered';
			delivery.reason = 'the webhook was deleted or deactivated';
			return;
		}
		const timestamp = String(Math.floor(Date.now() / 1000));
		const attempt: WebhookDelivery['attempts'][number] = {at: Date.now()};
		delivery.attempts.push(attempt);
		try {
			attempt.status = await post(delivery.url, delivery.body, {
				'content-type': 'application/json',
				'user-agent': WEBHOOK_USER_AGENT,
				'x-frameio-request-timestamp': timestamp,
				'x-frameio-signature': signWebhook(secret, timestamp, delivery.body),
			}, retry.timeoutMs, signal);
		} catch (error) {
			attempt.error = (error as Error).message;
		}
		if (signal.aborted) {
			delivery.state = 'failed';
			delivery.reason = 'the sandbox closed';
			return;
		}
		if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
			delivery.state = 'delivered';
			return;
		}
		if (delivery.attempts.length >= retry.maxAttempts) {
			delivery.state = 'failed';
			delivery.reason = `no 2xx answer after ${delivery.attempts.length} attempts`;
			return;
		}
		this.deps.timers.after(retry.baseDelayMs * 2 ** (delivery.attempts.length - 1), () => void this.attempt(delivery));
	}
}

function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<number> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
		const req = send(target, {method: 'POST', headers: {...headers, 'content-length': String(Buffer.byteLength(body))}, agent: false, signal, timeout: timeoutMs}, res => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}
