// Health checks against a real sandbox on loopback: the real client (no retries, as health uses it), a real cache
// and structure service, and the target ids of the sandbox.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {configuredTargetIds, Target} from '../../source/structure/target.js';
import {ApiCache, cacheSnapshotPath} from '../../source/cache/index.js';
import {defaultConfig, type AppConfig} from '../../source/config/index.js';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import {createFrameioClient, EnvTokenProvider, type FrameioClient, type TokenProvider} from '../../source/frameio/index.js';
import {createHealthService, type HealthCheckResult, type HealthDeps} from '../../source/health/index.js';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {StructureService, structureApiFromClient} from '../../source/structure/index.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

export function healthConfig(timeoutSeconds = 5): AppConfig {
	const base = defaultConfig();
	return {
		...base,
		optimization: {
			...optimizationDefaults,
			rate_limiting: {requests_per_second: 1000, burst_size: 1000, backoff_factor: 2},
			error_handling: {...optimizationDefaults.error_handling, max_retries: 0, request_timeout_seconds: 10},
			monitoring: {...optimizationDefaults.monitoring, health_timeout_seconds: timeoutSeconds},
		},
	};
}

export type HealthRig = {
	sandbox: Sandbox;
	client: FrameioClient;
	cache: ApiCache;
	configDir: string;
	dirs: {logs: string; state: string};
	run(overrides?: Partial<HealthDeps> & {timeoutMs?: number; ids?: Parameters<typeof configuredTargetIds>[0]; sandboxIds?: boolean}): Promise<HealthCheckResult[]>;
	close(): Promise<void>;
};

export async function startHealthRig(options: {sandbox?: SandboxOptions; config?: AppConfig; auth?: (sandbox: Sandbox) => TokenProvider; baseUrl?: string} = {}): Promise<HealthRig> {
	const sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, rateLimitScale: 100, ...options.sandbox});
	rememberSecret(sandbox.token);
	const config = options.config ?? healthConfig();
	const auth = options.auth ? options.auth(sandbox) : new EnvTokenProvider(sandbox.token);
	const client = createFrameioClient({baseUrl: options.baseUrl ?? sandbox.url, auth, config: config.optimization});
	const state = testDir('health-state');
	const cache = new ApiCache({config: config.optimization, snapshotFile: cacheSnapshotPath(state, {sandbox: true}), pollIntervalMs: 0});
	await cache.open();
	const configDir = testDir('health-config');
	const dirs = {logs: testDir('health-logs'), state};
	return {
		sandbox,
		client,
		cache,
		configDir,
		dirs,
		run(overrides = {}) {
			const {ids, sandboxIds = true, timeoutMs, ...deps} = overrides;
			const target = new Target(configuredTargetIds(ids ?? {}, {}, sandboxIds ? sandbox.ids : undefined), {
				accounts: () => client.accounts(),
				project: (accountId, projectId) => client.project(accountId, projectId),
			});
			const structure = new StructureService({api: structureApiFromClient(deps.client ?? client), cache});
			const service = createHealthService({configDir, config, auth, client, target, structure, cache, dirs, env: {}, timeoutMs, ...deps});
			return service.run();
		},
		async close() {
			await cache.close();
			client.close();
			await sandbox.close();
		},
	};
}

export function byId(results: HealthCheckResult[]): Record<string, HealthCheckResult> {
	return Object.fromEntries(results.map(result => [result.id, result]));
}

export function writeConfig(dir: string, name: string, text: string): string {
	const file = path.join(dir, name);
	writeFileSync(file, text);
	return file;
}
