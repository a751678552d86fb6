// The Farm pane's slice: the farm as last read from its Redis (the live heartbeats and the shared buckets), or why
// it cannot be read. A failed read keeps the last view on screen, with the error beside it: the admin still sees
// the nodes as they were, and the line says they may be out of date.
import {deepEqual} from './equality.js';
import {errorMessage} from './error-message.js';
import type {FarmSource, FarmView} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

export type FarmSlice = {
	/** null until the first read answers. */
	view: FarmView | null;
	/** Why the latest read failed; null when it worked. */
	error: string | null;
	/** The first read is under way (later reads are silent: the view on screen stays until the answer). */
	loading: boolean;
};

export const initialFarm: FarmSlice = {view: null, error: null, loading: false};

/** Without a farm port (a console built without one) the tab says so rather than waiting. */
export const NO_FARM_SOURCE: FarmView = {mode: 'off', reason: 'farm mode is off'};

export const farmSliceEqual = (a: FarmSlice, b: FarmSlice): boolean => deepEqual(a, b);

export type FarmActions = {
	/** Reads the farm now, unless a read is in flight (a slow Redis never piles reads up). */
	refresh(): Promise<void>;
	dispose(): void;
};

export function connectFarm(slice: SliceHandle<FarmSlice>, source: FarmSource | undefined): FarmActions {
	let inFlight: Promise<void> | null = null;
	let disposed = false;
	const refresh = (): Promise<void> => {
		if (!source) {
			slice.set({view: NO_FARM_SOURCE, error: null, loading: false});
			return Promise.resolve();
		}
		if (inFlight) return inFlight;
		if (slice.get().view === null) slice.update(current => ({...current, loading: true}));
		inFlight = source
			.read()
			.then(
				view => {
					if (!disposed) slice.set({view, error: null, loading: false});
				},
				(error: unknown) => {
					if (!disposed) slice.update(current => ({...current, error: errorMessage(error), loading: false}));
				},
			)
			.finally(() => {
				inFlight = null;
			});
		return inFlight;
	};
	return {
		refresh,
		dispose() {
			disposed = true;
		},
	};
}
