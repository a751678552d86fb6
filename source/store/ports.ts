// The ports the console reads from and acts through. Services implement them (the runtime adapts where shapes
// differ); the store and the panes only know these interfaces, so that each pane is tested with small in-memory
// implementations and never with fake data in the product.
import type {BreakerState} from '../events/index.js';
import type {CacheRowInfo} from '../cache/cache-index.js';
import type {CacheEntryInfo, CacheStats} from '../cache/cache-stats.js';
import type {AlertLevel} from '../config/alerts-schema.js';
import type {CheckStatus, HealthCheckResult} from '../health/checks/types.js';
import type {TailLine} from '../log/log-tail.js';
import type {Figures, SeriesName} from '../metrics/figures.js';
import type {UploadJobSnapshot, UploadJobState, UploadQueueSnapshot, UploadTotals} from '../upload/index.js';

export type {CacheEntryInfo, CacheRowInfo, CacheStats, CheckStatus, Figures, HealthCheckResult, SeriesName};

/** A listener registration returns its own removal. */
export type Unsubscribe = () => void;

// Health

export type HealthSource = {
	/** Runs every check (concurrently, within the configured timeout) and resolves with all results. */
	run(signal?: AbortSignal): Promise<HealthCheckResult[]>;
};

// Cache

export type CachePurgeOptions = {all?: boolean; pattern?: string; expired?: boolean; dryRun?: boolean};
export type CachePurgeResult = {removed: number | readonly string[]};

export type CacheSource = {
	/** Cheap: read on every refresh tick while the Cache pane is visible. */
	stats(): CacheStats;
	/**
	 * One row per key with absolute times. Return the same array while nothing changed: the slice then does no
	 * work per key (ApiCache keeps it up to date as entries come and go).
	 */
	rows(): readonly CacheRowInfo[];
	del(key: string): boolean | Promise<boolean>;
	/** `removed`: how many, or which keys (ApiCache returns the keys). */
	purge(options: CachePurgeOptions): CachePurgeResult | Promise<CachePurgeResult>;
	/** Called when entries change, including changes merged from another process. */
	onChange(listener: () => void): Unsubscribe;
};

// Structure

export type TreeNodeKind = 'account' | 'workspace' | 'project' | 'folder' | 'file' | 'version_stack';

export type TreeNode = {
	id: string;
	kind: TreeNodeKind;
	name: string;
	/** Whether listChildren(node) can return anything (accounts, workspaces, projects, folders, version stacks). */
	expandable: boolean;
	/** Files: size in bytes. */
	size?: number;
	/** Files: created, uploaded or transcoded; projects: active or inactive. */
	status?: string;
	mediaType?: string;
	/** ISO times, as the API gives them. */
	createdAt?: string;
	updatedAt?: string;
	/** Where the item opens in Frame.io's web app. */
	viewUrl?: string;
	/** A version stack's file that is its head: the version reviewers see. */
	head?: boolean;
};

export type TreePage = {
	items: TreeNode[];
	/** The page was answered from the cache rather than the API. */
	fromCache: boolean;
	/** total_count of the listing when the API sends it. */
	totalCount: number | null;
	/** Answered from the cache past its TTL because the API is out of reach: how old the listing is. */
	staleAgeMs?: number;
};

export type StructureSource = {
	/**
	 * The children of `node` (null: the accounts), one page at a time, every page until the last. Lazy: nothing is
	 * fetched until iterated. The signal aborts a listing the user collapsed or reloaded. `fresh`: from the API,
	 * replacing the cached copy (a reload).
	 */
	listChildren(node: TreeNode | null, signal?: AbortSignal, options?: {fresh?: boolean}): AsyncIterable<TreePage>;
	/**
	 * Calls `listener` when cached listings were dropped (a webhook, another process, a purge); `dropped(node)` says
	 * whether that node's children were among them. Absent: listings change only when the user reloads.
	 */
	onListingsDropped?(listener: (dropped: (node: TreeNode) => boolean) => void): Unsubscribe;
};

// Metrics and alerts

export type MetricsSource = {
	figures(windowMs: number): Figures;
	/** Where this process receives Frame.io's webhooks (--webhook-port), e.g. http://127.0.0.1:8080/; absent when it does not. */
	readonly webhookReceiver?: string;
	/** `n` values over the last `windowMs` (default: n seconds), oldest first. */
	series(name: SeriesName, n: number, now?: number, windowMs?: number): number[];
};

export type AlertView = {
	/** Unique per firing, e.g. "api_latency@1736259015000". */
	id: string;
	rule: string;
	level: AlertLevel;
	/** "Mean API latency 6.2 s > 5 s over 5 min". */
	message: string;
	/** Formatted in the rule's unit. */
	value: string;
	threshold: string;
	/** When it fired (or, for a resolved notice, resolved). */
	at: number;
	state: 'firing' | 'resolved';
	/** The machine it fired on (FRAMEIO_NODE_NAME, else the host name). */
	host?: string;
	/** The rule's recommended action, e.g. "check the network path to api.frame.io; …". */
	action?: string;
};

export type AlertsSource = {
	active(): AlertView[];
	/** The latest n notices (fired and resolved), newest first. */
	recent(n: number): AlertView[];
	onAlert(listener: () => void): Unsubscribe;
};

// Uploads

/** What the console shows of uploads is the queue's own snapshot: its jobs (rows) and its totals (the sum of them). */
export type {UploadJobSnapshot, UploadJobState, UploadQueueSnapshot, UploadTotals};

export type UploadAddResult = {queued: true; name: string; folder: string} | {queued: false; name: string; reason: string};

export type UploadsSource = {
	snapshot(): UploadQueueSnapshot;
	/** Coalesced progress: called when the snapshot changed. */
	onChange(listener: () => void): Unsubscribe;
	/**
	 * Enqueues a local file as typed (`~` allowed) into the folder its name maps to, or into the given scene/shot
	 * folders. Rejects with the whole reason when it cannot (no such file, a folder off the layout …); resolves
	 * {queued: false} when the name maps to no folder and no scene/shot was given: ask for them and add again.
	 */
	add(path: string, folder?: {scene: string; shot: string}): Promise<UploadAddResult>;
	pause(): void;
	resume(): void;
	/** Cancels one upload (its placeholder is deleted). */
	cancel(id: string): Promise<void>;
	/** Re-queues every failed upload; resolves with how many. */
	retryFailed(): Promise<number>;
	/** Said above the uploads, e.g. that the built-in sandbox throttles part uploads on purpose, and how much. */
	note?: string;
	/** Another process holds the box's queue, e.g. "watch (pid 4182)": these are its uploads, and every change is refused. */
	readonly heldBy?: string;
};

// Logs

/** One line of logs/frameio_admin.log: the human form, and the JSON record as written. */
export type LogLine = TailLine;

export type LogsSource = {
	/** The file followed (logs/frameio_admin.log), shown in the pane. */
	readonly file: string;
	/** The latest lines, oldest first; the same array until a line arrives. */
	current(): readonly LogLine[];
	/** Reads the file while on (the Logs tab is shown); lines written meanwhile are read when it turns on again. */
	follow(on: boolean): void;
	onChange(listener: () => void): Unsubscribe;
};

// Status bar

export type RateLimitView = {endpointClass: string; remaining: number; limit: number};

export type StatusView = {
	mode: 'sandbox' | 'live';
	/** Display name of the account, null until known. */
	account: string | null;
	/** Whose cache the console reads: "the built-in sandbox", "api.frame.io as Camille Laurent". */
	cacheOf?: string | null;
	breaker: BreakerState;
	/** The endpoint class with the least headroom, null before the first response. */
	rateLimit: RateLimitView | null;
	/** When the API last answered (any HTTP status but 5xx); null before the first answer. Drives "stale". */
	lastAnswerAt?: number | null;
	/** Why the API looks unreachable right now (the last call or probe got no answer, or a 5xx); null when it answers. */
	down?: string | null;
	/** Farm mode: joined (with the processes the farm counts) or working alone while Redis is lost; null when off. */
	farm?: FarmLinkView | null;
};

/** This process's link to the farm, as the status bar shows it. */
export type FarmLinkView = {state: 'connecting' | 'joined' | 'lost'; nodes: number};

export type StatusSource = {
	read(): StatusView;
	/** Called when the breaker or the reachability (`down`) changes: the status bar follows at once. */
	onChange?(listener: () => void): Unsubscribe;
};

// Farm (read-only: the live heartbeats of the farm's processes and the levels of its shared buckets)

export type FarmHealth = 'ok' | 'degraded' | 'failing' | 'unknown';

/** An upload in progress somewhere in the farm. */
/** `percent` stays below 100 until Frame.io has answered every part (the sender's own rule, upload/queue-snapshot.ts). */
export type FarmUploadView = {node: string; name: string; state: string; bytesDone: number; size: number; percent: number; speed: number};

/**
 * Uploading or verifying, the bytes of those listed and how far they are (below 100 while a part is unanswered),
 * their speed (bytes/s), the queues' waiting jobs, and the uploads finished or failed since each process started.
 */
export type FarmUploadTotals = {active: number; bytesDone: number; bytesTotal: number; percent: number; speed: number; queued: number; done: number; failed: number};

/** One process of the farm (a node may run several: a watch daemon and a console), as its last heartbeat says. */
export type FarmNodeView = {
	node: string;
	instance: string;
	/** 'console', 'watch', 'upload'; '?' when the beat does not say. */
	role: string;
	version: string | null;
	uptimeMs: number;
	/** Since its last beat, on Redis' clock. */
	beatAgeMs: number;
	health: FarmHealth;
	/** Why it is not ok, in one printable line; '' when it is. */
	summary: string;
	/** API requests sent (every attempt) and answers of 429: since the process started, and over the last minute; null when the beat does not say. */
	requests: number | null;
	rateLimited: number | null;
	requestsLastMinute: number | null;
	rateLimitedLastMinute: number | null;
	breaker: BreakerState | 'unknown';
	alerts: Array<{rule: string; level: string; message: string}>;
	uploads: FarmUploadTotals;
	/** Its active uploads as the beat lists them (at most 20; `uploads.active` counts all). */
	files: FarmUploadView[];
};

/** A shared bucket (one per endpoint class): how full it is now, of its capacity. */
export type FarmBucketView = {endpointClass: string; level: number; capacity: number};

export type FarmTotals = FarmUploadTotals & {
	/** Distinct node names, and processes (heartbeats). */
	nodes: number;
	processes: number;
	requests: number;
	rateLimited: number;
	requestsLastMinute: number;
	rateLimitedLastMinute: number;
	/** Processes whose health is failing, and alerts firing across the farm. */
	failing: number;
	alerts: number;
};

export type FarmView =
	/** Farm mode is not configured: `reason` says how to turn it on. */
	| {mode: 'off'; reason: string}
	| {
			mode: 'on';
			/** The Redis URL without its password. */
			redis: string;
			/** This process's node name. */
			node: string;
			at: number;
			/** By node, then instance. */
			nodes: FarmNodeView[];
			totals: FarmTotals;
			/** Every endpoint class's bucket, fullest first. */
			buckets: FarmBucketView[];
	  };

export type FarmSource = {
	/** The farm now. Rejects when Redis cannot answer, with a reason that never holds the password. */
	read(): Promise<FarmView>;
};

// The runtime

export type ConsoleRuntimeOptions = {
	sandbox: boolean;
	readonly: boolean;
	configDir: string;
	stateDir: string;
	logsDir: string;
};

/** What `createRuntime` in source/app/console-runtime.ts returns to the console. */
export type ConsoleRuntime = {
	health: HealthSource;
	cache: CacheSource;
	structure: StructureSource;
	metrics: MetricsSource;
	alerts: AlertsSource;
	uploads: UploadsSource;
	status: StatusSource;
	/** The farm's live view (the Farm tab); absent: the tab says farm mode is off. */
	farm?: FarmSource;
	/** The Logs tab's source; without it the tab says there is none. */
	logs?: LogsSource;
	/** monitoring.refresh_interval_seconds */
	refreshIntervalSeconds: number;
	/**
	 * monitoring.system_metrics_interval: the latency probe asks the API at least this often, so an idle console
	 * only counts as stale once several probes went unanswered.
	 */
	probeIntervalSeconds?: number;
	/** Flushes logs, persists the upload queue, stops the sandbox. Called once, on every way out. */
	shutdown(reason: string): Promise<void>;
	/** Where console.* output goes while the console owns the screen (e.g. the frameio.app logger); dropped if absent. */
	onConsoleOutput?(level: string, args: unknown[]): void;
};

export type CreateRuntime = (options: ConsoleRuntimeOptions) => Promise<ConsoleRuntime>;
