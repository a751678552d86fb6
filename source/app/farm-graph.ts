// Farm mode's graph (DESIGN.md §11), built by open-app.ts only when Redis is configured (FRAMEIO_REDIS_URL or
// farm.redis_url) and the identity is known: one connection in the identity's namespace, the link that says joined
// or lost, and the Redis implementation of each seam. Loaded with a dynamic import, so that a box without farm mode
// never loads the Redis client.
import type {Logging} from '../log/logger.js';
import type {CacheSecondLayer} from '../cache/second-layer.js';
import type {AlertsConfig} from '../config/alerts-schema.js';
import type {FarmSettings} from '../config/farm-settings.js';
import type {OptimizationConfig} from '../config/index.js';
import type {BreakerGate} from '../frameio/breaker-gate.js';
import type {CircuitBreaker} from '../frameio/circuit-breaker.js';
import type {RateBudget} from '../frameio/rate-budget.js';
import {fail, pass, warn} from '../health/checks/types.js';
import type {FolderCreateLock} from '../structure/folder-create-lock.js';
import {RedisAlertDedupe} from '../farm/alert-dedupe.js';
import {FarmAlertRelay} from '../farm/farm-alert-relay.js';
import {FarmBreakerGate} from '../farm/farm-breaker-gate.js';
import {FarmCacheLayer} from '../farm/farm-cache-layer.js';
import {farmCall} from '../farm/farm-error.js';
import {FarmFolderLock} from '../farm/farm-folder-lock.js';
import {FarmLink} from '../farm/farm-link.js';
import {MemberRoll} from '../farm/farm-members.js';
import {FarmPresence} from '../farm/farm-presence.js';
import {FarmRateBudget} from '../farm/farm-rate-budget.js';
import {RedisFolderLock} from '../farm/folder-lock.js';
import {RedisInvalidationBus} from '../farm/invalidation-bus.js';
import {FarmConnection, type FarmIdentity} from '../farm/redis-settings.js';
import {RedisSharedBreaker} from '../farm/shared-breaker.js';
import {RedisSharedBucket} from '../farm/shared-bucket.js';
import type {FarmSide} from './farm-seams.js';
import {productVersion} from '../config/version.js';

export type FarmGraph = FarmSide & {
	budget: RateBudget;
	/** The gate for a client whose own breaker is `local` (it mirrors the farm's, and decides while Redis is away). */
	breakerGate(local: CircuitBreaker): BreakerGate;
	cacheLayer: CacheSecondLayer;
	folderLock: FolderCreateLock;
};

export type FarmGraphOptions = {
	settings: FarmSettings;
	identity: FarmIdentity;
	config: {optimization: OptimizationConfig; alerts: AlertsConfig};
	logging: Pick<Logging, 'get'>;
	/** How long to wait for Redis before going on alone (it rejoins by itself later). Default 2 s. */
	readyTimeoutMs?: number;
};

export async function openFarmGraph(options: FarmGraphOptions): Promise<FarmGraph> {
	const {settings, config} = options;
	const logger = options.logging.get('frameio.app');
	const {farm, error_handling: errors} = config.optimization;
	const connection = new FarmConnection(settings.redis, {identity: options.identity, nodeName: settings.nodeName});
	const roll = new MemberRoll(connection);
	const link = new FarmLink(connection, roll, logger);
	// Joined before the first call when Redis is there; otherwise (refused at once, or no answer in time) the node
	// starts alone, the link says so, and it joins when Redis answers.
	await firstAnswer(connection, options.readyTimeoutMs ?? 2000);

	const cacheLayer = new FarmCacheLayer(connection, new RedisInvalidationBus(connection), link, {logger: options.logging.get('frameio.cache')});
	const presence = new FarmPresence(connection, roll, link, {version: productVersion(), intervalMs: farm.heartbeat_interval_seconds * 1000, logger});
	const instance = () => presence.instance ?? undefined;
	let closed = false;

	return {
		budget: new FarmRateBudget(new RedisSharedBucket(connection), link),
		breakerGate: local =>
			new FarmBreakerGate(new RedisSharedBreaker(connection, {threshold: errors.circuit_breaker_threshold, timeoutMs: errors.circuit_breaker_timeout * 1000}), local, link),
		cacheLayer,
		folderLock: new FarmFolderLock(connection, new RedisFolderLock(connection), link, {ttlMs: farm.folder_lock_ttl_seconds * 1000, logger}),
		presence,
		state() {
			const status = link.status();
			return {state: status.state, nodes: status.nodes, node: status.node, since: status.since, reason: status.reason};
		},
		onChange: listener => link.onChange(listener),
		alertRelay(send, relay) {
			return new FarmAlertRelay(new RedisAlertDedupe(connection, {instance: instance()}), link, {
				cooldownMs: relay.cooldownMs,
				// Renewed every evaluation: a node that dies stops holding after a few intervals.
				holdTtlMs: Math.max(30_000, 3 * relay.intervalMs),
				// The other nodes evaluate on their own clocks: give them two intervals to report before naming them.
				gatherMs: Math.min(10_000, Math.max(1000, 2 * relay.intervalMs)),
				send,
				logger,
			});
		},
		async healthProbe() {
			const status = link.status();
			const where = `${status.display} as ${status.node} (namespace ${status.namespace})`;
			if (status.state !== 'joined') {
				const since = new Date(status.since).toISOString();
				const share = status.nodes > 1 ? `1/${status.nodes} of each rate-limit bucket` : 'the whole of each rate-limit bucket (no other node seen)';
				return warn(`Redis ${status.state === 'lost' ? 'lost' : 'not reached yet'} since ${since} (${status.reason ?? 'no answer'}): working alone at ${share}, with local locks and cache; rejoins by itself (${where})`);
			}
			const started = Date.now();
			try {
				await farmCall(connection.redis, 'health ping', () => connection.redis.ping());
			} catch (error) {
				return fail(`joined ${where}, but PING failed: ${error instanceof Error ? error.message : String(error)}`);
			}
			await link.recount();
			const nodes = link.status().nodes;
			return pass(`joined the farm at ${where}; ${nodes} process${nodes === 1 ? '' : 'es'} beating; PING ${Date.now() - started} ms`);
		},
		async close() {
			if (closed) return;
			closed = true;
			await presence.stop();
			await cacheLayer.close();
			link.close();
			await connection.close();
		},
	};
}

/** Resolves when the connection is ready, fails its first attempt, or after timeoutMs; never throws. */
function firstAnswer(connection: FarmConnection, timeoutMs: number): Promise<void> {
	return new Promise(resolve => {
		const done = () => {
			connection.redis.off('error', done);
			resolve();
		};
		connection.redis.once('error', done);
		connection.ready(timeoutMs).then(done, done);
	});
}
