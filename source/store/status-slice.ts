// The status bar's slice: mode, account, breaker, rate-limit headroom, active alerts, and whether what the console
// shows is stale. It holds what the bar draws, not the raw figures: a headroom that moves between 99/100 and
// 100/100, or a clock, would repaint the bar every few seconds while nothing a user cares about changed.
import type {AlertsSource, FarmLinkView, RateLimitView, StatusSource, StatusView} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

/** Headroom at or above this share of a limit reads "ok": only a shrinking budget is worth a number. */
export const RATE_LOW_SHARE = 0.25;

/** 'unknown' before the first answer; 'ok' with room to spare; the tightest class once it runs low. */
export type RateDisplay = 'unknown' | 'ok' | RateLimitView;

/** Shown when the API has not answered for a while, or is down right now. */
export type Staleness = {
	/** Whole seconds since the last answer (since the console started, when there never was one). */
	seconds: number;
	/** Why it looks down; null when it is only quiet for too long. */
	down: string | null;
};

export type StatusSlice = Pick<StatusView, 'mode' | 'account' | 'breaker'> & {
	/** Whose cache the console reads ("the built-in sandbox", "api.frame.io as Camille Laurent"). */
	cacheOf: string | null;
	rate: RateDisplay;
	alerts: number;
	/** null while fresh. */
	stale: Staleness | null;
	/** Farm mode: joined or lost (and how many processes); null when off. */
	farm: FarmLinkView | null;
};

export const initialStatus: StatusSlice = {mode: 'live', account: null, cacheOf: null, breaker: 'closed', rate: 'unknown', alerts: 0, stale: null, farm: null};

/**
 * The bar's first state, read from the source before the first frame: a sandbox session never shows LIVE, not even
 * for the few milliseconds before the first refresh is published.
 */
export function firstStatus(status: StatusSource): StatusSlice {
	try {
		const view = status.read();
		return {...initialStatus, mode: view.mode, account: view.account, cacheOf: view.cacheOf ?? null, breaker: view.breaker, farm: view.farm ?? null};
	} catch {
		return initialStatus;
	}
}

export function rateDisplay(view: RateLimitView | null): RateDisplay {
	if (view === null) return 'unknown';
	if (view.limit > 0 && view.remaining >= view.limit * RATE_LOW_SHARE) return 'ok';
	return {endpointClass: view.endpointClass, remaining: view.remaining, limit: view.limit};
}

function sameRate(a: RateDisplay, b: RateDisplay): boolean {
	if (typeof a === 'string' || typeof b === 'string') return a === b;
	return a.endpointClass === b.endpointClass && a.remaining === b.remaining && a.limit === b.limit;
}

export function statusSliceEqual(a: StatusSlice, b: StatusSlice): boolean {
	return (
		a.mode === b.mode &&
		a.account === b.account &&
		a.cacheOf === b.cacheOf &&
		a.breaker === b.breaker &&
		sameRate(a.rate, b.rate) &&
		a.alerts === b.alerts &&
		a.farm?.state === b.farm?.state &&
		a.farm?.nodes === b.farm?.nodes &&
		(a.stale === b.stale || (a.stale !== null && b.stale !== null && a.stale.seconds === b.stale.seconds && a.stale.down === b.stale.down))
	);
}

export type StatusOptions = {
	/** The console's refresh interval now (it changes with +/-). */
	intervalMs(): number;
	/** Never stale sooner than this: the API is only asked every so often when nothing else happens. */
	minStaleMs: number;
	now?: () => number;
};

export type StatusActions = {
	/** Re-reads the sources (each clock tick, and when they say they changed). */
	refresh(): void;
	dispose(): void;
};

/** Stale once the last answer is older than ~3 refresh intervals (never under minStaleMs), or the API is down. */
export function staleness(view: StatusView, startedAt: number, now: number, staleAfterMs: number): Staleness | null {
	const down = view.down ?? null;
	// A source that does not track answers at all (undefined, not null) is never "stale", only down.
	if (view.lastAnswerAt === undefined && down === null) return null;
	const age = Math.max(0, now - (view.lastAnswerAt ?? startedAt));
	if (down === null && age <= staleAfterMs) return null;
	return {seconds: Math.floor(age / 1000), down};
}

export function connectStatus(slice: SliceHandle<StatusSlice>, status: StatusSource, alerts: AlertsSource, options: StatusOptions): StatusActions {
	const now = options.now ?? Date.now;
	const startedAt = now();
	const refresh = () => {
		let view: StatusView;
		let count: number;
		try {
			view = status.read();
			count = alerts.active().length;
		} catch {
			return; // the status bar keeps its last known values
		}
		const staleAfterMs = Math.max(3 * options.intervalMs(), options.minStaleMs);
		slice.set({
			mode: view.mode,
			account: view.account,
			cacheOf: view.cacheOf ?? null,
			breaker: view.breaker,
			rate: rateDisplay(view.rateLimit),
			alerts: count,
			stale: staleness(view, startedAt, now(), staleAfterMs),
			farm: view.farm ?? null,
		});
	};
	const unsubscribes = [status.onChange?.(refresh), alerts.onAlert(refresh)];
	refresh();
	return {
		refresh,
		dispose() {
			for (const unsubscribe of unsubscribes) unsubscribe?.();
		},
	};
}
