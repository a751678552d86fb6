// Builds the object graph once, in one direction: config → logging → API target → client → cache → services.
// Commands and the console both start here, so they talk to the same services the same way.
import path from 'node:path';
import {EventBus} from '../events/index.js';
import {loadConfig, type AppConfig} from '../config/index.js';
import type {Paths} from '../config/paths.js';
import {createLogging, type Logging} from '../log/logger.js';
import {registerSecret} from '../log/redact.js';
import {resolveApiTarget, type ApiTarget} from '../frameio/api-target.js';
import {createFrameioClient, type FrameioClient} from '../frameio/client.js';
import {cacheSnapshotPath, openApiCache, type ApiCache} from '../cache/index.js';
import {attachEventLog} from '../metrics/event-log.js';
import type {SandboxOptions} from '../sandbox/index.js';

export type RuntimeOptions = {
	paths: Paths;
	/** --sandbox: an in-process sandbox. */
	sandbox?: boolean;
	env?: NodeJS.ProcessEnv;
	/** Without credentials: fail (commands), fall back to the sandbox (console), or go on without (health). */
	onMissingCredentials?: 'throw' | 'sandbox' | 'none';
	sandboxOptions?: SandboxOptions;
	/** Commands that only read the cache open it read-only. */
	cacheReadOnly?: boolean;
	/**
	 * The console: open at once and load the cache snapshot in the background (lookups miss until it is loaded),
	 * so that a large cache does not hold back the first frame. Commands wait for the load: `cache clear` counts.
	 */
	cacheLoadInBackground?: boolean;
	/** A configuration already loaded (health and validate load it leniently, to report a broken file). */
	config?: AppConfig;
	/** Overrides error_handling.max_retries: a probe reports what happens now, without retries. */
	maxRetries?: number;
};

export type Runtime = {
	config: AppConfig;
	paths: Paths;
	/** The state dir of this API target: the sandbox keeps its own cache and upload queue. */
	profileStateDir: string;
	logging: Logging;
	bus: EventBus;
	target: ApiTarget;
	client: FrameioClient;
	cache: ApiCache;
	close(): Promise<void>;
};

/** The state dir a target's cache and queue live in: `<stateDir>` for a real API, `<stateDir>/sandbox` for the sandbox. */
export function profileStateDir(stateDir: string, sandbox: boolean): string {
	return sandbox ? path.join(stateDir, 'sandbox') : stateDir;
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
	const env = options.env ?? process.env;
	const config = options.config ?? loadConfig(options.paths.configDir);
	const logging = createLogging({logsDir: options.paths.logsDir});
	const bus = new EventBus();
	// Every command's API calls, uploads and cache use go into the logs, so that `report --since` sees them all.
	const eventLog = attachEventLog(bus, logging);
	registerSecret(env.FRAMEIO_TOKEN);
	let target: ApiTarget | undefined;
	let client: FrameioClient | undefined;
	try {
		target = await resolveApiTarget({
			sandbox: options.sandbox,
			env,
			stateDir: options.paths.stateDir,
			logger: logging.get('frameio.api'),
			onMissing: options.onMissingCredentials ?? 'throw',
			sandboxOptions: options.sandboxOptions,
		});
		const isSandbox = target.kind === 'sandbox';
		const errorHandling = {...config.optimization.error_handling, max_retries: options.maxRetries ?? config.optimization.error_handling.max_retries};
		client = createFrameioClient({
			baseUrl: target.baseUrl,
			auth: target.auth,
			config: {...config.optimization, error_handling: errorHandling},
			bus,
			logger: logging.get('frameio.api'),
			rateLimitScale: target.rateLimitScale,
		});
		const cache = await openApiCache({
			config: config.optimization,
			snapshotFile: cacheSnapshotPath(options.paths.stateDir, {sandbox: isSandbox}),
			bus,
			logger: logging.get('frameio.cache'),
			readOnly: options.cacheReadOnly,
			loadInBackground: options.cacheLoadInBackground,
		});
		// An in-process sandbox starts from its seed every time, so whatever the sandbox profile's cache holds from an
		// earlier run (folders and files it created) no longer exists: start from an empty cache.
		if (target.sandbox && !options.cacheReadOnly) cache.purge({all: true});
		const opened = {target, client};
		let closed = false;
		return {
			config,
			paths: options.paths,
			profileStateDir: profileStateDir(options.paths.stateDir, isSandbox),
			logging,
			bus,
			target,
			client,
			cache,
			async close() {
				if (closed) return;
				closed = true;
				await cache.close();
				opened.client.close();
				await opened.target.close();
				eventLog.detach();
				logging.close();
			},
		};
	} catch (error) {
		client?.close();
		await target?.close();
		eventLog.detach();
		logging.close();
		throw error;
	}
}
