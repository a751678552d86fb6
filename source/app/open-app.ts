// The composition root: the one builder of the object graph, used by every command and by the console. It builds in
// one direction (config → logging → API target → client → cache → services) and each command picks what it needs
// with options, instead of wiring its own. Services it builds on demand (nomenclature, structure, the target ids)
// are made once per App, so two callers of the same process share one StructureService.
import path from 'node:path';
import type {Logger} from 'pino';
import {EventBus} from '../events/index.js';
import {ApiCache, cacheSnapshotPath, type ApiCacheOptions} from '../cache/index.js';
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
		});
		closers.push(() => api.close());
		const isSandbox = api.kind === 'sandbox';
		const maxRetries = options.retries === 'none' ? 0 : config.optimization.error_handling.max_retries;
		const clientConfig = {...config.optimization, error_handling: {...config.optimization.error_handling, max_retries: maxRetries}};
		const apiLogger = logging.get('frameio.api');
		const client = createFrameioClient({baseUrl: api.baseUrl, auth: api.auth, config: clientConfig, bus, logger: apiLogger, rateLimitScale: api.rateLimitScale});
		closers.push(() => client.close());
		const mode = options.cache ?? 'shared';
		const cache = await openCache({...options, config, bus, logger: logging.get('frameio.cache'), sandbox: isSandbox});
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
			profileStateDir: profileStateDir(options.paths.stateDir, isSandbox),
			logging,
			bus,
			api,
			client,
			cache,
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

type CacheChoice = Pick<AppOptions, 'paths' | 'cache' | 'cacheOptions'> & {config: AppConfig; bus?: EventBus; logger: Logger; sandbox: boolean};

async function openCache(choice: CacheChoice): Promise<ApiCache> {
	const mode = choice.cache ?? 'shared';
	const cache = new ApiCache({
		config: choice.config.optimization,
		snapshotFile: mode === 'private' ? undefined : cacheSnapshotPath(choice.paths.stateDir, {sandbox: choice.sandbox}),
		bus: choice.bus,
		logger: choice.logger,
		readOnly: mode === 'read-only',
		loadInBackground: mode === 'background',
		...choice.cacheOptions,
	});
	await cache.open();
	return cache;
}

export type CacheApp = {config: AppConfig; logging: Logging; cache: ApiCache; snapshotFile: string; close(): Promise<void>};

/**
 * Only the cache (`cache stats`, `cache clear`): no API, no token, no network. `sandbox` picks the sandbox profile's
 * snapshot without starting a sandbox.
 */
export async function openCacheApp(options: Pick<AppOptions, 'paths' | 'cacheOptions'> & {sandbox: boolean; readOnly: boolean}): Promise<CacheApp> {
	const config = loadConfig(options.paths.configDir);
	const logging = createLogging({logsDir: options.paths.logsDir});
	try {
		const cache = await openCache({...options, cache: options.readOnly ? 'read-only' : 'shared', config, logger: logging.get('frameio.cache')});
		return {
			config,
			logging,
			cache,
			snapshotFile: cacheSnapshotPath(options.paths.stateDir, {sandbox: options.sandbox}),
			async close() {
				await cache.close();
				logging.close();
			},
		};
	} catch (error) {
		logging.close();
		throw error;
	}
}
