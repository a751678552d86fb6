// The farm's live view, for the Farm tab and `frameio-admin farm`: the live heartbeats in the farm's Redis
// (farm/heartbeat.ts) and the levels of its shared buckets (farm/shared-bucket.ts), read-only. It opens its own
// connection with the farm's namespace: the API origin and the user the token acts as, the identity that scopes the
// cache, so that it sees exactly the farm this process would join. It loads the Redis client: import it only when
// farm-off.ts says there is a farm.
import type {App} from './open-app.js';
import {
	FarmConnection,
	FarmUnavailableError,
	listLiveNodes,
	RedisSharedBucket,
	resolveFarmSettings,
	sharedShape,
	type BucketShape,
	type FarmIdentity,
	type FarmSettings,
} from '../farm/index.js';
import type {ApiIdentity} from '../config/profiles.js';
import type {FarmSource, FarmView} from '../store/ports.js';
import {bucketViews, cleanText, farmNodeView, farmTotals} from './farm-nodes.js';
import {FARM_OFF_REASON, farmOff, SANDBOX_FARM_OFF_REASON} from './farm-off.js';

export {FARM_OFF_REASON, SANDBOX_FARM_OFF_REASON};

/** The shared buckets drain at this share of Frame.io's rate, as the local limiter's (frameio/rate-limiter.ts). */
const LIMITER_SAFETY = 0.95;

/** How long a read waits for the connection (at start, or after Redis came back) before saying Redis is out of reach. */
const CONNECT_WAIT_MS = 2000;

export type FarmViewHandle = FarmSource & {close(): Promise<void>};

/** The farm as read (for the commands, which do not see the store's ports). */
export type FarmOnView = Extract<FarmView, {mode: 'on'}>;

/** Farm mode's settings for this App, or null when it is off. Throws FarmConfigError on a bad URL or node name. */
export function farmSettingsOf(app: Pick<App, 'config'>, env: NodeJS.ProcessEnv = process.env): FarmSettings | null {
	return resolveFarmSettings({env, config: app.config.optimization.farm});
}

/** The farm's namespace comes from who the token acts as: the same identity that scopes the cache. */
export function farmIdentityOf(identity: ApiIdentity): FarmIdentity {
	return {apiOrigin: identity.origin, accountUserId: identity.userId};
}

const IDENTITY_UNKNOWN = "cannot tell which farm: its keys are named after the API user the token acts as, and the API did not say who that is (GET /v4/me failed, and no user was seen on this API before)";

/**
 * A FarmSource over this App's farm. `settings` null: every read says farm mode is off. No identity, or a Redis out
 * of reach: the read rejects with a FarmReadError that says so, and the next read tries again (the connection
 * reconnects on its own).
 */
export function openFarmView(app: Pick<App, 'identity' | 'client' | 'logging' | 'api'>, settings: FarmSettings | null): FarmViewHandle {
	if (app.api.kind === 'sandbox') return farmOff(SANDBOX_FARM_OFF_REASON);
	if (!settings) return farmOff(FARM_OFF_REASON);
	const identity = app.identity;
	if (!identity) return {read: () => Promise.reject(new FarmReadError(IDENTITY_UNKNOWN, null)), close: async () => undefined};
	const logger = app.logging.get('frameio.app');
	let lastLogged = 0;
	const connection = new FarmConnection(settings.redis, {
		identity: farmIdentityOf(identity),
		nodeName: settings.nodeName,
		onError: error => {
			// Reconnects are tried every 2 s at most: one line a minute says enough.
			if (Date.now() - lastLogged < 60_000) return;
			lastLogged = Date.now();
			logger.warn({redis: settings.redis.display, err: error.message}, `farm view: Redis at ${settings.redis.display} is out of reach: ${error.message}`);
		},
	});
	const buckets = new RedisSharedBucket(connection);
	return {
		async read(): Promise<FarmView> {
			try {
				await connection.ready(CONNECT_WAIT_MS);
				const shapes = bucketShapes(app.client.limiter.snapshot());
				const [live, levels] = await Promise.all([listLiveNodes(connection), buckets.levels(shapes)]);
				const nodes = live.map(farmNodeView);
				return {mode: 'on', redis: settings.redis.display, node: settings.nodeName, at: Date.now(), nodes, totals: farmTotals(nodes), buckets: bucketViews(levels, shapes)};
			} catch (error) {
				throw new FarmReadError(farmReadFailure(error, settings), error);
			}
		},
		close: () => connection.close(),
	};
}

/** Each endpoint class's bucket as the limiter knows it now (the published limits, corrected by the server's). */
function bucketShapes(snapshot: Record<string, {limit: number; windowMs: number}>): Record<string, BucketShape> {
	const shapes: Record<string, BucketShape> = {};
	for (const [endpointClass, {limit, windowMs}] of Object.entries(snapshot)) {
		if (endpointClass === 'global' || !(limit > 0) || !(windowMs > 0)) continue;
		// Read with the shape the rate budget takes with (its headroom below Frame.io's capacity included).
		shapes[endpointClass] = sharedShape({capacity: Math.max(1, limit), ratePerMs: (limit / windowMs) * LIMITER_SAFETY});
	}
	return shapes;
}

/** A read that failed; the message is one printable line without the password. `unavailable`: Redis is out of reach. */
export class FarmReadError extends Error {
	readonly unavailable: boolean;
	constructor(message: string, cause: unknown) {
		super(message, {cause});
		this.name = 'FarmReadError';
		this.unavailable = cause instanceof FarmUnavailableError;
	}
}

/** Why a read failed, in one line for the Farm tab and `farm` (never the password: the display URL only). */
export function farmReadFailure(error: unknown, settings: FarmSettings | null): string {
	if (error instanceof FarmUnavailableError) {
		const cause = error.cause instanceof Error && error.cause.message ? error.cause.message : error.operation;
		return `Redis at ${settings?.redis.display ?? '?'} is out of reach (${cleanText(cause, 160)})`;
	}
	return cleanText(error instanceof Error ? error.message : String(error)) ?? '';
}
