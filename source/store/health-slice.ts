// The Health pane's slice: the checks as shown, failing first, and when they last ran. A re-run on the clock replaces
// what is shown when it has news, for every check, passing ones included: a status changed, a reason says something
// else ("not written yet" → "12 KB, hit rate 89.9 %"), or a figure in it moved a lot (0.0 % → 89.9 %). Small drifts
// of figures ("47 ms" → "52 ms") are not news: repainting them every run would make an idle console flicker and
// write over SSH without telling anyone anything. `r` always shows the fresh run.
import {errorMessage} from './error-message.js';
import type {CheckStatus, HealthCheckResult, HealthSource} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

export type HealthSlice = {
	/** As shown; null until the first run finishes. */
	checks: HealthCheckResult[] | null;
	/** When the run that is shown finished. */
	shownAt: number | null;
	running: boolean;
	/** The run in flight was asked for (`r`): the pane says so. A run on the clock is silent. */
	manual: boolean;
	/** The latest run, shown or not: "when did this last run". */
	lastRunAt: number | null;
	/** How long the latest run took. */
	lastRunMs: number | null;
	error: string | null;
};

export const initialHealth: HealthSlice = {checks: null, shownAt: null, running: false, manual: false, lastRunAt: null, lastRunMs: null, error: null};

const rank: Record<CheckStatus, number> = {fail: 0, warn: 1, pass: 2};

/** Failing first, then warnings, then passes; the service's order within each. */
export function sortChecks(checks: readonly HealthCheckResult[]): HealthCheckResult[] {
	return checks
		.map((check, index) => ({check, index}))
		.sort((a, b) => rank[a.check.status] - rank[b.check.status] || a.index - b.index)
		.map(entry => entry.check);
}

/** A reason with its figures masked: "47 ms; user A" and "52 ms; user A" say the same thing. */
export function reasonShape(reason: string): string {
	return reason.replace(/\d+(?:[.,]\d+)*/g, '#');
}

const FIGURE = /\d+(?:[.,]\d+)*/g;

/**
 * A figure moved a lot: by at least half of the larger value and by at least 10 (a hit rate from 0.0 % to 89.9 %, a
 * round trip from 40 ms to 900 ms, a token's life from 23 h to 9 h); not a drift (47 ms → 52 ms, 81.2 % → 83.0 %).
 */
function figuresMoved(before: string, after: string): boolean {
	const a = before.match(FIGURE) ?? [];
	const b = after.match(FIGURE) ?? [];
	return a.some((text, index) => {
		const x = Number(text.replace(',', '.'));
		const y = Number((b[index] ?? '').replace(',', '.'));
		const delta = Math.abs(x - y);
		return Number.isFinite(delta) && delta >= 10 && delta >= 0.5 * Math.max(Math.abs(x), Math.abs(y));
	});
}

/**
 * Whether `next` says something `shown` does not: another check, another status, a reason that says something else
 * (figures aside), or a figure that moved a lot. Passing checks count like the others: the table is the latest news.
 */
export function healthChanged(shown: readonly HealthCheckResult[] | null, next: readonly HealthCheckResult[]): boolean {
	if (shown === null || shown.length !== next.length) return true;
	const byId = new Map(shown.map(check => [check.id, check]));
	for (const check of next) {
		const before = byId.get(check.id);
		if (!before || before.status !== check.status || before.name !== check.name) return true;
		if (reasonShape(before.reason) !== reasonShape(check.reason)) return true;
		if (figuresMoved(before.reason, check.reason)) return true;
	}
	return false;
}

export type HealthActions = {
	/** `r`: runs the checks (unless a run is in flight) and shows the result whatever it is. */
	run(): Promise<void>;
	/** A clock tick: re-runs when the last run is older than the minimum period, showing only real changes. */
	tick(): void;
	dispose(): void;
};

export function connectHealth(slice: SliceHandle<HealthSlice>, source: HealthSource, options: {minPeriodMs: number; now?: () => number}): HealthActions {
	const now = options.now ?? Date.now;
	let inFlight: Promise<void> | null = null;
	let forceShow = false;
	const abort = new AbortController();

	const start = (manual: boolean): Promise<void> => {
		if (manual) {
			forceShow = true;
			if (!slice.get().manual) slice.update(current => ({...current, manual: true}));
		}
		if (inFlight) return inFlight;
		const started = now();
		slice.update(current => ({...current, running: true}));
		inFlight = source
			.run(abort.signal)
			.then(
				results => {
					const finished = now();
					const checks = sortChecks(results);
					slice.update(current => {
						const show = forceShow || current.error !== null || healthChanged(current.checks, checks);
						return {
							...current,
							checks: show ? checks : current.checks,
							shownAt: show ? finished : current.shownAt,
							running: false,
							manual: false,
							lastRunAt: finished,
							lastRunMs: finished - started,
							error: null,
						};
					});
				},
				error => {
					const finished = now();
					slice.update(current => ({...current, running: false, manual: false, lastRunAt: finished, lastRunMs: finished - started, error: errorMessage(error)}));
				},
			)
			.finally(() => {
				inFlight = null;
				forceShow = false;
			});
		return inFlight;
	};

	return {
		run: () => start(true),
		tick() {
			const {lastRunAt} = slice.get();
			if (lastRunAt === null || now() - lastRunAt >= options.minPeriodMs) void start(false);
		},
		dispose: () => abort.abort(),
	};
}
