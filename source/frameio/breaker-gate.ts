// How a call asks the circuit breaker for permission and tells it how the call went. Alone (today, and without farm
// mode) the gate is this process's CircuitBreaker. In farm mode (farm/farm-breaker-gate.ts) the nodes share one
// breaker state in Redis: when Frame.io fails, the first nodes to see it open the breaker for all, and only one node
// probes. The process's CircuitBreaker then mirrors the farm's state, so that health, the status bar and the
// metrics read it as before, and decides alone again while Redis is out of reach.
import type {BreakerPermit, CircuitBreaker} from './circuit-breaker.js';

export interface BreakerGate {
	/** A permit to send, or null when the call must be refused now. */
	acquire(): Promise<BreakerPermit | null>;
	/** The call got an answer that shows the service works. */
	success(permit: BreakerPermit): Promise<void>;
	/** The call failed in a way that counts (network, timeout, 5xx, 429 after its waits). */
	failure(permit: BreakerPermit): Promise<void>;
	/** The call ended without telling anything about the service. */
	release(permit: BreakerPermit): Promise<void>;
}

/** The process's own breaker as a gate. */
export function ownBreakerGate(breaker: CircuitBreaker): BreakerGate {
	return {
		acquire: async () => breaker.tryAcquire(),
		success: async permit => breaker.success(permit),
		failure: async permit => breaker.failure(permit),
		release: async permit => breaker.release(permit),
	};
}
