// Proactive rate limiting: we wait before sending instead of collecting 429s.
// - One bucket per endpoint class, a pessimistic model of Frame.io's own leaky bucket for that operation
//   (frameio-v4.md §4; leaky-bucket.ts says why pessimistic), draining at `safety` of the server's rate.
// - One global token bucket (requests_per_second, burst_size) over all of them.
// - Every answer's x-ratelimit-* headers correct the model: the server's limit wins over our table, and a remaining
//   count lower than ours (another process shares the token) fills our bucket to match. While the server says
//   less than lowWatermark of the limit is left, the class is paced at its steady rate instead of bursting.
// - Then the budget shared with other processes (rate-budget.ts): nothing to share for a process on its own, one
//   bucket per class in Redis for a farm.
import type {EventBus} from '../events/index.js';
import {ENDPOINT_CLASSES, PUBLISHED_LIMITS, type EndpointClass, type PublishedLimit} from './endpoint-classes.js';
import {ServerBucket, TokenBucket, type BucketShape, type Clock} from './leaky-bucket.js';
import {ownBudget, type BudgetReceipt, type RateBudget} from './rate-budget.js';

export type RateLimiterOptions = {
	requestsPerSecond: number;
	burstSize: number;
	/** Multiplies every published limit (a scaled sandbox); default 1. */
	scale?: number;
	/** Share of the server's rate we aim for; default 0.95. */
	safety?: number;
	/** Below this share of the limit left, pace the class; default 0.2. */
	lowWatermark?: number;
	limits?: Partial<Record<EndpointClass, PublishedLimit>>;
	/** The budget shared with other processes; default ownBudget (none). */
	budget?: RateBudget;
	bus?: EventBus;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
};

/** What the server said about a class in one response. */
export type RateLimitHeaders = {limit?: number; remaining?: number; windowMs?: number};

/** A request released by the limiter; hand it back to complete() exactly once, whatever happened. */
export type RateTicket = {endpointClass: EndpointClass; seq: number; sentAt: number; done: boolean; receipt?: BudgetReceipt};

/** How a released request ended: `sent` false when it never left (the token could not be had). */
export type RateOutcome = {sent: boolean; status?: number; headers?: RateLimitHeaders};

export type RateClassSnapshot = {
	limit: number;
	/** Requests that fit now by our pessimistic count (in flight counted as arriving now). */
	remaining: number;
	windowMs: number;
	queued: number;
	inflight: number;
	/** Paced because the server said little was left. */
	paced: boolean;
	/** The last x-ratelimit-remaining the server sent, and when. */
	serverRemaining?: number;
	observedAt?: number;
};

export type RateLimiterSnapshot = Record<EndpointClass | 'global', RateClassSnapshot>;

type ClassState = {
	bucket: ServerBucket;
	limit: number;
	windowMs: number;
	sent: number;
	paced: boolean;
	serverRemaining?: number;
	observedAt?: number;
};

const realClock: Clock = {
	now: () => Date.now(),
	sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
};

export class RateLimiter {
	private readonly classes = new Map<EndpointClass, ClassState>();
	private readonly global: TokenBucket;
	private readonly clock: Clock;
	private readonly scale: number;
	private readonly safety: number;
	private readonly lowWatermark: number;
	private readonly requestsPerSecond: number;
	private budget: RateBudget;

	constructor(private readonly options: RateLimiterOptions) {
		this.budget = options.budget ?? ownBudget;
		this.clock = {now: options.now ?? realClock.now, sleep: options.sleep ?? realClock.sleep};
		this.scale = options.scale ?? 1;
		this.safety = options.safety ?? 0.95;
		this.lowWatermark = options.lowWatermark ?? 0.2;
		this.requestsPerSecond = options.requestsPerSecond;
		this.global = new TokenBucket({capacity: Math.max(1, options.burstSize), ratePerMs: options.requestsPerSecond / 1000}, this.clock);
	}

	/**
	 * From now on, also take from this budget (the composition root sets the farm's once it knows whose budget it
	 * is: the identity is asked of the API with this limiter already in use).
	 */
	useBudget(budget: RateBudget): void {
		this.budget = budget;
	}

	/** Waits until a request of this class may go, then counts it in flight. */
	async acquire(endpointClass: EndpointClass): Promise<RateTicket> {
		const state = this.state(endpointClass);
		await state.bucket.take();
		let receipt: BudgetReceipt;
		try {
			receipt = await this.budget.take(endpointClass, this.bucketShape(state));
		} catch (error) {
			// Never sent: give the slot back.
			state.bucket.complete(false);
			throw error;
		}
		const sentAt = await this.global.take();
		return {endpointClass, seq: state.sent++, sentAt, done: false, receipt};
	}

	/** The request of `ticket` is over: read the server's x-ratelimit-* answer, if any. Idempotent. */
	complete(ticket: RateTicket, outcome: RateOutcome): void {
		if (ticket.done) return;
		ticket.done = true;
		const state = this.state(ticket.endpointClass);
		const headers = outcome.headers ?? {};
		const now = this.clock.now();
		// The server's numbers win over our table (a limit changed, a sandbox at another scale). Equal numbers keep our
		// own shape, whose rate is exact where the announced limit is rounded down.
		if (headers.limit && headers.windowMs && (headers.limit !== state.limit || headers.windowMs !== state.windowMs)) {
			state.limit = headers.limit;
			state.windowMs = headers.windowMs;
			state.bucket.reshape(this.shape(headers.limit, headers.limit, headers.windowMs));
		}
		let remaining = headers.remaining;
		if (outcome.status === 429) remaining = 0;
		state.bucket.complete(outcome.sent, remaining);
		if (remaining === undefined) return;
		this.budget.observe(ticket.endpointClass, this.bucketShape(state), ticket.receipt ?? null, state.limit, remaining);
		state.serverRemaining = remaining;
		state.observedAt = now;
		state.paced = remaining < this.lowWatermark * state.limit;
		state.bucket.minIntervalMs = state.paced ? 1 / state.bucket.ratePerMs : 0;
		this.options.bus?.emit({type: 'ratelimit', at: now, endpointClass: ticket.endpointClass, limit: state.limit, remaining, windowMs: state.windowMs});
	}

	snapshot(): RateLimiterSnapshot {
		const now = this.clock.now();
		const out = {} as RateLimiterSnapshot;
		for (const endpointClass of ENDPOINT_CLASSES) {
			const existing = this.classes.get(endpointClass);
			if (existing) {
				out[endpointClass] = {
					limit: existing.limit,
					remaining: Math.max(0, Math.floor(existing.bucket.free(now))),
					windowMs: existing.windowMs,
					queued: existing.bucket.queued,
					inflight: existing.bucket.inflight,
					paced: existing.paced,
					serverRemaining: existing.serverRemaining,
					observedAt: existing.observedAt,
				};
			} else {
				const {limit, exact, windowMs} = this.published(endpointClass);
				out[endpointClass] = {limit, remaining: this.shape(limit, exact, windowMs).capacity, windowMs, queued: 0, inflight: 0, paced: false};
			}
		}
		out.global = {
			limit: this.global.capacity,
			remaining: Math.max(0, Math.floor(this.global.level(now))),
			windowMs: Math.round(this.global.capacity / this.requestsPerSecond * 1000),
			queued: this.global.queued,
			inflight: 0,
			paced: false,
		};
		return out;
	}

	/** Lowest share of a class's limit left among the classes used so far (1 when none was used). */
	headroom(): number {
		let lowest = 1;
		const now = this.clock.now();
		for (const state of this.classes.values()) lowest = Math.min(lowest, state.bucket.free(now) / state.bucket.capacity);
		return Math.max(0, lowest);
	}

	private bucketShape(state: ClassState): BucketShape {
		return {capacity: state.bucket.capacity, ratePerMs: state.bucket.ratePerMs};
	}

	/** The scaled limit: whole requests for the burst (as the server announces it), exact for the rate. */
	private published(endpointClass: EndpointClass): PublishedLimit & {exact: number} {
		const base = this.options.limits?.[endpointClass] ?? PUBLISHED_LIMITS[endpointClass];
		const exact = base.limit * this.scale;
		return {limit: Math.max(1, Math.floor(exact)), exact, windowMs: base.windowMs};
	}

	/** The server's capacity (our count is an upper bound of its level), drained at `safety` of its rate. */
	private shape(limit: number, exact: number, windowMs: number): BucketShape {
		return {capacity: Math.max(1, limit), ratePerMs: (exact / windowMs) * this.safety};
	}

	private state(endpointClass: EndpointClass): ClassState {
		let state = this.classes.get(endpointClass);
		if (!state) {
			const {limit, exact, windowMs} = this.published(endpointClass);
			state = {bucket: new ServerBucket(this.shape(limit, exact, windowMs), this.clock), limit, windowMs, sent: 0, paced: false};
			this.classes.set(endpointClass, state);
		}
		return state;
	}
}

/** x-ratelimit-limit / -remaining / -window (ms) from response headers; absent or garbled values are left out. */
export function readRateLimitHeaders(headers: Record<string, string | string[] | undefined>): RateLimitHeaders {
	const number = (name: string): number | undefined => {
		const raw = headers[name];
		const text = Array.isArray(raw) ? raw[0] : raw;
		if (text === undefined || text.trim() === '') return undefined;
		const value = Number(text);
		return Number.isFinite(value) && value >= 0 ? value : undefined;
	};
	return {limit: number('x-ratelimit-limit'), remaining: number('x-ratelimit-remaining'), windowMs: number('x-ratelimit-window')};
}
