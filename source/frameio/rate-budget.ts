// The rate-limit budget a process shares with other processes. Frame.io keeps one leaky bucket per endpoint class
// and account user, whichever process sends the request; the RateLimiter models that bucket for this process's own
// requests. The budget is the part beyond this process: alone (today, and without farm mode) there is nobody to
// share with and nothing to wait for; in farm mode (farm/farm-rate-budget.ts) every node takes from one bucket per
// class in Redis. The RateLimiter asks its budget after its own bucket, whatever the budget is.
import type {EndpointClass} from './endpoint-classes.js';
import type {BucketShape} from './leaky-bucket.js';

/** What a take left behind, handed back with the server's answer (the farm compares them). */
export type BudgetReceipt = {level: number} | null;

export interface RateBudget {
	/** Waits for room for one request of this class in the shared budget; `shape` is the class's bucket as we model it. */
	take(endpointClass: EndpointClass, shape: BucketShape): Promise<BudgetReceipt>;
	/**
	 * The server answered a request taken with `receipt`: `serverLimit` and `serverRemaining` from x-ratelimit-*. A
	 * remaining count lower than the shared level implies means someone outside the budget spends too.
	 */
	observe(endpointClass: EndpointClass, shape: BucketShape, receipt: BudgetReceipt, serverLimit: number, serverRemaining: number): void;
}

/** A process on its own: its RateLimiter's buckets are the whole budget. */
export const ownBudget: RateBudget = {
	take: async () => null,
	observe: () => undefined,
};
