// The object graph for `health` and `validate`. Like openRuntime (source/app/runtime.ts), with two differences those
// commands need: a config file that does not load is reported, not thrown (the other files, or the defaults, stand
// in for it so that every other check still runs), and missing credentials are a finding, not an exit.
import {EventBus} from '../app/events.js';
import {cacheSnapshotPath, openApiCache, type ApiCache} from '../cache/index.js';
import type {AppConfig, ConfigError, OptimizationConfig} from '../config/index.js';
import type {Paths} from '../config/paths.js';
import {resolveApiTarget, type ApiTarget} from '../frameio/api-target.js';
import {createFrameioClient, type FrameioClient} from '../frameio/client.js';
import {createLogging, type Logging} from '../log/logger.js';
import {registerSecret} from '../log/redact.js';
import {loadConfigLenient, type ConfigFileReport} from './config-files.js';
import type {Logger} from 'pino';

export type CheckRuntimeOptions = {
	paths: Paths;
	sandbox?: boolean;
	env?: NodeJS.ProcessEnv;
	/** 'none' for health (a probe reports what happens now), 'configured' for validate. */
	retries: 'none' | 'configured';
	/** Open the API cache (health reads listings through it and checks its store). */
	withCache: boolean;
};

export type CheckRuntime = {
	config: AppConfig;
	configReports: ConfigFileReport[];
	configErrors: ConfigError[];
	paths: Paths;
	logging: Logging;
	bus: EventBus;
	target: ApiTarget;
	client: FrameioClient;
	cache: ApiCache | undefined;
	close(): Promise<void>;
};

/** A client sharing `main`'s limiter and breaker, without retries: for probes (the console's health runs). */
export function createProbeClient(main: FrameioClient, options: {config: OptimizationConfig; bus?: EventBus; logger?: Logger}): FrameioClient {
	return createFrameioClient({
		baseUrl: main.baseUrl,
		auth: main.auth,
		config: {...options.config, error_handling: {...options.config.error_handling, max_retries: 0}},
		limiter: main.limiter,
		breaker: main.breaker,
		bus: options.bus,
		logger: options.logger,
	});
}

export async function openCheckRuntime(options: CheckRuntimeOptions): Promise<CheckRuntime> {
	const env = options.env ?? process.env;
	const {config, reports, errors} = loadConfigLenient(options.paths.configDir);
	const logging = createLogging({logsDir: options.paths.logsDir});
	const bus = new EventBus();
	registerSecret(env.FRAMEIO_TOKEN);
	let target: ApiTarget | undefined;
	let client: FrameioClient | undefined;
	try {
		target = await resolveApiTarget({sandbox: options.sandbox, env, stateDir: options.paths.stateDir, logger: logging.get('frameio.api'), onMissing: 'none'});
		const isSandbox = target.kind === 'sandbox';
		const errorHandling = options.retries === 'none' ? {...config.optimization.error_handling, max_retries: 0} : config.optimization.error_handling;
		client = createFrameioClient({
			baseUrl: target.baseUrl,
			auth: target.auth,
			config: {...config.optimization, error_handling: errorHandling},
			bus,
			logger: logging.get('frameio.api'),
			rateLimitScale: target.rateLimitScale,
		});
		const cache = options.withCache
			? await openApiCache({config: config.optimization, snapshotFile: cacheSnapshotPath(options.paths.stateDir, {sandbox: isSandbox}), bus, logger: logging.get('frameio.cache')})
			: undefined;
		const opened = {target, client};
		let closed = false;
		return {
			config,
			configReports: reports,
			configErrors: errors,
			paths: options.paths,
			logging,
			bus,
			target,
			client,
			cache,
			async close() {
				if (closed) return;
				closed = true;
				await cache?.close();
				opened.client.close();
				await opened.target.close();
				logging.close();
			},
		};
	} catch (error) {
		client?.close();
		await target?.close();
		logging.close();
		throw error;
	}
}
