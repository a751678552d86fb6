// The typed events services emit. Metrics, alerts, logs and the console's store subscribe to them.
// Producers (client, cache, uploads, sampler) only know this file, never their consumers.

export type ErrorKind = 'network' | 'timeout' | 'client' | 'rate_limit' | 'server' | 'breaker_open' | 'auth';

/** One API request, after its retries. */
export type ApiCallEvent = {
	type: 'api';
	at: number; // epoch ms when it finished
	op: string; // e.g. "folders.children"
	method: string;
	status: number; // 0 when no response (network error, breaker open)
	/** Latency: time on the wire of the attempt that answered (or of the last one), from send to the whole body. */
	ms: number;
	/** Time spent waiting for the rate limiter, every attempt summed (0 when absent: older log lines). */
	queueMs?: number;
	/** Time spent waiting between retries (back-off or the server's Retry-After). */
	retryWaitMs?: number;
	/** The call from start to finish: queue + every attempt + retry waits. */
	totalMs?: number;
	bytes: number;
	retries: number;
	/** Answers of 429 among its attempts (waited out, or the last answer); absent when none. */
	rateLimited?: number;
	fromCache: boolean;
	errorKind?: ErrorKind;
};

export type CacheEvent = {type: 'cache'; at: number; op: 'hit' | 'miss' | 'set' | 'delete' | 'purge'; key: string; count?: number};

export type UploadOutcome = 'done' | 'failed' | 'cancelled';
export type UploadEvent = {
	type: 'upload';
	at: number;
	id: string; // queue id
	name: string;
	bytes: number;
	seconds: number;
	mbps: number;
	outcome: UploadOutcome;
	reason?: string;
};

/** Bytes of uploads that went on the wire since the last such event (a few per second while uploading). */
export type UploadBytesEvent = {type: 'upload-bytes'; at: number; bytes: number};

export type SystemSampleEvent = {type: 'system'; at: number; cpuPercent: number; rssBytes: number};
export type ProbeEvent = {type: 'probe'; at: number; ok: boolean; ms: number; status: number; reason?: string};
export type BreakerEvent = {type: 'breaker'; at: number; state: BreakerState};
export type RateLimitEvent = {type: 'ratelimit'; at: number; endpointClass: string; limit: number; remaining: number; windowMs: number};

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Why a webhook delivery was refused: unsigned, badly signed, too old (a replay), or not a Frame.io payload. */
export type WebhookRefusal = 'missing_signature' | 'malformed_signature' | 'stale' | 'bad_signature' | 'no_secret' | 'too_large' | 'malformed_payload';

/**
 * One delivery to the webhook receiver: accepted (signed and fresh; `event` is Frame.io's type, e.g. file.created,
 * and `dropped` the cached listings it made us forget), or refused with the reason.
 */
export type WebhookEvent =
	| {type: 'webhook'; at: number; outcome: 'accepted'; event: string; dropped: number}
	| {type: 'webhook'; at: number; outcome: 'refused'; reason: WebhookRefusal};

export type AppEvent = ApiCallEvent | CacheEvent | UploadEvent | UploadBytesEvent | SystemSampleEvent | ProbeEvent | BreakerEvent | RateLimitEvent | WebhookEvent;

export type Listener<E> = (event: E) => void;

/** A tiny synchronous bus. Listeners must be cheap; a throwing listener never breaks the producer. */
export class EventBus {
	private readonly listeners = new Set<Listener<AppEvent>>();

	on(listener: Listener<AppEvent>): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	emit(event: AppEvent): void {
		for (const listener of this.listeners) {
			try {
				listener(event);
			} catch {
				// a consumer's bug must not fail an API call or an upload
			}
		}
	}
}
