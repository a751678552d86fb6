// The sandbox's public shapes. Other helpers code against these: keep them stable.
import type {IncomingHttpHeaders} from 'node:http';
import type {WebhookEventType} from '../frameio/types.js';
import type {SandboxStore} from './store.js';

export type FaultProfile = {
	/** Share of API requests (not parts, not IMS) answered 500/502/503 with an errors[] body. */
	errorRate?: number;
	/** Share of API requests answered 429 (with x-ratelimit-* headers, remaining 0). */
	rateLimitStormRate?: number;
	/** Share of requests whose socket is destroyed without a response. */
	resetRate?: number;
	/** Share of part PUTs answered 500. */
	partFailureRate?: number;
	/** Added to every API response. */
	latencyMs?: number;
	/** Plus uniform random 0..jitter. */
	latencyJitterMs?: number;
	/** Share of requests delayed slowMs (to pass a client timeout). */
	slowRate?: number;
	slowMs?: number;
	/**
	 * API requests matching `method` and `pathPattern` (a RegExp source, tested against the path) are done at once
	 * but answered delayMs later: "done, answer lost" for a client whose timeout is shorter (a slow fault delays
	 * before the work, so a request its client gave up on is not done). Only the first `times` matches (default all).
	 */
	lateAnswer?: LateAnswerFault;
};

export type LateAnswerFault = {method?: string; pathPattern: string; delayMs: number; times?: number};

export type FaultProfileName = 'none' | 'flaky' | 'storm' | 'slow' | 'soak';

export type ImsClient = {clientId: string; clientSecret?: string};

export type SandboxOptions = {
	/** Default 0 (any free port); always binds 127.0.0.1. */
	port?: number;
	/** Accepted static access token; random when absent. */
	token?: string;
	/** Default 'demo'. */
	seed?: 'demo' | 'empty';
	/** A profile, or a named one: 'none' | 'flaky' | 'storm' | 'slow' | 'soak'. */
	faults?: FaultProfile | string;
	/** Leaky bucket per (token, endpoint class) with Frame.io's published limits; default true. */
	enforceRateLimits?: boolean;
	/** Multiplies every limit (tests use e.g. 0.05 to hit limits fast); default 1. */
	rateLimitScale?: number;
	/** Default [{clientId:'sandbox-client', clientSecret:'sandbox-secret'}]. */
	imsClients?: ImsClient[];
	/** Lifetime of IMS-issued access tokens; default 86400. */
	accessTokenTtlSeconds?: number;
	/** Background activity for the console demo; default false. */
	activity?: boolean;
	/** Period of the background activity; default 3000 ms. */
	activityIntervalMs?: number;
	/** Injectable RNG for deterministic fault tests; default Math.random. */
	random?: () => number;
	/** Target part size of local uploads (default 16 MiB): round(size / partSize) parts (at least one), spread evenly. */
	partSize?: number;
	/** Delay between `uploaded` and `transcoded`; default 200 ms. */
	transcodeDelayMs?: number;
	/** Where part bytes are stored (a fresh temp dir by default; removed by close()). */
	dataDir?: string;
	/** Most requests kept in `requests` (oldest dropped first); default 100000. */
	maxRequestRecords?: number;
	/** Bandwidth of each part PUT in bytes/s (the console demo); unlimited by default. */
	partBytesPerSecond?: number;
	/** Webhook delivery retries; default 5 attempts, 1 s doubling back-off, 10 s per attempt. */
	webhookRetry?: WebhookRetryOptions;
};

export type WebhookRetryOptions = {
	/** Attempts per delivery, the first included; default 5. */
	maxAttempts?: number;
	/** Wait before the 2nd attempt, doubling after each failure; default 1000 ms. */
	baseDelayMs?: number;
	/** Time allowed for one attempt's answer; default 10 000 ms. */
	timeoutMs?: number;
};

/** One webhook event sent (or due) to one webhook URL. */
export type WebhookDelivery = {
	id: string;
	webhook_id: string;
	event: WebhookEventType;
	url: string;
	/** The raw JSON body, exactly as signed and sent. */
	body: string;
	/** `not_delivered`: never attempted (not a loopback URL, or the webhook was deleted or deactivated first). */
	state: 'pending' | 'delivered' | 'failed' | 'not_delivered';
	reason?: string;
	/** Each attempt: when, and the HTTP status or the connection error. */
	attempts: Array<{at: number; status?: number; error?: string}>;
};

/** GET /sandbox/stats: what a test needs to judge a farm of clients from outside. */
export type SandboxStats = {
	/** /v4 requests answered (a reset connection counts with status 0). */
	requests: number;
	by_status: Record<string, number>;
	/** By endpoint rate class (rate-limit.ts); unknown routes count as `other`. */
	by_class: Record<string, number>;
	/** 429s from the leaky buckets (injected 429 storms are not counted here; they are in by_status). */
	rate_limited: number;
	/** Sibling folders that share a name. */
	duplicate_folders: Array<{parent_id: string; name: string; ids: string[]}>;
};

export type RequestRecord = {
	method: string;
	/** Path without the query; the secret part of a Discord webhook path is redacted. */
	path: string;
	/** Query parameters; presigned signatures are redacted. */
	query: Record<string, string>;
	/** 0 until answered, and for a reset connection. */
	status: number;
	/** Epoch ms when the request arrived. */
	at: number;
	/** Request headers, lower-case; authorization is redacted. */
	headers: Record<string, string>;
	/** The fault injected, if any: 'error' | 'rate_limit_storm' | 'reset' | 'slow' | 'part_failure'. */
	faulted?: string;
};

export type SandboxIds = {
	accountId: string;
	workspaceId: string;
	projectId: string;
	rootFolderId: string;
	/** WIP_BYSHOT */
	wipFolderId: string;
	userId: string;
};

export type DiscordMessage = {at: number; body: unknown; headers: IncomingHttpHeaders};

export type DiscordSink = {
	messages: DiscordMessage[];
	/** The next `count` posts are answered 429 with retry_after = retryAfterSeconds. */
	failNext(count: number, retryAfterSeconds: number): void;
};

export type Sandbox = {
	/** 'http://127.0.0.1:PORT': the API host (API paths start with /v4). */
	url: string;
	/** Same server: IMS emulation at /ims/token/v3 and /ims/authorize/v2. */
	imsUrl: string;
	/** The accepted static access token. */
	token: string;
	/** `${url}/discord/api/webhooks/<id>/<secret>` */
	discordWebhookUrl: string;
	ids: SandboxIds;
	setFaults(profile: FaultProfile | string): void;
	/** Every access token issued so far (and the static one) now gets 401. */
	expireAllTokens(): void;
	/** Mints an extra accepted token. */
	issueAccessToken(ttlSeconds?: number): string;
	requests: RequestRecord[];
	clearRequests(): void;
	store: SandboxStore;
	discord: DiscordSink;
	/** Every webhook delivery so far (at most 10 000, oldest dropped first). */
	webhookDeliveries: WebhookDelivery[];
	/** The same counts as GET /sandbox/stats. */
	stats(): SandboxStats;
	close(): Promise<void>;
};
