// Small in-memory implementations of the console's ports, for store and pane tests. Metrics use the real
// MetricsStore (fed with events); the others hold just enough state to behave like their services.
import type {AppEvent} from '../../source/events/index.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import type {ConsolePorts} from '../../source/store/console-store.js';
import type {
	AlertView,
	AlertsSource,
	CacheRowInfo,
	CachePurgeOptions,
	CacheSource,
	CacheStats,
	HealthCheckResult,
	HealthSource,
	StatusSource,
	StatusView,
	StructureSource,
	TreeNode,
	TreePage,
	UploadAddResult,
	UploadJobSnapshot,
	UploadQueueSnapshot,
	UploadsSource,
} from '../../source/store/ports.js';
import {queueTotals} from '../../source/upload/queue-snapshot.js';
import type {FarmSource, FarmView} from '../../source/store/ports.js';

export class FakeHealth implements HealthSource {
	runs = 0;
	results: HealthCheckResult[] = [];
	/** When set, run() waits for it. */
	gate: Promise<void> | null = null;
	async run(): Promise<HealthCheckResult[]> {
		this.runs++;
		if (this.gate) await this.gate;
		return this.results.map(result => ({...result}));
	}
}

type FakeEntry = {type: string; t: number; e: number; bytes: number};

export class FakeCache implements CacheSource {
	readonly entriesMap = new Map<string, FakeEntry>();
	hits = 0;
	misses = 0;
	rowsCalls = 0;
	purges: CachePurgeOptions[] = [];
	deleted: string[] = [];
	private readonly listeners = new Set<() => void>();
	now: () => number = () => Date.now();

	set(key: string, options: {ageMs?: number; ttlMs?: number; bytes?: number} = {}): void {
		const now = this.now();
		const t = now - (options.ageMs ?? 0);
		this.entriesMap.set(key, {type: key.split('_')[0], t, e: t + (options.ttlMs ?? 60_000), bytes: options.bytes ?? 100});
	}

	/** Adds many keys without notifying per key. */
	fill(count: number, prefix = 'folder_', options: {ttlMs?: number} = {}): void {
		for (let i = 0; i < count; i++) this.set(`${prefix}${String(i).padStart(6, '0')}`, options);
	}

	notify(): void {
		for (const listener of this.listeners) listener();
	}

	stats(): CacheStats {
		const now = this.now();
		const byType: CacheStats['byType'] = {};
		let valid = 0;
		let expired = 0;
		let bytes = 0;
		let oldest = Infinity;
		for (const entry of this.entriesMap.values()) {
			const row = (byType[entry.type] ??= {count: 0, valid: 0, expired: 0, bytes: 0});
			row.count++;
			row.bytes += entry.bytes;
			bytes += entry.bytes;
			if (entry.e <= now) {
				row.expired++;
				expired++;
			} else {
				row.valid++;
				valid++;
			}
			oldest = Math.min(oldest, entry.t);
		}
		const hitRate = this.hits + this.misses === 0 ? null : this.hits / (this.hits + this.misses);
		return {
			total: valid + expired,
			valid,
			expired,
			byType,
			hits: this.hits,
			misses: this.misses,
			hitRate,
			process: {hits: this.hits, misses: this.misses, hitRate},
			bytes,
			oldestAgeMs: oldest === Infinity ? null : now - oldest,
			ttlByType: {projects: 1800, folder: 900, structure: 3600},
		};
	}

	rows(): CacheRowInfo[] {
		this.rowsCalls++;
		return [...this.entriesMap].map(([key, entry]) => ({key, type: entry.type, setAt: entry.t, expiresAt: entry.e, bytes: entry.bytes}));
	}

	async del(key: string): Promise<boolean> {
		this.deleted.push(key);
		const removed = this.entriesMap.delete(key);
		this.notify();
		return removed;
	}

	async purge(options: CachePurgeOptions): Promise<{removed: number}> {
		this.purges.push(options);
		const now = this.now();
		let removed = 0;
		for (const [key, entry] of this.entriesMap) {
			const hit = options.all || (options.pattern !== undefined && key.includes(options.pattern)) || (options.expired && entry.e <= now);
			if (hit) {
				removed++;
				if (!options.dryRun) this.entriesMap.delete(key);
			}
		}
		this.notify();
		return {removed};
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

export type FakeTree = {node: TreeNode; children?: FakeTree[]; fromCache?: boolean};

export class FakeStructure implements StructureSource {
	calls: Array<string | null> = [];
	pageSize: number;
	/** Awaited before each page, to observe loading. */
	gate: (() => Promise<void>) | null = null;

	constructor(
		readonly roots: FakeTree[],
		options: {pageSize?: number} = {},
	) {
		this.pageSize = options.pageSize ?? 100;
	}

	private find(id: string, trees: FakeTree[] = this.roots): FakeTree | undefined {
		for (const tree of trees) {
			if (tree.node.id === id) return tree;
			const found = this.find(id, tree.children ?? []);
			if (found) return found;
		}
		return undefined;
	}

	async *listChildren(node: TreeNode | null, signal?: AbortSignal): AsyncIterable<TreePage> {
		this.calls.push(node?.id ?? null);
		const parent = node ? this.find(node.id) : undefined;
		const children = node ? (parent?.children ?? []) : this.roots;
		const fromCache = parent?.fromCache ?? false;
		if (children.length === 0) {
			yield {items: [], fromCache, totalCount: 0};
			return;
		}
		for (let i = 0; i < children.length; i += this.pageSize) {
			if (this.gate) await this.gate();
			if (signal?.aborted) return;
			yield {items: children.slice(i, i + this.pageSize).map(child => child.node), fromCache, totalCount: children.length};
		}
	}
}

export const folder = (id: string, name: string, children?: FakeTree[], fromCache?: boolean): FakeTree => ({
	node: {id, kind: 'folder', name, expandable: true},
	children,
	fromCache,
});

export const file = (id: string, name: string, size = 1024): FakeTree => ({node: {id, kind: 'file', name, expandable: false, size}});

/** account → workspace → project UNDLM_DOCU → WIP_BYSHOT/SC01/…, and a big folder. */
export function demoTree(bigFolderChildren = 0): FakeTree[] {
	const big = Array.from({length: bigFolderChildren}, (_, i) => file(`big-${i}`, `UNDLM_${String(i).padStart(5, '0')}_v001.mov`));
	return [
		{
			node: {id: 'acc-1', kind: 'account', name: 'Demo Post', expandable: true},
			children: [
				{
					node: {id: 'ws-1', kind: 'workspace', name: 'Main workspace', expandable: true},
					children: [
						{
							node: {id: 'proj-1', kind: 'project', name: 'UNDLM_DOCU', expandable: true},
							children: [
								folder('f-wip', 'WIP_BYSHOT', [folder('f-sc01', 'SC01_OPENING', [folder('f-shot', 'UNDLM_00042', [file('file-1', 'UNDLM_SEQ01_00042_v002.mp4')])])], true),
								folder('f-big', 'BIG_FOLDER', big),
							],
						},
						{node: {id: 'proj-2', kind: 'project', name: 'OTHER_PROJECT', expandable: true}, children: []},
					],
				},
			],
		},
	];
}

export class FakeAlerts implements AlertsSource {
	activeList: AlertView[] = [];
	recentList: AlertView[] = [];
	private readonly listeners = new Set<() => void>();
	active(): AlertView[] {
		return this.activeList;
	}
	recent(n: number): AlertView[] {
		return this.recentList.slice(0, n);
	}
	onAlert(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	fire(alert: AlertView): void {
		this.activeList = [...this.activeList, alert];
		this.recentList = [alert, ...this.recentList];
		for (const listener of this.listeners) listener();
	}
}

/** The queue's snapshot over a list of jobs, totalled by the upload service's own queueTotals (production's path). */
export class FakeUploads implements UploadsSource {
	paused = false;
	note?: string;
	jobs: UploadJobSnapshot[] = [];
	added: string[] = [];
	cancelled: string[] = [];
	retried = 0;
	private readonly listeners = new Set<() => void>();

	snapshot(): UploadQueueSnapshot {
		const jobs = this.jobs.map(job => ({...job}));
		return {jobs, total: queueTotals(jobs, this.paused)};
	}
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	notify(): void {
		for (const listener of this.listeners) listener();
	}
	async add(path: string): Promise<UploadAddResult> {
		this.added.push(path);
		const name = path.split('/').pop()!;
		this.jobs.push(upload({id: `u${this.jobs.length + 1}`, name, state: 'queued'}));
		this.notify();
		return {queued: true, name, folder: ''};
	}
	pause(): void {
		this.paused = true;
		this.notify();
	}
	resume(): void {
		this.paused = false;
		this.notify();
	}
	async cancel(id: string): Promise<void> {
		this.cancelled.push(id);
		this.jobs = this.jobs.map(job => (job.id === id ? {...job, state: 'cancelled'} : job));
		this.notify();
	}
	async retryFailed(): Promise<number> {
		const failed = this.jobs.filter(job => job.state === 'failed');
		this.retried += failed.length;
		this.jobs = this.jobs.map(job => (job.state === 'failed' ? {...job, state: 'queued', error: undefined} : job));
		this.notify();
		return failed.length;
	}
	/** Moves an upload along, as the uploader's progress events would. */
	progress(id: string, change: Partial<UploadJobSnapshot>): void {
		this.jobs = this.jobs.map(job => (job.id === id ? withPercent({...job, ...change}) : job));
		this.notify();
	}
}

/** The percent the queue would give (bytes over size; 100 once done or verifying). */
function withPercent(job: UploadJobSnapshot): UploadJobSnapshot {
	const percent = job.state === 'done' || job.state === 'verifying' ? 100 : job.size > 0 ? Math.min(100, (job.bytesDone / job.size) * 100) : 0;
	return {...job, percent};
}

export function upload(fields: Partial<UploadJobSnapshot> & {id: string; name: string}): UploadJobSnapshot {
	return withPercent({
		kind: 'local',
		path: `/renders/${fields.name}`,
		state: 'uploading',
		step: 'parts',
		size: 100 * 1024 * 1024,
		bytesDone: 0,
		speed: 0,
		eta: null,
		partsDone: 0,
		partsTotal: 7,
		partsInFlight: 0,
		retries: 0,
		percent: 0,
		addedAt: new Date(0).toISOString(),
		runs: 1,
		...fields,
	});
}

export class FakeStatus implements StatusSource {
	view: StatusView = {mode: 'sandbox', account: 'Demo Post', breaker: 'closed', rateLimit: {endpointClass: 'default', remaining: 95, limit: 100}};
	private readonly listeners = new Set<() => void>();
	read(): StatusView {
		return this.view;
	}
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	change(view: Partial<StatusView>): void {
		this.view = {...this.view, ...view};
		for (const listener of this.listeners) listener();
	}
}

/** The farm as its Redis would say it: a view set by the test (see test/ui/farm-fixtures.ts), or a failure. */
export class FakeFarm implements FarmSource {
	reads = 0;
	view: FarmView = {mode: 'off', reason: 'farm mode is off (set FRAMEIO_REDIS_URL=redis://HOST:6379 on every node)'};
	failure: string | null = null;
	async read(): Promise<FarmView> {
		this.reads++;
		if (this.failure) throw new Error(this.failure);
		return this.view;
	}
}

export type Fakes = {
	health: FakeHealth;
	cache: FakeCache;
	structure: FakeStructure;
	metrics: MetricsStore;
	alerts: FakeAlerts;
	uploads: FakeUploads;
	status: FakeStatus;
	farm: FakeFarm;
};

export function fakePorts(options: {bigFolderChildren?: number; pageSize?: number} = {}): Fakes & {ports: ConsolePorts; record(...events: AppEvent[]): void} {
	const fakes: Fakes = {
		health: new FakeHealth(),
		cache: new FakeCache(),
		structure: new FakeStructure(demoTree(options.bigFolderChildren ?? 0), {pageSize: options.pageSize}),
		metrics: new MetricsStore(),
		alerts: new FakeAlerts(),
		uploads: new FakeUploads(),
		status: new FakeStatus(),
		farm: new FakeFarm(),
	};
	return {...fakes, ports: fakes, record: (...events) => events.forEach(event => fakes.metrics.record(event))};
}
