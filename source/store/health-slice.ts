// The Health pane's slice: the checks as shown, failing first, and when they last ran. A re-run on the clock only
// replaces what is shown when it has news: a check's status changed, or a warning or failure now gives another
// reason. The figures inside a reason ("47 ms", "hit rate 81.2 %"), the durations, and the wording of a passing
// check's reason ("no lookups yet" → "too few lookups to judge") move on almost every run; repainting them every
// few seconds would make an idle console flicker without telling anyone anything. `r` always shows the fresh run.
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

/**
 * Whether `next` says something `shown` does not: another check, another status, or a warning or failure with
 * another reason (figures aside). A passing check's reason is detail, refreshed with the next real change or `r`.
 */
export function healthChanged(shown: readonly HealthCheckResult[] | null, next: readonly HealthCheckResult[]): boolean {
	if (shown === null || shown.length !== next.length) return true;
	const byId = new Map(shown.map(check => [check.id, check]));
	for (const check of next) {
		const before = byId.get(check.id);
		if (!before || before.status !== check.status || before.name !== check.name) return true;
		if (check.status !== 'pass' && reasonShape(before.reason) !== reasonShape(check.reason)) return true;
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
