// Farm mode's link to Redis: joined, working alone while Redis is lost, or off (no Redis configured: the node works
// alone by design). The composition root says which (app/farm-graph.ts); this check only reports it.
import {pass, type CheckOutcome, type HealthCheck} from './types.js';

/** Asks the farm link how it stands now (a short round trip to Redis when there is one). */
export type FarmProbe = () => Promise<CheckOutcome>;

export const FARM_OFF_REASON = 'farm mode off (no FRAMEIO_REDIS_URL or farm.redis_url): this node works alone, on its own files';

/** A node on its own has no farm to report on. */
export const aloneFarmProbe: FarmProbe = async () => pass(FARM_OFF_REASON);

export function farmCheck(probe: FarmProbe): HealthCheck {
	return {
		id: 'farm.redis',
		name: 'Farm (Redis)',
		run: () => probe(),
	};
}
