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
import {ApiCache, SNAPSHOT_FILE, type ApiCacheOptions} from '../cache/index.js';
import {profileDir, recordProfile, type ApiIdentity} from '../config/profiles.js';
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
import {resolveApiTarget, type ApiTarget} from './api-target.js';
import {resolveFarmSettings, type FarmSettings} from '../config/farm-settings.js';
import {resolveIdentity} from './identity.js';
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
	const logging = createLogging({logsDir: options.paths.logsDir, echo: verboseEcho(env)});
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
		const who = await resolveIdentity({mode: options.identity ?? 'required', stateDir: options.paths.stateDir, staleOk: options.staleOk ?? false}, api, client, logging.get('frameio.app'), config.optimization.monitoring.health_timeout_seconds * 1000);
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

export type CacheChoice = Pick<AppOptions, 'cache' | 'cacheOptions'> & {
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
export async function openFarm(settings: FarmSettings | null, identity: ApiIdentity | null, config: AppConfig, logging: Logging): Promise<FarmGraph | null> {
	if (!settings) return null;
	if (!identity) {
		logging.get('frameio.app').info(`farm mode off for this run: the API did not say who the token acts as, and the farm's keys are that identity's`);
		return null;
	}
	const {openFarmGraph} = await import('./farm-graph.js');
	return openFarmGraph({settings, identity: {apiOrigin: identity.origin, accountUserId: identity.userId}, config, logging});
}

export async function openCache(choice: CacheChoice): Promise<ApiCache> {
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

/** `--verbose` (cli.ts sets FRAMEIO_VERBOSE): the log lines also go to stderr, in the human form. */
export function verboseEcho(env: NodeJS.ProcessEnv): NodeJS.WritableStream | undefined {
	return env.FRAMEIO_VERBOSE === '1' ? process.stderr : undefined;
}
