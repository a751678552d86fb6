// The status bar's slice: mode, account, breaker, rate-limit headroom, active alerts, and when the data on screen
// last changed.
import {shallowEqual} from '../equality.js';
import type {AlertsSource, StatusSource, StatusView} from '../ports.js';
import type {SliceHandle} from '../slice-handle.js';

export type StatusSlice = StatusView & {
	alerts: number;
	/** The last time a refresh (or live update) changed what the visible pane shows. */
	updatedAt: number | null;
};

export const initialStatus: StatusSlice = {mode: 'live', account: null, breaker: 'closed', rateLimit: null, alerts: 0, updatedAt: null};

export function statusSliceEqual(a: StatusSlice, b: StatusSlice): boolean {
	return (
		a.mode === b.mode &&
		a.account === b.account &&
		a.breaker === b.breaker &&
		shallowEqual(a.rateLimit, b.rateLimit) &&
		a.alerts === b.alerts &&
		a.updatedAt === b.updatedAt
	);
}

export type StatusActions = {
	refresh(): void;
	markUpdated(at: number): void;
	dispose(): void;
};

export function connectStatus(slice: SliceHandle<StatusSlice>, status: StatusSource, alerts: AlertsSource): StatusActions {
	const refresh = () => {
		let view: StatusView;
		let count: number;
		try {
			view = status.read();
			count = alerts.active().length;
		} catch {
			return; // the status bar keeps its last known values
		}
		slice.update(current => ({...current, ...view, rateLimit: view.rateLimit ? {...view.rateLimit} : null, alerts: count}));
	};
	const unsubscribes = [status.onChange?.(refresh), alerts.onAlert(refresh)];
	refresh();
	return {
		refresh,
		markUpdated(at) {
			slice.update(current => ({...current, updatedAt: at}));
		},
		dispose() {
			for (const unsubscribe of unsubscribes) unsubscribe?.();
		},
	};
}
