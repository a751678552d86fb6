// Frame.io's per-endpoint leaky buckets (frameio-v4.md §4), one per (account user, endpoint class).
// The bucket drains continuously at limit/window; a request that would overflow it gets 429.
// The client keeps its own copy of these limits (source/frameio/endpoint-classes.ts) on purpose: the sandbox is an
// independent model of the server, so a wrong table in the client shows up here as 429s instead of agreeing with itself.

export type RateClass =
	| 'me'
	| 'accounts.index'
	| 'workspaces.index'
	| 'projects.index'
	| 'account_projects.index'
	| 'projects.show'
	| 'folders.show'
	| 'folders.children'
	| 'folders.list'
	| 'files.list'
	| 'folders.create'
	| 'files.local_upload'
	| 'files.remote_upload'
	| 'files.show'
	| 'files.status'
	| 'files.delete'
	| 'folders.delete'
	| 'workspaces.show'
	| 'files.update'
	| 'files.copy'
	| 'files.move'
	| 'folders.update'
	| 'version_stacks.create'
	| 'version_stacks.show'
	| 'version_stacks.index'
	| 'version_stacks.list'
	| 'webhooks.create'
	| 'webhooks.index'
	| 'webhooks.show'
	| 'webhooks.update'
	| 'webhooks.delete'
	| 'other';

const MINUTE = 60_000;
const SECOND = 1000;

export const PUBLISHED_LIMITS: Record<RateClass, {limit: number; windowMs: number}> = {
	me: {limit: 100, windowMs: MINUTE},
	'accounts.index': {limit: 100, windowMs: MINUTE},
	'workspaces.index': {limit: 100, windowMs: MINUTE},
	'projects.index': {limit: 100, windowMs: MINUTE},
	'account_projects.index': {limit: 100, windowMs: MINUTE},
	'projects.show': {limit: 100, windowMs: MINUTE},
	'folders.show': {limit: 100, windowMs: MINUTE},
	'folders.children': {limit: 100, windowMs: MINUTE},
	'folders.list': {limit: 5, windowMs: SECOND},
	'files.list': {limit: 5, windowMs: SECOND},
	'folders.create': {limit: 3, windowMs: SECOND},
	'files.local_upload': {limit: 5, windowMs: SECOND},
	'files.remote_upload': {limit: 5, windowMs: SECOND},
	'files.show': {limit: 10, windowMs: SECOND},
	'files.status': {limit: 5, windowMs: SECOND},
	'files.delete': {limit: 100, windowMs: MINUTE},
	'folders.delete': {limit: 60, windowMs: MINUTE},
	'workspaces.show': {limit: 100, windowMs: MINUTE},
	'files.update': {limit: 100, windowMs: MINUTE},
	'files.copy': {limit: 100, windowMs: MINUTE},
	'files.move': {limit: 100, windowMs: MINUTE},
	'folders.update': {limit: 10, windowMs: MINUTE},
	'version_stacks.create': {limit: 10, windowMs: MINUTE},
	'version_stacks.show': {limit: 100, windowMs: MINUTE},
	// Children of a stack; the spec's operationId for it is version_stacks.index.
	'version_stacks.index': {limit: 100, windowMs: MINUTE},
	// Stacks in a folder (operationId version_stacks.list).
	'version_stacks.list': {limit: 5, windowMs: SECOND},
	'webhooks.create': {limit: 10, windowMs: MINUTE},
	'webhooks.index': {limit: 100, windowMs: MINUTE},
	'webhooks.show': {limit: 100, windowMs: MINUTE},
	'webhooks.update': {limit: 10, windowMs: MINUTE},
	'webhooks.delete': {limit: 60, windowMs: MINUTE},
	other: {limit: 100, windowMs: MINUTE},
};

export type RateVerdict = {allowed: boolean; headers: Record<string, string>};

type Bucket = {level: number; at: number};

export class RateLimiter {
	private readonly buckets = new Map<string, Bucket>();

	constructor(
		private readonly options: {enforce: boolean; scale: number; now?: () => number},
	) {}

	private shape(rateClass: RateClass): {capacity: number; windowMs: number; perMs: number} {
		const published = PUBLISHED_LIMITS[rateClass];
		const scaled = published.limit * this.options.scale;
		return {capacity: Math.max(1, Math.floor(scaled)), windowMs: published.windowMs, perMs: scaled / published.windowMs};
	}

	private level(key: string, perMs: number, now: number): number {
		const bucket = this.buckets.get(key);
		if (!bucket) return 0;
		return Math.max(0, bucket.level - (now - bucket.at) * perMs);
	}

	/** Charges one request to the bucket (when there is room) and says whether it may proceed. */
	take(token: string, rateClass: RateClass): RateVerdict {
		const {capacity, windowMs, perMs} = this.shape(rateClass);
		if (!this.options.enforce) return {allowed: true, headers: headers(capacity, capacity, windowMs)};
		const now = (this.options.now ?? Date.now)();
		const key = `${rateClass}\u0000${token}`;
		const level = this.level(key, perMs, now);
		if (level + 1 > capacity + 1e-9) {
			this.buckets.set(key, {level, at: now});
			return {allowed: false, headers: headers(capacity, 0, windowMs)};
		}
		this.buckets.set(key, {level: level + 1, at: now});
		return {allowed: true, headers: headers(capacity, Math.max(0, Math.floor(capacity - level - 1)), windowMs)};
	}

	/** The headers for a response that is not charged (401, injected faults). */
	peek(token: string, rateClass: RateClass, remainingOverride?: number): Record<string, string> {
		const {capacity, windowMs, perMs} = this.shape(rateClass);
		if (remainingOverride !== undefined) return headers(capacity, remainingOverride, windowMs);
		if (!this.options.enforce) return headers(capacity, capacity, windowMs);
		const level = this.level(`${rateClass}\u0000${token}`, perMs, (this.options.now ?? Date.now)());
		return headers(capacity, Math.max(0, Math.floor(capacity - level)), windowMs);
	}
}

function headers(limit: number, remaining: number, windowMs: number): Record<string, string> {
	return {'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-window': String(windowMs)};
}
