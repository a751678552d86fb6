// The Health pane's slice: the latest run of every check, failing first, and its actions.
import {errorMessage} from '../error-message.js';
import type {CheckStatus, HealthCheckResult, HealthSource} from '../ports.js';
import type {SliceHandle} from '../slice-handle.js';

export type HealthSlice = {
	/** null until the first run finishes. */
	checks: HealthCheckResult[] | null;
	running: boolean;
	lastRunAt: number | null;
	/** How long the whole run took. */
	lastRunMs: number | null;
	error: string | null;
};

export const initialHealth: HealthSlice = {checks: null, running: false, lastRunAt: null, lastRunMs: null, error: null};

const rank: Record<CheckStatus, number> = {fail: 0, warn: 1, pass: 2};

/** Failing first, then warnings, then passes; the service's order within each. */
export function sortChecks(checks: readonly HealthCheckResult[]): HealthCheckResult[] {
	return checks
		.map((check, index) => ({check, index}))
		.sort((a, b) => rank[a.check.status] - rank[b.check.status] || a.index - b.index)
		.map(entry => entry.check);
}

export type HealthActions = {
	/** Runs the checks unless a run is in flight; resolves when it settles. */
	run(): Promise<void>;
	/** A clock tick: re-runs when the last run is older than the minimum period. */
	tick(): void;
	dispose(): void;
};

export function connectHealth(slice: SliceHandle<HealthSlice>, source: HealthSource, options: {minPeriodMs: number}): HealthActions {
	let inFlight: Promise<void> | null = null;
	const abort = new AbortController();

	const run = (): Promise<void> => {
		if (inFlight) return inFlight;
		const started = Date.now();
		slice.update(current => ({...current, running: true}));
		inFlight = source
			.run(abort.signal)
			.then(
				checks => {
					slice.set({checks: sortChecks(checks), running: false, lastRunAt: Date.now(), lastRunMs: Date.now() - started, error: null});
				},
				error => {
					slice.update(current => ({...current, running: false, lastRunAt: Date.now(), lastRunMs: Date.now() - started, error: errorMessage(error)}));
				},
			)
			.finally(() => {
				inFlight = null;
			});
		return inFlight;
	};

	return {
		run,
		tick() {
			const {lastRunAt} = slice.get();
			if (lastRunAt === null || Date.now() - lastRunAt >= options.minPeriodMs) void run();
		},
		dispose: () => abort.abort(),
	};
}
