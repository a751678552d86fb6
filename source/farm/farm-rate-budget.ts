// One rate-limit budget for the farm (frameio/rate-budget.ts): every request of every node takes from one leaky
// bucket per endpoint class in Redis (shared-bucket.ts), and the server's x-ratelimit-remaining corrects it.
//
// The shared bucket counts a request when it is taken; Frame.io counts it when it arrives, a little later, and two
// requests taken apart can arrive close together (one was delayed by its node's event loop or its connection). So
// the shared bucket keeps one request of headroom below Frame.io's capacity, and drains at the limiter's safety share
// of Frame.io's rate: the burst loses one request, the throughput stays.
//
// Redis lost: the node goes on with a local bucket per class at its last known share of the farm (1/N of the
// capacity and of the rate), and takes from Redis again as soon as it answers.
//
// A process's requests of one class take from Redis one after the other: a refused take is polled again after the
// wait the server gave, and several requests of this process polling the same full bucket would each cost a round
// trip per slot, for slots only one of them can win.
import type {EndpointClass} from '../frameio/endpoint-classes.js';
import {TokenBucket, type BucketShape, type Clock} from '../frameio/leaky-bucket.js';
import type {BudgetReceipt, RateBudget} from '../frameio/rate-budget.js';
import {isFarmUnavailable} from './farm-error.js';
import type {FarmLink} from './farm-link.js';
import type {SharedBucket} from './shared-bucket.js';

/** Requests of headroom the shared bucket keeps below Frame.io's capacity (see the module comment). */
export const SHARED_HEADROOM = 1;

const realClock: Clock = {now: () => Date.now(), sleep: ms => new Promise(resolve => setTimeout(resolve, ms))};

export function sharedShape(shape: BucketShape): BucketShape {
	return {capacity: Math.max(1, shape.capacity - SHARED_HEADROOM), ratePerMs: shape.ratePerMs};
}

export class FarmRateBudget implements RateBudget {
	private readonly alone = new Map<EndpointClass, {bucket: TokenBucket; share: number; capacity: number}>();
	/** Per class, the end of the line of this process's takes. */
	private readonly lines = new Map<EndpointClass, Promise<unknown>>();

	constructor(
		private readonly bucket: SharedBucket,
		private readonly link: FarmLink,
		private readonly clock: Clock = realClock,
	) {}

	take(endpointClass: EndpointClass, shape: BucketShape): Promise<BudgetReceipt> {
		const turn = (this.lines.get(endpointClass) ?? Promise.resolve()).then(() => this.takeNow(endpointClass, shape));
		const settled = turn.catch(() => undefined);
		this.lines.set(endpointClass, settled);
		void settled.then(() => {
			if (this.lines.get(endpointClass) === settled) this.lines.delete(endpointClass);
		});
		return turn;
	}

	private async takeNow(endpointClass: EndpointClass, shape: BucketShape): Promise<BudgetReceipt> {
		if (this.link.available) {
			try {
				const granted = await this.bucket.acquire(endpointClass, sharedShape(shape));
				return {level: granted.level};
			} catch (error) {
				if (!isFarmUnavailable(error)) throw error;
			}
		}
		await this.localBucket(endpointClass, shape).take();
		return null;
	}

	observe(endpointClass: EndpointClass, shape: BucketShape, receipt: BudgetReceipt, serverLimit: number, serverRemaining: number): void {
		// Taken locally (Redis was away): the local share is already below the server's count.
		if (!receipt || !this.link.available) return;
		const usedAtServer = serverLimit - serverRemaining;
		// The shared bucket already counts at least as much: no round trip (the common case).
		if (usedAtServer <= receipt.level + SHARED_HEADROOM) return;
		const remaining = Math.max(0, serverRemaining - SHARED_HEADROOM);
		void this.bucket.correct(endpointClass, sharedShape(shape), remaining).catch(() => undefined);
	}

	/** This node's share of a class while Redis is away: 1/N of the capacity (at least one) and of the rate. */
	private localBucket(endpointClass: EndpointClass, shape: BucketShape): TokenBucket {
		const share = this.link.share;
		const capacity = Math.max(1, Math.floor(shape.capacity * share));
		let local = this.alone.get(endpointClass);
		if (!local || local.share !== share || local.capacity !== capacity) {
			local = {bucket: new TokenBucket({capacity, ratePerMs: shape.ratePerMs * share}, this.clock), share, capacity};
			this.alone.set(endpointClass, local);
		}
		return local.bucket;
	}
}
