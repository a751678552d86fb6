// One breaker for the farm (frameio/breaker-gate.ts): each call asks the farm's breaker in Redis
// (shared-breaker.ts), so that when Frame.io fails the nodes open together and only one of them probes. This
// process's CircuitBreaker mirrors every answer (health, the status bar and the metrics read it as before) and
// decides alone, from the state it last mirrored, while Redis is away.
import type {BreakerPermit, CircuitBreaker} from '../frameio/circuit-breaker.js';
import type {BreakerGate} from '../frameio/breaker-gate.js';
import {isFarmUnavailable} from './farm-error.js';
import type {FarmLink} from './farm-link.js';
import type {SharedBreaker, SharedBreakerPermit, SharedBreakerSnapshot} from './shared-breaker.js';

/** A permit from the farm's breaker (farm set), or from the local one while Redis was away (farm null). */
type GatePermit = BreakerPermit & {farm?: SharedBreakerPermit | null};

type Outcome = 'success' | 'failure' | 'release';

export class FarmBreakerGate implements BreakerGate {
	/** The farm's breaker was closed with no failure at this call's acquire: a success changes nothing there. */
	private clean = false;

	constructor(
		private readonly shared: SharedBreaker,
		private readonly local: CircuitBreaker,
		private readonly link: FarmLink,
	) {}

	async acquire(): Promise<BreakerPermit | null> {
		if (this.link.available) {
			try {
				const decision = await this.shared.tryAcquire();
				this.mirror(decision.snapshot);
				if (!decision.permit) {
					this.local.countRefused();
					return null;
				}
				const permit: GatePermit = {probe: decision.permit.probe, farm: decision.permit};
				return permit;
			} catch (error) {
				if (!isFarmUnavailable(error)) throw error;
			}
		}
		const own = this.local.tryAcquire();
		if (!own) return null;
		const permit: GatePermit = {...own, farm: null};
		return permit;
	}

	success(permit: BreakerPermit): Promise<void> {
		return this.settle('success', permit);
	}

	failure(permit: BreakerPermit): Promise<void> {
		return this.settle('failure', permit);
	}

	release(permit: BreakerPermit): Promise<void> {
		return this.settle('release', permit);
	}

	private async settle(outcome: Outcome, permit: BreakerPermit): Promise<void> {
		const farm = (permit as GatePermit).farm;
		if (farm && this.link.available) {
			// Healthy and no failure to reset: skip the round trip (about one script per request when all is well).
			if (outcome === 'success' && this.clean && !farm.probe) return;
			try {
				this.mirror(await this.shared[outcome](farm));
				return;
			} catch (error) {
				if (!isFarmUnavailable(error)) throw error;
			}
		}
		this.local[outcome]({probe: permit.probe});
	}

	private mirror(snapshot: SharedBreakerSnapshot): void {
		this.clean = snapshot.state === 'closed' && snapshot.consecutiveFailures === 0;
		const retryInMs = snapshot.retryAt === null ? null : Math.max(0, snapshot.retryAt - snapshot.at);
		this.local.adopt({state: snapshot.state, consecutiveFailures: snapshot.consecutiveFailures, retryInMs});
	}
}
