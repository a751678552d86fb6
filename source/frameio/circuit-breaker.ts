// Stops hammering an API that is down: after `threshold` consecutive failed calls (network, timeout, 5xx, 429,
// each counted once its retries are spent) the breaker opens and calls fail at once without a request. After
// `timeoutMs` it lets one probe through (half-open): success closes it, failure opens it again.
import type {BreakerState, EventBus} from '../events/index.js';

export type CircuitBreakerOptions = {
	threshold: number;
	timeoutMs: number;
	bus?: EventBus;
	now?: () => number;
};

export type BreakerStats = {
	state: BreakerState;
	consecutiveFailures: number;
	threshold: number;
	timeoutMs: number;
	/** How many times it opened since start. */
	opens: number;
	/** Calls refused while open. */
	rejected: number;
	openedAt: number | null;
	/** When an open breaker will let a probe through. */
	retryAt: number | null;
	lastChangeAt: number | null;
};

export type BreakerPermit = {probe: boolean};

/** A state decided elsewhere (the farm's shared breaker), as this breaker should show it. */
export type AdoptedBreakerState = {
	state: BreakerState;
	consecutiveFailures: number;
	/** While open: how long until a probe may go. */
	retryInMs: number | null;
};
export type BreakerListener = (state: BreakerState, previous: BreakerState) => void;

export class CircuitBreaker {
	private current: BreakerState = 'closed';
	private failures = 0;
	private opens = 0;
	private rejected = 0;
	private openedAt: number | null = null;
	private lastChangeAt: number | null = null;
	private probeInFlight = false;
	private readonly listeners = new Set<BreakerListener>();
	private readonly now: () => number;

	constructor(private readonly options: CircuitBreakerOptions) {
		this.now = options.now ?? Date.now;
	}

	get state(): BreakerState {
		// An open breaker whose time is up reads as half-open even before the next call arrives.
		if (this.current === 'open' && this.openedAt !== null && this.now() - this.openedAt >= this.options.timeoutMs) return 'half-open';
		return this.current;
	}

	on(listener: BreakerListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** A permit to send, or null when the call must be refused now. */
	tryAcquire(): BreakerPermit | null {
		if (this.current === 'open') {
			if (this.openedAt !== null && this.now() - this.openedAt >= this.options.timeoutMs) {
				this.transition('half-open');
			} else {
				this.rejected++;
				return null;
			}
		}
		if (this.current === 'half-open') {
			if (this.probeInFlight) {
				this.rejected++;
				return null;
			}
			this.probeInFlight = true;
			return {probe: true};
		}
		return {probe: false};
	}

	/** Milliseconds until an open breaker lets a probe through (0 when it would now). */
	retryInMs(): number {
		if (this.current !== 'open' || this.openedAt === null) return 0;
		return Math.max(0, this.openedAt + this.options.timeoutMs - this.now());
	}

	/** The call got an answer that shows the service works (any 2xx-4xx other than 429). */
	success(permit: BreakerPermit): void {
		if (permit.probe) this.probeInFlight = false;
		this.failures = 0;
		// A late answer to a call sent before the breaker opened does not close it: only the probe does.
		if (this.current === 'open' && !permit.probe) return;
		if (this.current !== 'closed') {
			this.openedAt = null;
			this.transition('closed');
		}
	}

	failure(permit: BreakerPermit): void {
		if (permit.probe) this.probeInFlight = false;
		this.failures++;
		if (this.current === 'half-open' || (this.current === 'closed' && this.failures >= this.options.threshold)) {
			this.open();
		}
	}

	/** The call ended without telling us anything about the service (cancelled, a local error). */
	release(permit: BreakerPermit): void {
		if (permit.probe) this.probeInFlight = false;
	}

	/**
	 * Shows a state the farm decided, as if it had happened here: listeners and the bus hear a change, and while
	 * Redis is away this breaker goes on from it with its own rules.
	 */
	adopt(view: AdoptedBreakerState): void {
		this.failures = view.consecutiveFailures;
		if (view.state === 'closed') {
			this.openedAt = null;
			this.probeInFlight = false;
		} else if (view.state === 'open') {
			const retryIn = Math.max(0, Math.min(this.options.timeoutMs, view.retryInMs ?? this.options.timeoutMs));
			// So that retryInMs() and the half-open moment agree with the farm's on this node's clock.
			this.openedAt = this.now() - (this.options.timeoutMs - retryIn);
			if (this.current !== 'open') this.opens++;
		} else {
			this.openedAt ??= this.now() - this.options.timeoutMs;
		}
		this.transition(view.state);
	}

	/** A call refused by a decision made elsewhere (the farm's breaker). */
	countRefused(): void {
		this.rejected++;
	}

	stats(): BreakerStats {
		const state = this.state;
		return {
			state,
			consecutiveFailures: this.failures,
			threshold: this.options.threshold,
			timeoutMs: this.options.timeoutMs,
			opens: this.opens,
			rejected: this.rejected,
			openedAt: this.openedAt,
			retryAt: this.current === 'open' && this.openedAt !== null ? this.openedAt + this.options.timeoutMs : null,
			lastChangeAt: this.lastChangeAt,
		};
	}

	private open(): void {
		this.openedAt = this.now();
		this.opens++;
		this.transition('open');
	}

	private transition(next: BreakerState): void {
		const previous = this.current;
		if (previous === next) return;
		this.current = next;
		this.lastChangeAt = this.now();
		this.options.bus?.emit({type: 'breaker', at: this.lastChangeAt, state: next});
		for (const listener of this.listeners) {
			try {
				listener(next, previous);
			} catch {
				// an observer's bug must not break the calls
			}
		}
	}
}
