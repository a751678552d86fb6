// The Metrics pane's slice: figures over the window the user picked, the sparkline series, and the alerts.
import {seriesNames} from '../metrics/figures.js';
import {deepEqual} from './equality.js';
import {errorMessage} from './error-message.js';
import type {AlertsSource, AlertView, Figures, MetricsSource, SeriesName} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

/** The windows `w` cycles through. */
export const METRIC_WINDOWS = [
	{label: '1 m', ms: 60_000},
	{label: '5 m', ms: 300_000},
	{label: '1 h', ms: 3_600_000},
] as const;

/** Points per series, over the whole window: the pane fits them to its width (sparkline.ts resamples). */
export const SERIES_POINTS = 60;

export type MetricsSlice = {
	windowIndex: number;
	figures: Figures | null;
	series: Record<SeriesName, number[]>;
	active: AlertView[];
	recent: AlertView[];
	/** The webhook receiver's address when the console runs one: its deliveries and refusals get a line. */
	webhookReceiver: string | null;
	error: string | null;
};

const emptySeries = (): Record<SeriesName, number[]> =>
	Object.fromEntries(seriesNames.map(name => [name, [] as number[]])) as unknown as Record<SeriesName, number[]>;

export const initialMetrics: MetricsSlice = {windowIndex: 1, figures: null, series: emptySeries(), active: [], recent: [], webhookReceiver: null, error: null};

export const metricsSliceEqual = (a: MetricsSlice, b: MetricsSlice): boolean => deepEqual(a, b);

export type MetricsActions = {
	refresh(): void;
	cycleWindow(): void;
	dispose(): void;
};

const RECENT_ALERTS = 20;

export function connectMetrics(slice: SliceHandle<MetricsSlice>, metrics: MetricsSource, alerts: AlertsSource): MetricsActions {
	const refresh = () => {
		const {windowIndex} = slice.get();
		try {
			const series = emptySeries();
			const windowMs = METRIC_WINDOWS[windowIndex].ms;
			const now = Date.now();
			for (const name of seriesNames) series[name] = metrics.series(name, SERIES_POINTS, now, windowMs);
			slice.set({
				windowIndex,
				figures: metrics.figures(METRIC_WINDOWS[windowIndex].ms),
				series,
				active: alerts.active(),
				recent: alerts.recent(RECENT_ALERTS),
				webhookReceiver: metrics.webhookReceiver ?? null,
				error: null,
			});
		} catch (error) {
			slice.update(current => ({...current, error: errorMessage(error)}));
		}
	};
	return {
		refresh,
		cycleWindow() {
			slice.update(current => ({...current, windowIndex: (current.windowIndex + 1) % METRIC_WINDOWS.length}));
			refresh();
		},
		dispose() {},
	};
}
