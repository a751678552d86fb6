// A real sandbox on loopback, the real client and an in-memory cache, with the small numbers the tests need.
import {ApiCache} from '../../source/cache/index.js';
import {optimizationDefaults, type OptimizationConfig} from '../../source/config/optimization-schema.js';
import {createFrameioClient, SandboxTokenProvider, type FrameioClient} from '../../source/frameio/index.js';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {StructureService, structureApiFromClient, type StructureApi} from '../../source/structure/index.js';
import {capturingLogger, type LogLine} from '../cache/helpers.js';
import {rememberSecret} from '../helpers/secret-scan.js';

export function testConfig(): OptimizationConfig {
	return {
		...optimizationDefaults,
		rate_limiting: {requests_per_second: 1000, burst_size: 1000, backoff_factor: 2},
		error_handling: {...optimizationDefaults.error_handling, max_retries: 2, retry_delay_base: 0.01, retry_delay_max: 0.05, request_timeout_seconds: 5, circuit_breaker_threshold: 100},
	};
}

export type Rig = {
	sandbox: Sandbox;
	client: FrameioClient;
	api: StructureApi;
	cache: ApiCache;
	service: StructureService;
	logs: LogLine[];
	/** Another "process": its own cache and service (no shared single-flight), same API. */
	otherProcess(api?: StructureApi): StructureService;
	close(): Promise<void>;
};

export async function startRig(options: SandboxOptions = {}, api?: (client: FrameioClient, sandbox: Sandbox) => StructureApi): Promise<Rig> {
	const sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, rateLimitScale: 100, ...options});
	rememberSecret(sandbox.token);
	const client = createFrameioClient({baseUrl: sandbox.url, auth: new SandboxTokenProvider(sandbox), config: testConfig(), rateLimitScale: 100});
	const structureApi = api ? api(client, sandbox) : structureApiFromClient(client);
	const {logger, lines} = capturingLogger();
	const caches: ApiCache[] = [];
	const newCache = () => {
		const cache = new ApiCache({config: testConfig()});
		caches.push(cache);
		void cache.open();
		return cache;
	};
	const cache = newCache();
	await cache.open();
	return {
		sandbox,
		client,
		api: structureApi,
		cache,
		service: new StructureService({api: structureApi, cache, logger}),
		logs: lines,
		otherProcess: (other = structureApiFromClient(client)) => new StructureService({api: other, cache: newCache(), logger}),
		async close() {
			for (const each of caches) await each.close();
			client.close();
			await sandbox.close();
		},
	};
}

/** Requests the sandbox saw, by method and a path pattern. */
export function requests(sandbox: Sandbox, method: string, path: RegExp, since = 0) {
	return sandbox.requests.slice(since).filter(record => record.method === method && path.test(record.path));
}
