import got from 'got';
import type {Logger} from 'pino';
import {redactText, registerSecret} from '../log/redact.js';
import type {AlertRecord} from '../metrics/alert-engine.js';
import {discordPayload, type DiscordPayload} from './discord-payload.js';

export type DiscordChannelOptions = {
	url: string;
	username: string;
	logger: Logger;
	/** Per request (alerts.channels.discord.timeout_seconds). */
	timeoutMs: number;
	/** Alerts waiting beyond this are dropped, oldest first. */
	maxQueue?: number;
	/** Tries per alert, 429s included. */
	maxAttempts?: number;
	/** Back-off base for network errors and 5xx (doubles per attempt). */
	retryDelayMs?: number;
	/** A 429's retry_after is honoured up to this long. */
	maxRetryAfterMs?: number;
};

export type DiscordStats = {sent: number; failed: number; dropped: number; retries: number};

/**
 * Posts alerts to a Discord webhook, one at a time, off the caller's path: send() only queues.
 * Success is HTTP 204 (Discord answers 204 No Content without ?wait=true). On 429 it waits the body's
 * `retry_after` seconds (or Retry-After) and tries again; network errors and 5xx back off; other 4xx give up.
 * The URL is a secret (its path holds the token): it is registered for redaction and never logged.
 */
export class DiscordChannel {
	readonly stats: DiscordStats = {sent: 0, failed: 0, dropped: 0, retries: 0};
	private readonly queue: DiscordPayload[] = [];
	private draining: Promise<void> | null = null;
	private closed = false;
	private cancelWait: (() => void) | null = null;
	private readonly maxQueue: number;
	private readonly maxAttempts: number;
	private readonly retryDelayMs: number;
	private readonly maxRetryAfterMs: number;

	constructor(private readonly options: DiscordChannelOptions) {
		registerWebhookSecret(options.url);
		this.maxQueue = options.maxQueue ?? 50;
		this.maxAttempts = options.maxAttempts ?? 5;
		this.retryDelayMs = options.retryDelayMs ?? 1000;
		this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
	}

	get pending(): number {
		return this.queue.length + (this.draining ? 1 : 0);
	}

	/** Queues the alert and returns at once. */
	send(alert: AlertRecord): void {
		if (this.closed) return;
		if (this.queue.length >= this.maxQueue) {
			this.queue.shift();
			this.stats.dropped++;
			this.options.logger.warn({maxQueue: this.maxQueue}, 'discord webhook: queue full, dropped the oldest alert');
		}
		this.queue.push(discordPayload(alert, this.options.username));
		this.kick();
	}

	private kick(): void {
		if (this.draining || this.closed) return;
		this.draining = this.drain().finally(() => {
			this.draining = null;
			// send() may have queued between the loop's last check and this callback
			if (this.queue.length > 0) this.kick();
		});
	}

	/** Resolves when the queue is empty (or after timeoutMs). For a clean exit. */
	async flush(timeoutMs = 15_000): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		const deadline = new Promise<void>(resolve => {
			timer = setTimeout(resolve, timeoutMs);
			timer.unref();
		});
		while (this.draining) {
			const done = await Promise.race([this.draining.then(() => true), deadline.then(() => false)]);
			if (!done) break;
		}
		clearTimeout(timer);
	}

	/** Drops what is queued and stops waiting on retries. */
	close(): void {
		this.closed = true;
		this.stats.dropped += this.queue.length;
		this.queue.length = 0;
		this.cancelWait?.();
	}

	private async drain(): Promise<void> {
		while (this.queue.length > 0 && !this.closed) {
			const payload = this.queue.shift()!;
			await this.deliver(payload);
		}
	}

	private async deliver(payload: DiscordPayload): Promise<void> {
		const logger = this.options.logger;
		const title = payload.embeds[0]?.title ?? '';
		for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
			if (this.closed) return;
			let waitMs: number;
			try {
				const response = await got.post(this.options.url, {
					json: payload,
					throwHttpErrors: false,
					retry: {limit: 0},
					timeout: {request: this.options.timeoutMs},
					responseType: 'text',
				});
				const status = response.statusCode;
				if (status === 204 || (status >= 200 && status < 300)) {
					this.stats.sent++;
					logger.debug({status, attempt}, `discord webhook: delivered "${title}"`);
					return;
				}
				if (status === 429) {
					waitMs = Math.min(retryAfterMs(response.body, response.headers['retry-after']), this.maxRetryAfterMs);
					logger.warn({status, attempt, waitMs}, 'discord webhook: rate limited, retrying after retry_after');
				} else if (status >= 500) {
					waitMs = this.backoff(attempt);
					logger.warn({status, attempt, waitMs}, 'discord webhook: server error, retrying');
				} else {
					this.stats.failed++;
					logger.error({status, attempt}, `discord webhook: rejected "${title}" with HTTP ${status}, not retrying`);
					return;
				}
			} catch (error) {
				waitMs = this.backoff(attempt);
				const {code, message} = error as {code?: string; message?: string};
				logger.warn({code, attempt, waitMs}, `discord webhook: ${redactText(code ?? message ?? 'request failed')}, retrying`);
			}
			if (attempt === this.maxAttempts) break;
			this.stats.retries++;
			await this.wait(waitMs);
		}
		this.stats.failed++;
		logger.error({attempts: this.maxAttempts}, `discord webhook: gave up on "${title}" after ${this.maxAttempts} attempts`);
	}

	private backoff(attempt: number): number {
		return this.retryDelayMs * 2 ** (attempt - 1);
	}

	private wait(ms: number): Promise<void> {
		return new Promise<void>(resolve => {
			const timer = setTimeout(done, ms);
			function done() {
				clearTimeout(timer);
				resolve();
			}
			this.cancelWait = done;
		}).finally(() => {
			this.cancelWait = null;
		});
	}
}

/** Discord's 429 body says `{"retry_after": 1.5, ...}` in seconds; fall back to the Retry-After header, then 1 s. */
export function retryAfterMs(body: string, header: string | string[] | undefined): number {
	try {
		const parsed = JSON.parse(body) as {retry_after?: unknown};
		if (typeof parsed.retry_after === 'number' && parsed.retry_after >= 0) return parsed.retry_after * 1000;
	} catch {
		// not JSON: try the header
	}
	const headerValue = Number(Array.isArray(header) ? header[0] : header);
	return Number.isFinite(headerValue) && headerValue >= 0 ? headerValue * 1000 : 1000;
}

/** The whole URL and its token segment are secrets. */
export function registerWebhookSecret(url: string): void {
	registerSecret(url);
	try {
		const segments = new URL(url).pathname.split('/').filter(Boolean);
		registerSecret(segments.at(-1));
	} catch {
		// not a URL; the whole string is registered already
	}
}
