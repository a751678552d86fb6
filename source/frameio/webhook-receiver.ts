// The receiving end of Frame.io's webhooks: a node:http server (127.0.0.1 unless told otherwise; a tunnel or a reverse
// proxy brings the deliveries to it) that checks each POST's signature and timestamp (webhook-signature.ts), answers
// 204 at once, then hands the payload on. A bad, stale or unsigned delivery gets a 401 and is counted, never acted on.
// Frame.io retries a delivery that does not get a 2xx, so the answer comes before the work: a slow lookup must not
// make Frame.io send the same event again.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Logger} from 'pino';
import type {EventBus, WebhookRefusal} from '../events/index.js';
import type {WebhookPayload} from './types.js';
import {SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature} from './webhook-signature.js';

/** Frame.io's payloads are a few hundred bytes of ids; anything much bigger is not one of them. */
const MAX_BODY_BYTES = 64 * 1024;

export type WebhookReceiverOptions = {
	port: number;
	/** Bind address; default 127.0.0.1 (only this machine: a tunnel or reverse proxy forwards to it). */
	host?: string;
	/** The signing secrets deliveries may be signed with, read on each delivery (a webhook created later counts). */
	secrets: () => readonly string[];
	/** The work a verified delivery triggers; resolves with how many cached listings it dropped. */
	onDelivery: (payload: WebhookPayload) => Promise<number>;
	bus?: EventBus;
	logger?: Logger;
	now?: () => number;
};

export type WebhookReceiverStats = {accepted: number; refused: number; byReason: Partial<Record<WebhookRefusal, number>>};

export type WebhookReceiver = {
	/** http://host:port/ as bound (port 0 becomes the port the system gave). */
	readonly url: string;
	readonly port: number;
	stats(): WebhookReceiverStats;
	/** Resolves once every delivery accepted so far has been handled. */
	settled(): Promise<void>;
	close(): Promise<void>;
};

export class WebhookReceiverError extends Error {
	override readonly name = 'WebhookReceiverError';
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
	const host = options.host ?? '127.0.0.1';
	const now = options.now ?? Date.now;
	const stats: WebhookReceiverStats = {accepted: 0, refused: 0, byReason: {}};
	const working = new Set<Promise<void>>();

	const refuse = (res: ServerResponse, status: number, reason: WebhookRefusal, detail: string) => {
		stats.refused++;
		stats.byReason[reason] = (stats.byReason[reason] ?? 0) + 1;
		options.bus?.emit({type: 'webhook', at: now(), outcome: 'refused', reason});
		options.logger?.warn({event: 'webhook_refused', reason, status}, `webhook delivery refused (${status}): ${detail}`);
		answer(res, status, detail);
	};

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		if (req.method === 'GET' || req.method === 'HEAD') return answer(res, 200, 'frameio-admin webhook receiver: POST Frame.io deliveries here');
		if (req.method !== 'POST') return answer(res, 405, 'only POST');
		const body = await readBody(req);
		if (body === 'too_large') return refuse(res, 413, 'too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
		const check = verifyWebhookSignature({
			secrets: options.secrets(),
			timestamp: header(req, TIMESTAMP_HEADER),
			signature: header(req, SIGNATURE_HEADER),
			rawBody: body,
			nowMs: now(),
		});
		if (!check.ok) return refuse(res, 401, check.reason, check.detail);
		const payload = parsePayload(body);
		if (!payload) return refuse(res, 400, 'malformed_payload', 'signed, but not a Frame.io webhook payload ({type, resource:{id}})');
		stats.accepted++;
		answer(res, 204);
		const work = options
			.onDelivery(payload)
			.then(
				dropped => {
					options.bus?.emit({type: 'webhook', at: now(), outcome: 'accepted', event: payload.type, dropped});
					options.logger?.info(
						{event: 'webhook', type: payload.type, resource: payload.resource, dropped},
						`webhook ${payload.type} ${payload.resource.type} ${payload.resource.id}: ${dropped} cached listing${dropped === 1 ? '' : 's'} dropped`,
					);
				},
				(error: unknown) => {
					options.bus?.emit({type: 'webhook', at: now(), outcome: 'accepted', event: payload.type, dropped: 0});
					options.logger?.warn({event: 'webhook', type: payload.type, resource: payload.resource, err: error}, `webhook ${payload.type}: could not work out what to drop`);
				},
			)
			.finally(() => working.delete(work));
		working.add(work);
	};

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			options.logger?.warn({err: error}, 'webhook receiver: request failed');
			if (!res.headersSent) answer(res, 500, 'internal error');
		});
	});
	server.requestTimeout = 10_000;
	server.headersTimeout = 10_000;
	await new Promise<void>((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) =>
			reject(new WebhookReceiverError(`cannot listen on ${host}:${options.port} for webhooks: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'permission denied' : error.message}`));
		server.once('error', onError);
		server.listen(options.port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const shownHost = host.includes(':') ? `[${host}]` : host;
	options.logger?.info({event: 'webhook_receiver', host, port}, `webhook receiver listening on http://${shownHost}:${port}/`);
	return {
		url: `http://${shownHost}:${port}/`,
		port,
		stats: () => ({...stats, byReason: {...stats.byReason}}),
		async settled() {
			while (working.size > 0) await Promise.allSettled([...working]);
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
			await Promise.allSettled([...working]);
		},
	};
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function answer(res: ServerResponse, status: number, text?: string): void {
	if (text === undefined) {
		res.writeHead(status).end();
		return;
	}
	res.writeHead(status, {'content-type': 'text/plain; charset=utf-8'}).end(`${text}\n`);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let over = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) over = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(over ? 'too_large' : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** The payload's ids, or null when it is not one (ids are kept as strings; nothing else is trusted). */
function parsePayload(body: Buffer): WebhookPayload | null {
	let value: unknown;
	try {
		value = JSON.parse(body.toString('utf8'));
	} catch {
		return null;
	}
	const object = value as Partial<Record<keyof WebhookPayload, unknown>> | null;
	if (!object || typeof object !== 'object' || typeof object.type !== 'string') return null;
	const resource = object.resource as {id?: unknown; type?: unknown} | undefined;
	if (!resource || typeof resource.id !== 'string' || resource.id.length === 0) return null;
	const idOf = (field: unknown) => (field && typeof field === 'object' && typeof (field as {id?: unknown}).id === 'string' ? (field as {id: string}).id : '');
	return {
		type: object.type as WebhookPayload['type'],
		resource: {id: resource.id, type: typeof resource.type === 'string' ? resource.type : ''},
		account: {id: idOf(object.account)},
		workspace: {id: idOf(object.workspace)},
		project: {id: idOf(object.project)},
		user: {id: idOf(object.user)},
	};
}
