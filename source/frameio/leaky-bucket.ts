// The two buckets of the rate limiter. Waiters are served in arrival order (a chain of promises), so a burst goes out
// as fast as the bucket allows and no caller starves.

export type Clock = {now: () => number; sleep: (ms: number) => Promise<void>};

export type BucketShape = {capacity: number; ratePerMs: number};

/** FIFO turn-taking shared by both buckets. */
abstract class Turnstile {
	private tail: Promise<void> = Promise.resolve();
	/** Requests waiting for their turn. */
	queued = 0;

	protected enqueue(wait: () => Promise<number>): Promise<number> {
		this.queued++;
		const turn = this.tail.then(wait);
		this.tail = turn.then(
			() => undefined,
			() => undefined,
		);
		return turn.finally(() => {
			this.queued--;
		});
	}
}

/**
 * Our own ceiling (requests_per_second, burst_size): a token bucket charged when a request is released.
 */
export class TokenBucket extends Turnstile {
	private tokens: number;
	private updatedAt: number;

	constructor(
		private readonly shape: BucketShape,
		private readonly clock: Clock,
	) {
		super();
		this.tokens = shape.capacity;
		this.updatedAt = clock.now();
	}

	get capacity(): number {
		return this.shape.capacity;
	}

	level(now = this.clock.now()): number {
		this.refill(now);
		return this.tokens;
	}

	/** Waits for a token, takes it, and resolves with the time it was taken. */
	take(): Promise<number> {
		return this.enqueue(async () => {
			for (;;) {
				const now = this.clock.now();
				this.refill(now);
				if (this.tokens >= 1) {
					this.tokens -= 1;
					return now;
				}
				await this.clock.sleep(Math.ceil((1 - this.tokens) / this.shape.ratePerMs));
			}
		});
	}

	private refill(now: number): void {
		this.tokens = Math.min(this.shape.capacity, this.tokens + Math.max(0, now - this.updatedAt) * this.shape.ratePerMs);
		this.updatedAt = now;
	}
}

/**
 * A pessimistic model of the server's leaky bucket for one endpoint class. The server counts a request when it
 * arrives, which we never see: between our send and its arrival lie connection set-up, TLS and queues (a burst of
 * new connections can take hundreds of ms). So a request in flight is counted as arriving now, and an answered
 * one as having arrived when its answer came back: the latest it can have arrived. That upper-bounds the server's
 * level whatever the delays, and the drain still runs at the server's rate, so the throughput stays at its limit.
 */
export class ServerBucket extends Turnstile {
	private settled = 0;
	private settledAt: number;
	private lastTakeAt = Number.NEGATIVE_INFINITY;
	private wakeUp: (() => void) | null = null;
	private completed: Promise<void> | null = null;
	/** Requests sent and not yet answered. */
	inflight = 0;
	/** Extra spacing between requests (ms); 0 when off. */
	minIntervalMs = 0;

	constructor(
		private shape: BucketShape,
		private readonly clock: Clock,
	) {
		super();
		this.settledAt = clock.now();
	}

	get capacity(): number {
		return this.shape.capacity;
	}

	get ratePerMs(): number {
		return this.shape.ratePerMs;
	}

	/** Room left now, by our pessimistic count. */
	free(now = this.clock.now()): number {
		this.drain(now);
		return this.shape.capacity - this.settled - this.inflight;
	}

	reshape(shape: BucketShape): void {
		this.drain(this.clock.now());
		this.shape = shape;
	}

	/** Waits until one more request fits, counts it in flight, and resolves with the time it was released. */
	take(): Promise<number> {
		return this.enqueue(async () => {
			for (;;) {
				const now = this.clock.now();
				const free = this.free(now);
				if (free >= 1) {
					const spacing = this.lastTakeAt + this.minIntervalMs - now;
					if (this.minIntervalMs > 0 && spacing > 0) {
						await this.clock.sleep(Math.ceil(spacing));
						continue;
					}
					this.inflight++;
					this.lastTakeAt = now;
					return now;
				}
				if (this.shape.capacity - this.inflight >= 1) {
					// Answered requests fill the bucket: wait for it to drain enough.
					await this.clock.sleep(Math.max(1, Math.ceil((1 - free) / this.shape.ratePerMs)));
				} else {
					// Everything the bucket holds is in flight: only an answer can make room.
					await this.nextCompletion();
				}
			}
		});
	}

	/**
	 * A request released by take() is over. `charged`: it may have reached the server (anything but "never sent").
	 * `serverRemaining`: the x-ratelimit-remaining the server answered, which may show other clients of the token.
	 */
	complete(charged: boolean, serverRemaining?: number): void {
		const now = this.clock.now();
		this.drain(now);
		this.inflight = Math.max(0, this.inflight - 1);
		if (charged) this.settled += 1;
		if (serverRemaining !== undefined) this.settled = Math.max(this.settled, this.shape.capacity - serverRemaining);
		const wake = this.wakeUp;
		this.wakeUp = null;
		this.completed = null;
		wake?.();
	}

	private nextCompletion(): Promise<void> {
		this.completed ??= new Promise<void>(resolve => {
			this.wakeUp = resolve;
		});
		return this.completed;
	}

	private drain(now: number): void {
		this.settled = Math.max(0, this.settled - Math.max(0, now - this.settledAt) * this.shape.ratePerMs);
		this.settledAt = now;
	}
}
