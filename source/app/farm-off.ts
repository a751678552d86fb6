// Whether this process has a farm to look at, answered without loading the Redis client: the Farm tab of a console
// without farm mode (most consoles) must not pay for ioredis at start.
import type {FarmView} from '../store/ports.js';
import type {App} from './open-app.js';

export const FARM_OFF_REASON = 'farm mode is off (set FRAMEIO_REDIS_URL=redis://HOST:6379 on every node, or farm.redis_url in config/optimization.json; see docs/farm.md)';

/** An in-process sandbox lives and dies with its process: no other node can share it, so there is no farm. */
export const SANDBOX_FARM_OFF_REASON =
	'farm mode is off on the built-in sandbox: it lives in this process only (a farm shares a real API, or a standalone `frameio-admin sandbox`, with FRAMEIO_REDIS_URL set on every node)';

/** Why there is no farm here, or null when a Redis URL is set (farm-view.ts then parses and checks it). */
export function farmOffReason(app: Pick<App, 'config' | 'api'>, env: NodeJS.ProcessEnv = process.env): string | null {
	if (app.api.kind === 'sandbox') return SANDBOX_FARM_OFF_REASON;
	const configured = app.config.optimization.farm.redis_url?.trim();
	return env.FRAMEIO_REDIS_URL?.trim() || configured ? null : FARM_OFF_REASON;
}

/** A Farm tab source that always says why there is no farm. */
export function farmOff(reason: string): {read(): Promise<FarmView>; close(): Promise<void>} {
	return {read: async () => ({mode: 'off', reason}), close: async () => undefined};
}
