// The built-in Frame.io v4 simulator. startSandbox() serves the API, an S3-like part endpoint, IMS and a
// Discord sink on 127.0.0.1, seeded with a realistic account (DESIGN.md §5).
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {AddressInfo} from 'node:net';
import {registerSecret} from '../log/redact.js';
import {startActivity} from './activity.js';
import {DiscordEmulator} from './discord.js';
import {resolveFaults} from './faults.js';
import {randomToken} from './ids.js';
import {ImsEmulator} from './ims.js';
import {SideLoader} from './includes.js';
import {UploadLifecycle} from './lifecycle.js';
import {MediaServer} from './media.js';
import {RateLimiter} from './rate-limit.js';
import {RequestLog} from './request-log.js';
import {seedDemo, seedEmpty} from './seed.js';
import {createSandboxServer} from './server.js';
import {StatsCounter} from './stats.js';
import {SandboxStore} from './store.js';
import {Timers} from './timers.js';
import {TokenRegistry} from './tokens.js';
import {DEFAULT_PART_SIZE} from './upload-plan.js';
import {resolveWebhookRetry, WebhookDeliverer} from './webhook-delivery.js';
import {WebhookRegistry} from './webhooks.js';
import type {FaultProfile, Sandbox, SandboxOptions} from './types.js';

export type {
	FaultProfile,
	FaultProfileName,
	ImsClient,
	LateAnswerFault,
	RequestRecord,
	Sandbox,
	SandboxIds,
	SandboxOptions,
	SandboxStats,
	DiscordMessage,
	DiscordSink,
	WebhookDelivery,
	WebhookRetryOptions,
} from './types.js';
export type {SandboxStore, SandboxFolder, StoreEvent} from './store.js';
export {signWebhook, WEBHOOK_USER_AGENT} from './webhook-delivery.js';
export {NAMED_PROFILES, resolveFaults} from './faults.js';
export {planParts, mediaTypeFor} from './upload-plan.js';
export {PUBLISHED_LIMITS} from './rate-limit.js';
export {DEMO_SCENES, DEMO_REFERENCE_FILES} from './seed.js';

export const DEFAULT_IMS_CLIENTS = [{clientId: 'sandbox-client', clientSecret: 'sandbox-secret'}];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	let faults: FaultProfile = resolveFaults(options.faults);
	const webhookRetry = resolveWebhookRetry(options.webhookRetry);
	const random = options.random ?? Math.random;
	const timers = new Timers();
	const abort = new AbortController();
	const dataRoot = options.dataDir ?? os.tmpdir();
	const dataDir = mkdtempSync(path.join(dataRoot, 'frameio-sandbox-'));
	const token = options.token ?? randomToken('sbx_static_', 24);
	registerSecret(token);
	const tokens = new TokenRegistry();
	tokens.add(token);
	const imsClients = options.imsClients ?? DEFAULT_IMS_CLIENTS;
	for (const client of imsClients) registerSecret(client.clientSecret);

	let baseUrl = '';
	const store = new SandboxStore('');
	const lifecycle = new UploadLifecycle(store, timers, options.transcodeDelayMs ?? 200);
	const discord = new DiscordEmulator();
	const log = new RequestLog(options.maxRequestRecords ?? 100_000);
	const ims = new ImsEmulator({clients: imsClients, tokens, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 86_400});
	const webhooks = new WebhookRegistry(secret => registerSecret(secret));
	const deliverer = new WebhookDeliverer({store, registry: webhooks, timers, signal: abort.signal, retry: webhookRetry});
	const media = new MediaServer(store, () => baseUrl);
	const stats = new StatsCounter(store);
	const server = createSandboxServer({
		api: {
			store,
			lifecycle,
			webhooks,
			sideLoader: new SideLoader(store, media),
			baseUrl: () => baseUrl,
			dataDir,
			partSize: options.partSize ?? DEFAULT_PART_SIZE,
			signal: abort.signal,
		},
		tokens,
		limiter: new RateLimiter({enforce: options.enforceRateLimits ?? true, scale: options.rateLimitScale ?? 1}),
		ims,
		discord,
		media,
		stats,
		log,
		timers,
		faults: () => faults,
		random,
		partBytesPerSecond: options.partBytesPerSecond,
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	}).catch(error => {
		rmSync(dataDir, {recursive: true, force: true});
		throw error;
	});
	const {port} = server.address() as AddressInfo;
	baseUrl = `http://127.0.0.1:${port}`;
	store.viewBase = `${baseUrl}/view`;
	const ids = (options.seed ?? 'demo') === 'demo' ? seedDemo(store) : seedEmpty(store);
	store.onEvent = event => deliverer.announce(event);
	const discordWebhookUrl = `${baseUrl}${discord.path}`;
	registerSecret(discordWebhookUrl);
	registerSecret(discord.webhookSecret);
	if (options.activity) startActivity(store, timers, {intervalMs: options.activityIntervalMs ?? 3000, random: Math.random, wipFolderId: ids.wipFolderId});

	let closed: Promise<void> | undefined;
	return {
		url: baseUrl,
		imsUrl: baseUrl,
		token,
		discordWebhookUrl,
		ids,
		setFaults(profile) {
			faults = resolveFaults(profile);
		},
		expireAllTokens: () => tokens.expireAll(),
		issueAccessToken(ttlSeconds) {
			const issued = tokens.issue(ttlSeconds);
			registerSecret(issued);
			return issued;
		},
		requests: log.records,
		clearRequests: () => log.clear(),
		store,
		discord,
		webhookDeliveries: deliverer.deliveries,
		stats: () => stats.snapshot(),
		close() {
			closed ??= (async () => {
				timers.clear();
				abort.abort();
				await new Promise<void>(resolve => {
					server.close(() => resolve());
					server.closeAllConnections();
				});
				rmSync(dataDir, {recursive: true, force: true});
			})();
			return closed;
		},
	};
}
