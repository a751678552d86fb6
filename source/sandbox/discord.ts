// A Discord webhook sink: POST /discord/api/webhooks/<id>/<secret> with JSON → 204, recorded.
// failNext(n, s) makes the next n posts answer Discord's 429 body with retry_after = s.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {readBody, sendJson} from './http-io.js';
import {randomHex, randomToken} from './ids.js';
import type {DiscordMessage, DiscordSink} from './types.js';

export class DiscordEmulator implements DiscordSink {
	readonly messages: DiscordMessage[] = [];
	readonly webhookId = String(1_000_000_000_000_000_000n + BigInt(`0x${randomHex(6)}`));
	readonly webhookSecret = randomToken('sbxhook', 30);
	private failures: {count: number; retryAfterSeconds: number} = {count: 0, retryAfterSeconds: 0};

	get path(): string {
		return `/discord/api/webhooks/${this.webhookId}/${this.webhookSecret}`;
	}

	failNext(count: number, retryAfterSeconds: number): void {
		this.failures = {count, retryAfterSeconds};
	}

	async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const raw = await readBody(req);
		if (url.pathname !== this.path) return sendJson(res, 404, {message: 'Unknown Webhook', code: 10015});
		if (req.method !== 'POST') return sendJson(res, 405, {message: '405: Method Not Allowed', code: 0});
		if (this.failures.count > 0) {
			this.failures.count--;
			const retryAfter = this.failures.retryAfterSeconds;
			return sendJson(
				res,
				429,
				{message: 'You are being rate limited.', retry_after: retryAfter, global: false},
				{'retry-after': String(Math.ceil(retryAfter)), 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(retryAfter)},
			);
		}
		let body: unknown;
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			return sendJson(res, 400, {message: 'Cannot send an empty message', code: 50006});
		}
		this.messages.push({at: Date.now(), body, headers: {...req.headers}});
		res.writeHead(204);
		res.end();
	}
}
