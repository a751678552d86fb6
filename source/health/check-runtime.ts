// The object graph for `health` and `validate`: openRuntime (source/app/runtime.ts), with two differences those
// commands need: a config file that does not load is reported, not thrown (the other files, or the defaults, stand
// in for it so that every other check still runs), and missing credentials are a finding, not an exit.
import type {EventBus} from '../events/index.js';
import {openRuntime, type Runtime} from '../app/runtime.js';
import type {ApiCache} from '../cache/index.js';
import type {ConfigError, OptimizationConfig} from '../config/index.js';
import type {Paths} from '../config/paths.js';
import {createFrameioClient, type FrameioClient} from '../frameio/client.js';
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

export type CheckRuntime = Omit<Runtime, 'cache'> & {
	configReports: ConfigFileReport[];
	configErrors: ConfigError[];
	/** Only with withCache. */
	cache: ApiCache | undefined;
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
	const {config, reports, errors} = loadConfigLenient(options.paths.configDir);
	const runtime = await openRuntime({
		paths: options.paths,
		sandbox: options.sandbox,
		env: options.env,
		config,
		onMissingCredentials: 'none',
		maxRetries: options.retries === 'none' ? 0 : undefined,
		// validate never writes the cache; health reads it and checks its store.
		cacheReadOnly: !options.withCache,
	});
	return {
		...runtime,
		configReports: reports,
		configErrors: errors,
		cache: options.withCache ? runtime.cache : undefined,
	};
}
