// The composition root: the one builder of the object graph, used by every command and by the console. It builds in
// one direction (config → logging → API target → client → cache → services) and each command picks what it needs
// with options, instead of wiring its own. Services it builds on demand (nomenclature, structure, the target ids)
// are made once per App, so two callers of the same process share one StructureService.
// Farm mode (FRAMEIO_REDIS_URL or farm.redis_url, DESIGN.md §11): once the identity is known, the farm's graph
// (farm-graph.ts) gives the client its shared rate budget and breaker gate, the cache its second layer, and the
// structure service its folder lock; without Redis each keeps its local implementation and nothing changes.
import path from 'node:path';
import type {Logger} from 'pino';
import {EventBus} from '../events/index.js';
import {existsSync} from 'node:fs';
import {ApiCache, SNAPSHOT_FILE, type ApiCacheOptions, type PurgeOptions} from '../cache/index.js';
import {describeIdentity, IdentityBook, listProfiles, profileDir, recordProfile, SANDBOX_ORIGIN, type ApiIdentity} from '../config/profiles.js';
import {refusedTokenHint} from '../frameio/describe-failure.js';
import {FrameioError} from '../frameio/errors.js';
import {formatSeconds} from '../format/duration.js';
import {loadConfig, type AppConfig, type ConfigError} from '../config/index.js';
import type {Paths} from '../config/paths.js';
import type {TokenProvider} from '../frameio/auth/token-provider.js';
import {createFrameioClient, type FrameioClient} from '../frameio/client.js';
import {loadConfigLenient, type ConfigFileReport} from '../config/lenient-load.js';
import {createLogging, type Logging} from '../log/logger.js';
import {registerSecret} from '../log/redact.js';
import {attachEventLog} from '../metrics/event-log.js';
import {compile, type Nomenclature} from '../nomenclature/index.js';
import type {SandboxOptions} from '../sandbox/index.js';
import {layoutRootFromConfig, StructureService, structureApiFromClient} from '../structure/index.js';
import {configuredTargetIds, Target, type TargetIdName} from '../structure/target.js';
import {configuredOrigin, resolveApiTarget, type ApiTarget} from './api-target.js';
import {resolveFarmSettings, type FarmSettings} from '../config/farm-settings.js';
import type {CacheSecondLayer} from '../cache/second-layer.js';
import {aloneFarm, type FarmSide} from './farm-seams.js';
import type {FarmGraph} from './farm-graph.js';

export type TargetFlagValues = Partial<Record<TargetIdName, string>>;

export type AppOptions = {
	paths: Paths;
	/** --sandbox: an in-process sandbox. */
	sandbox?: boolean;
	env?: NodeJS.ProcessEnv;
	/**
	 * 'strict' (default): a config file that does not load is a usage error. 'lenient' (health, validate): it is
	 * reported in configErrors and the defaults stand in for it, so that every other check still runs.
	 */
	config?: 'strict' | 'lenient';
	/** A configuration already loaded. */
	loadedConfig?: AppConfig;
	/** Without credentials: fail ('required', default), open the built-in sandbox (the console), or go on ('optional'). */
	credentials?: 'required' | 'sandbox' | 'optional';
	/**
	 * The API cache: 'shared' (default) the snapshot every process shares; 'read-only' the same, never written;
	 * 'background' shared, loaded after the first frame (the console); 'private' in this process only.
	 */
	cache?: 'shared' | 'read-only' | 'background' | 'private';
	/** Lower-level cache settings (`cache clear` reports exactly what it removed: no sweep at open, no poller). */
	cacheOptions?: Pick<ApiCacheOptions, 'sweepOnOpen' | 'pollIntervalMs'>;
	/** 'none': one attempt per call (health, probes report what happens now). Default: error_handling.max_retries. */
	retries?: 'configured' | 'none';
	sandboxOptions?: SandboxOptions;
	/** --account-id and the other target flags; the environment and the sandbox fill in the rest. */
	targetFlags?: TargetFlagValues;
	/** How the target's ids are checked: through the cache (default), or always fresh from the API (health). */
	targetReads?: 'cache' | 'api';
	/**
	 * Who the token acts as, asked of the API (GET /v4/me) before any cached data is read: the cache and the upload
	 * queue belong to that identity. 'required' (default): a refused token or an API out of reach fails the run.
	 * 'optional' (health, validate, the console): the run goes on, on an empty cache, or on the last identity's cache
	 * with staleOk. 'skip': no identity, an empty in-memory cache (login, whoami, probes).
	 */
	identity?: 'required' | 'optional' | 'skip';
	/** --stale-ok (and the console): with the API out of reach, serve the last identity's cache, marked stale. */
	staleOk?: boolean;
	/** --allow-insecure-http: accept FRAMEIO_API_URL / FRAMEIO_IMS_URL on plain http to a host that is not loopback. */
	allowInsecureHttp?: boolean;
};

export type App = {
	config: AppConfig;
	/** With config 'lenient': each file's report, and the errors of those that did not load. */
	configReports: ConfigFileReport[];
	configErrors: ConfigError[];
	paths: Paths;
	/** The state dir of this API target: the sandbox keeps its own cache and upload queue. */
	profileStateDir: string;
	logging: Logging;
	bus: EventBus;
	api: ApiTarget;
	client: FrameioClient;
	cache: ApiCache;
	/** Who the token acts as; null when it was skipped or could not be known. */
	identity: ApiIdentity | null;
	/** Farm mode as the rest of the app sees it (aloneFarm without Redis). */
	farm: FarmSide;
	/** Set when the API could not be reached at start and the cache answers past its TTL (staleOk). */
	offline: {reason: string} | null;
	/** The configured naming patterns (compiled on first use). */
	readonly nomenclature: Nomenclature;
	/** Listings through the cache, tree views, the scene/shot layout, find-or-create. */
	readonly structure: StructureService;
	/** The account, workspace, project and root folder this run works on. */
	readonly target: Target;
	/** A client sharing this one's limiter and breaker, without retries (health probes). */
	readonly probeClient: FrameioClient;
	/** A client for another token on the same API (login checks the credentials it just obtained). */
	clientFor(auth: TokenProvider): FrameioClient;
	close(): Promise<void>;
};

/** The state dir a target's cache and queue live in: `<stateDir>` for a real API, `<stateDir>/sandbox` for the sandbox. */
export function profileStateDir(stateDir: string, sandbox: boolean): string {
	return sandbox ? path.join(stateDir, 'sandbox') : stateDir;
}

const credentialsOption = {required: 'throw', sandbox: 'sandbox', optional: 'none'} as const;

export async function openApp(options: AppOptions): Promise<App> {
	const env = options.env ?? process.env;
	const loaded = loadAppConfig(options);
	const config = loaded.config;
	const logging = createLogging({logsDir: options.paths.logsDir});
	const bus = new EventBus();
	// Every command's API calls, uploads and cache use go into the logs, so that `report --since` sees them all.
	const eventLog = attachEventLog(bus, logging);
	registerSecret(env.FRAMEIO_TOKEN);
	const closers: Array<() => unknown> = [];
	const closeAll = async () => {
		for (const close of closers.splice(0).reverse()) await close();
		eventLog.detach();
		logging.close();
	};
	try {
		const api = await resolveApiTarget({
			sandbox: options.sandbox,
			env,
			stateDir: options.paths.stateDir,
			logger: logging.get('frameio.api'),
			onMissing: credentialsOption[options.credentials ?? 'required'],
			sandboxOptions: options.sandboxOptions,
			allowInsecureHttp: options.allowInsecureHttp,
		});
		closers.push(() => api.close());
		const isSandbox = api.kind === 'sandbox';
		// Parsed before any call, so that a wrong URL is said at once; the in-process sandbox lives in this process
		// only, so there is no farm to share it with.
		const farmSettings = isSandbox ? null : resolveFarmSettings({env, config: config.optimization.farm});
		const maxRetries = options.retries === 'none' ? 0 : config.optimization.error_handling.max_retries;
		const clientConfig = {...config.optimization, error_handling: {...config.optimization.error_handling, max_retries: maxRetries}};
		const apiLogger = logging.get('frameio.api');
		const client = createFrameioClient({baseUrl: api.baseUrl, auth: api.auth, config: clientConfig, bus, logger: apiLogger, rateLimitScale: api.rateLimitScale});
		closers.push(() => client.close());
		const who = await resolveIdentity(options, api, client, logging.get('frameio.app'), config.optimization.monitoring.health_timeout_seconds * 1000);
		const graph = await openFarm(farmSettings, who.identity, config, logging);
		if (graph) {
			closers.push(() => graph.close());
			client.limiter.useBudget(graph.budget);
			client.useBreakerGate(graph.breakerGate(client.breaker));
		}
		const mode = who.identity ? (options.cache ?? 'shared') : 'private';
		const profile = who.identity ? profileDir(options.paths.stateDir, who.identity) : profileStateDir(options.paths.stateDir, isSandbox);
		if (who.identity && mode !== 'private') recordProfile(profile, who.identity);
		const secondLayer = mode === 'shared' || mode === 'background' ? graph?.cacheLayer : undefined;
		const cache = await openCache({...options, cache: mode, config, bus, logger: logging.get('frameio.cache'), profile, serveStale: who.offline !== null, secondLayer});
		closers.push(() => cache.close());
		// An in-process sandbox starts from its seed every time, so whatever the sandbox profile's cache holds from an
		// earlier run (folders and files it created) no longer exists: start from an empty cache.
		if (isSandbox && mode !== 'read-only' && mode !== 'private') cache.purge({all: true});

		let nomenclature: Nomenclature | undefined;
		let structure: StructureService | undefined;
		let target: Target | undefined;
		let probeClient: FrameioClient | undefined;
		let closed = false;
		const app: App = {
			config,
			configReports: loaded.reports,
			configErrors: loaded.errors,
			paths: options.paths,
			profileStateDir: profile,
			logging,
			bus,
			api,
			client,
			cache,
			identity: who.identity,
			farm: graph ?? aloneFarm,
			offline: who.offline,
			get nomenclature() {
				nomenclature ??= compile(config.nomenclature);
				return nomenclature;
			},
			get structure() {
				structure ??= new StructureService({
					api: structureApiFromClient(client),
					cache,
					logger: logging.get('frameio.structure'),
					layoutRoot: layoutRootFromConfig(config.nomenclature),
					folderLock: graph?.folderLock,
				});
				return structure;
			},
			get target() {
				const reads = options.targetReads === 'api' ? {accounts: () => client.accounts(), project: (a: string, p: string) => client.project(a, p)} : app.structure;
				target ??= new Target(configuredTargetIds(options.targetFlags ?? {}, env, api.sandbox?.ids), reads);
				return target;
			},
			get probeClient() {
				probeClient ??= createFrameioClient({
					baseUrl: client.baseUrl,
					auth: client.auth,
					config: {...clientConfig, error_handling: {...clientConfig.error_handling, max_retries: 0}},
					limiter: client.limiter,
					breaker: client.breaker,
					breakerGate: client.breakerGate,
					bus,
					logger: apiLogger,
				});
				return probeClient;
			},
			clientFor(auth) {
				const other = createFrameioClient({baseUrl: api.baseUrl, auth, config: clientConfig, bus, logger: apiLogger, rateLimitScale: api.rateLimitScale});
				closers.push(() => other.close());
				return other;
			},
			async close() {
				if (closed) return;
				closed = true;
				probeClient?.close();
				await closeAll();
			},
		};
		return app;
	} catch (error) {
		await closeAll();
		throw error;
	}
}

function loadAppConfig(options: AppOptions): {config: AppConfig; reports: ConfigFileReport[]; errors: ConfigError[]} {
	if (options.loadedConfig) return {config: options.loadedConfig, reports: [], errors: []};
	if (options.config === 'lenient') return loadConfigLenient(options.paths.configDir);
	return {config: loadConfig(options.paths.configDir), reports: [], errors: []};
}

type CacheChoice = Pick<AppOptions, 'cache' | 'cacheOptions'> & {
	config: AppConfig;
	bus?: EventBus;
	logger: Logger;
	profile: string;
	serveStale?: boolean;
	secondLayer?: CacheSecondLayer;
};

/**
 * The farm's graph when Redis is configured and the identity (the farm's namespace) is known; null otherwise: then
 * every seam keeps its local implementation.
 */
async function openFarm(settings: FarmSettings | null, identity: ApiIdentity | null, config: AppConfig, logging: Logging): Promise<FarmGraph | null> {
	if (!settings) return null;
	if (!identity) {
		logging.get('frameio.app').info(`farm mode off for this run: the API did not say who the token acts as, and the farm's keys are that identity's`);
		return null;
	}
	const {openFarmGraph} = await import('./farm-graph.js');
	return openFarmGraph({settings, identity: {apiOrigin: identity.origin, accountUserId: identity.userId}, config, logging});
}

async function openCache(choice: CacheChoice): Promise<ApiCache> {
	const mode = choice.cache ?? 'shared';
	const cache = new ApiCache({
		config: choice.config.optimization,
		snapshotFile: mode === 'private' ? undefined : path.join(choice.profile, SNAPSHOT_FILE),
		bus: choice.bus,
		logger: choice.logger,
		readOnly: mode === 'read-only',
		loadInBackground: mode === 'background',
		serveStale: choice.serveStale,
		secondLayer: choice.secondLayer,
		...choice.cacheOptions,
	});
	await cache.open();
	return cache;
}

/**
 * health, validate and the console must not wait on an API that hangs before their own deadline even starts: with
 * identity 'optional' the question gets monitoring.health_timeout_seconds, then the run goes on without an identity.
 */
async function withinDeadline<T>(pending: Promise<T>, timeoutMs: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new IdentityTimeout()), timeoutMs);
		timer.unref();
	});
	pending.catch(() => undefined);
	try {
		return await Promise.race([pending, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

class IdentityTimeout extends Error {
	override readonly name = 'IdentityTimeout';
	constructor() {
		super('GET /v4/me: no answer within monitoring.health_timeout_seconds');
	}
}

/** Who the token acts as (module comment of config/profiles.ts), and whether the API could be reached to say so. */
async function resolveIdentity(options: AppOptions, api: ApiTarget, client: FrameioClient, logger: Logger, deadlineMs: number): Promise<{identity: ApiIdentity | null; offline: {reason: string} | null}> {
	const mode = options.identity ?? 'required';
	if (mode === 'skip') return {identity: null, offline: null};
	if (api.sandbox) return {identity: {origin: SANDBOX_ORIGIN, userId: api.sandbox.ids.userId}, offline: null};
	const origin = new URL(api.baseUrl).origin;
	const book = new IdentityBook(options.paths.stateDir);
	try {
		const me = mode === 'optional' ? await withinDeadline(client.me(), deadlineMs) : await client.me();
		const identity: ApiIdentity = {origin, userId: me.id, userName: me.name};
		book.remember(identity);
		return {identity, offline: null};
	} catch (error) {
		const unreachable = error instanceof IdentityTimeout || (error instanceof FrameioError && error.isServiceFailure);
		// A token the API refuses never reads cached data: not even its own user's.
		if (!unreachable) {
			if (mode === 'optional') return {identity: null, offline: null};
			if (error instanceof FrameioError && error.status === 401) error.advice = refusedTokenHint(api.auth.source);
			throw error;
		}
		const reason = error instanceof Error ? error.message : String(error);
		const last = book.lastFor(origin);
		if (options.staleOk && last) {
			logger.warn({origin, userId: last.userId, seenAt: last.seenAt, reason}, `API out of reach (${reason}): serving the cache of ${describeIdentity(last)}, marked stale`);
			return {identity: last, offline: {reason}};
		}
		if (mode === 'optional') return {identity: null, offline: null};
		if (error instanceof FrameioError) {
			error.advice = last
				? `nothing was read from the cache; --stale-ok shows the cached data of ${describeIdentity(last)} (seen ${formatSeconds((Date.now() - Date.parse(last.seenAt)) / 1000)} ago), marked stale`
				: 'nothing was read from the cache (and none is known for this API yet)';
		}
		throw error;
	}
}

export type CacheApp = {
	config: AppConfig;
	logging: Logging;
	cache: ApiCache;
	/** Whose cache this is: the sandbox's, or the last user seen on the configured API; null when none is known yet. */
	identity: ApiIdentity | null;
	/** The configured API's origin ('sandbox' with --sandbox). */
	origin: string;
	/** null when no identity is known for the API (an empty cache in memory). */
	snapshotFile: string | null;
	close(): Promise<void>;
};

/**
 * Only the cache (`cache stats`, `cache clear`): no API, no token, no network. The cache is the sandbox's with
 * --sandbox, else that of the last user seen on the configured API (FRAMEIO_API_URL, or api.frame.io).
 */
export async function openCacheApp(options: Pick<AppOptions, 'paths' | 'cacheOptions' | 'env'> & {sandbox: boolean; readOnly: boolean}): Promise<CacheApp> {
	const env = options.env ?? process.env;
	const config = loadConfig(options.paths.configDir);
	const logging = createLogging({logsDir: options.paths.logsDir});
	try {
		const origin = options.sandbox ? SANDBOX_ORIGIN : configuredOrigin(env);
		const identity: ApiIdentity | null = options.sandbox ? {origin: SANDBOX_ORIGIN, userId: 'sandbox'} : (new IdentityBook(options.paths.stateDir).lastFor(origin) ?? null);
		const profile = identity ? profileDir(options.paths.stateDir, identity) : '';
		const mode = !identity ? 'private' : options.readOnly ? 'read-only' : 'shared';
		// A purge from the CLI reaches every node of the farm: the same namespace as the commands that filled it.
		const graph = mode === 'shared' && !options.sandbox ? await openFarm(resolveFarmSettings({env, config: config.optimization.farm}), identity, config, logging) : null;
		let cache: ApiCache;
		try {
			cache = await openCache({...options, cache: mode, config, logger: logging.get('frameio.cache'), profile, secondLayer: graph?.cacheLayer});
		} catch (error) {
			await graph?.close();
			throw error;
		}
		return {
			config,
			logging,
			cache,
			identity,
			origin,
			snapshotFile: identity ? path.join(profile, SNAPSHOT_FILE) : null,
			async close() {
				await cache.close();
				await graph?.close();
				logging.close();
			},
		};
	} catch (error) {
		logging.close();
		throw error;
	}
}

export type OtherCache = {label: string; entries: number; matching: number | null; reach: string};

/**
 * The caches of the other identities in the state dir that hold entries (and, given a purge, how many keys it would
 * remove there), each with how to reach it: `cache stats` names the cache it reads, and says where the rest are.
 */
export async function otherCaches(options: {paths: Paths; config: AppConfig; current: string | null; env?: NodeJS.ProcessEnv; purge?: PurgeOptions}): Promise<OtherCache[]> {
	const env = options.env ?? process.env;
	const configured = configuredOrigin(env);
	const lastSeen = new IdentityBook(options.paths.stateDir).lastFor(configured);
	const found: OtherCache[] = [];
	for (const profile of listProfiles(options.paths.stateDir)) {
		if (profile.dir === options.current || !existsSync(path.join(profile.dir, SNAPSHOT_FILE))) continue;
		const cache = new ApiCache({config: options.config.optimization, snapshotFile: path.join(profile.dir, SNAPSHOT_FILE), readOnly: true, sweepOnOpen: false, pollIntervalMs: 0});
		try {
			await cache.open();
			if (cache.size === 0) continue;
			const matching = options.purge ? cache.purge({...options.purge, dryRun: true}).removed.length : null;
			found.push({label: describeIdentity(profile.identity), reach: reachOf(profile.identity, configured, lastSeen), entries: cache.size, matching});
		} catch {
			// An unreadable cache of someone else is not this command's business.
		} finally {
			await cache.close();
		}
	}
	return found;
}

/** How to reach another identity's cache from this command line. */
function reachOf(identity: ApiIdentity, configured: string, lastSeen: ApiIdentity | undefined): string {
	if (identity.origin === SANDBOX_ORIGIN) return 'add --sandbox';
	if (identity.origin !== configured) return `set FRAMEIO_API_URL=${identity.origin}`;
	if (lastSeen?.userId === identity.userId) return 'drop --sandbox';
	return 'run a command with that user\'s credentials first (the cache commands read the last user seen)';
}
