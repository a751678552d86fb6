// Only the cache (`cache stats`, `cache clear`): no API, no token, no network. Whose cache it is comes from the
// identities seen before (config/profiles.ts); the other identities' caches are listed with how to reach them.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {ApiCache, SNAPSHOT_FILE, type PurgeOptions} from '../cache/index.js';
import {resolveFarmSettings} from '../config/farm-settings.js';
import {loadConfig, type AppConfig} from '../config/index.js';
import type {Paths} from '../config/paths.js';
import {describeIdentity, IdentityBook, listProfiles, profileDir, SANDBOX_ORIGIN, type ApiIdentity} from '../config/profiles.js';
import {createLogging, type Logging} from '../log/logger.js';
import {configuredOrigin} from './api-target.js';
import {openCache, openFarm, verboseEcho, type AppOptions} from './open-app.js';

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
	const logging = createLogging({logsDir: options.paths.logsDir, echo: verboseEcho(env)});
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
