// The console's store: every pane's slice, fed by the ports, refreshed by the one shared clock. Only the visible
// pane's data is re-read on a tick (the others would redraw nothing), and the status bar says when the data is
// stale.
import {shallowEqual} from './equality.js';
import type {ConsoleRuntime} from './ports.js';
import {RefreshClock, type ClockState} from './refresh-clock.js';
import {sliceHandle} from './slice-handle.js';
import {cacheSliceEqual, connectCache, initialCache, type CacheActions, type CacheSlice} from './cache-slice.js';
import {connectFarm, farmSliceEqual, initialFarm, type FarmActions, type FarmSlice} from './farm-slice.js';
import {connectHealth, initialHealth, type HealthActions, type HealthSlice} from './health-slice.js';
import {connectLogs, initialLogs, logsSliceEqual, type LogsActions, type LogsSlice} from './logs-slice.js';
import {connectMetrics, initialMetrics, metricsSliceEqual, type MetricsActions, type MetricsSlice} from './metrics-slice.js';
import {connectStatus, firstStatus, statusSliceEqual, type StatusActions, type StatusSlice} from './status-slice.js';
import {connectStructure, initialStructure, type StructureActions, type StructureSlice} from './structure-slice.js';
import {connectUploads, initialUploads, uploadsSliceEqual, type UploadsActions, type UploadsSlice} from './uploads-slice.js';
import {Store, type StoreTimers} from './store.js';

export const PANES = ['health', 'cache', 'structure', 'metrics', 'uploads', 'farm', 'logs'] as const;
export type PaneId = (typeof PANES)[number];

export type ConsoleState = {
	status: StatusSlice;
	clock: ClockState;
	health: HealthSlice;
	cache: CacheSlice;
	structure: StructureSlice;
	metrics: MetricsSlice;
	uploads: UploadsSlice;
	farm: FarmSlice;
	logs: LogsSlice;
};

export type ConsolePorts = Pick<ConsoleRuntime, 'health' | 'cache' | 'structure' | 'metrics' | 'alerts' | 'uploads' | 'status' | 'farm' | 'logs'>;

export type ConsoleActions = {
	health: HealthActions;
	cache: CacheActions;
	structure: StructureActions;
	metrics: MetricsActions;
	uploads: UploadsActions;
	farm: FarmActions;
	logs: LogsActions;
	status: StatusActions;
};

export type ConsoleStore = {
	store: Store<ConsoleState>;
	clock: RefreshClock;
	actions: ConsoleActions;
	activePane(): PaneId;
	setActivePane(pane: PaneId): void;
	/** `r`: re-read (health: re-run) what the visible pane shows. */
	refreshNow(): void;
	/** Starts the clock. */
	start(): void;
	dispose(): void;
};

/** Health checks hit the API (five requests a run): on the clock they re-run at most this often. */
export const HEALTH_MIN_PERIOD_MS = 30_000;

export type ConsoleStoreOptions = {
	refreshIntervalMs: number;
	/** On the clock, health checks re-run at most this often (`r` always re-runs). Default HEALTH_MIN_PERIOD_MS. */
	healthMinPeriodMs?: number;
	/**
	 * The status bar says "stale" once the API has not answered for 3 refresh intervals, and never sooner than this
	 * (the latency probe only asks every so often). Default 15 s.
	 */
	minStaleMs?: number;
	/** Default 100 ms. */
	minPublishMs?: number;
	timers?: StoreTimers;
};

export function createConsoleStore(ports: ConsolePorts, options: ConsoleStoreOptions): ConsoleStore {
	const clock = new RefreshClock({intervalMs: options.refreshIntervalMs});
	const store = new Store<ConsoleState>(
		{
			status: firstStatus(ports.status),
			clock: clock.state(),
			health: initialHealth,
			cache: initialCache,
			structure: initialStructure(),
			metrics: initialMetrics,
			uploads: initialUploads,
			farm: initialFarm,
			logs: initialLogs,
		},
		{
			minIntervalMs: options.minPublishMs ?? 100,
			timers: options.timers,
			equality: {
				status: statusSliceEqual,
				clock: shallowEqual,
				cache: cacheSliceEqual,
				metrics: metricsSliceEqual,
				uploads: uploadsSliceEqual,
				farm: farmSliceEqual,
				logs: logsSliceEqual,
			},
		},
	);

	let active: PaneId = 'health';
	const status = connectStatus(sliceHandle(store, 'status'), ports.status, ports.alerts, {
		intervalMs: () => clock.state().intervalMs,
		minStaleMs: options.minStaleMs ?? 15_000,
	});

	const actions: ConsoleActions = {
		status,
		health: connectHealth(sliceHandle(store, 'health'), ports.health, {
			minPeriodMs: options.healthMinPeriodMs ?? HEALTH_MIN_PERIOD_MS,
		}),
		cache: connectCache(sliceHandle(store, 'cache'), ports.cache),
		structure: connectStructure(sliceHandle(store, 'structure'), ports.structure, {
			setAnimating: on => clock.setAnimating('structure', on),
		}),
		metrics: connectMetrics(sliceHandle(store, 'metrics'), ports.metrics, ports.alerts),
		uploads: connectUploads(sliceHandle(store, 'uploads'), ports.uploads),
		// Read only while the Farm tab is visible: a SCAN of the farm's keys is not for a tab nobody looks at.
		farm: connectFarm(sliceHandle(store, 'farm'), ports.farm),
		logs: connectLogs(sliceHandle(store, 'logs'), ports.logs),
	};

	const refreshVisible = (manual: boolean) => {
		status.refresh();
		switch (active) {
			case 'health':
				if (manual) void actions.health.run();
				else actions.health.tick();
				return;
			case 'cache':
				actions.cache.refresh({rows: manual});
				return;
			case 'structure':
				return; // user driven: `r` in the pane reloads the selected listing
			case 'metrics':
				actions.metrics.refresh();
				return;
			case 'uploads':
				actions.uploads.refresh();
				return;
			case 'farm':
				void actions.farm.refresh();
				return;
			case 'logs':
				return; // the source follows the file while the tab is shown
		}
	};

	const unsubscribes = [
		clock.onChange(state => store.set('clock', state)),
		clock.onRefresh(reason => refreshVisible(reason === 'manual')),
	];

	const setActivePane = (pane: PaneId) => {
		active = pane;
		actions.cache.setVisible(pane === 'cache');
		actions.logs.setVisible(pane === 'logs');
		switch (pane) {
			case 'health':
				actions.health.tick();
				break;
			case 'structure':
				void actions.structure.loadRoots();
				break;
			case 'metrics':
				actions.metrics.refresh();
				break;
			case 'uploads':
				actions.uploads.refresh();
				break;
			case 'farm':
				void actions.farm.refresh();
				break;
			case 'cache':
			case 'logs':
				break; // setVisible read it
		}
	};

	return {
		store,
		clock,
		actions,
		activePane: () => active,
		setActivePane,
		refreshNow: () => clock.refreshNow(),
		start() {
			clock.start();
			setActivePane(active);
		},
		dispose() {
			clock.stop();
			for (const unsubscribe of unsubscribes) unsubscribe();
			for (const slice of Object.values(actions)) slice.dispose();
			store.dispose();
		},
	};
}
