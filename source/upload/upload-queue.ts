// The upload queue: files up to max_concurrent_uploads at once (each with its own parts in parallel), persisted
// in the state dir so that a restart resumes it, with pause/resume, cancel and retry, and coalesced progress.
import {randomUUID} from 'node:crypto';
import path from 'node:path';
import PQueue from 'p-queue';
import type {Logger} from 'pino';
import type {EventBus, UploadOutcome} from '../events/index.js';
import {redactText} from '../log/redact.js';
import {checkLocalFile, checkName, checkSourceUrl, UploadInputError} from './add-input.js';
import type {UploadJob, UploadJobSnapshot, UploadQueueSnapshot} from './job.js';
import {CancelledError, ShutdownError} from './job-errors.js';
import {canPrepare, cleanupFailed, cleanupForCancel, deleteStalePlaceholders, discardPlaceholder, prepareJob, runJob, type PreparedLocal, type RunContext} from './job-runner.js';
import {PauseGate} from './pause-gate.js';
import {createPartTransport, destroyPartTransport} from './part-put.js';
import {ProgressThrottle} from './progress-throttle.js';
import {QueueStore} from './queue-store.js';
import type {PlaceholderJournal} from './placeholder-journal.js';
import {jobSnapshot, queueTotals} from './queue-snapshot.js';
import {SlotPool} from './slot-pool.js';
import {BytesOnTheWire} from './bytes-on-the-wire.js';
import {SpeedMeter} from './speed-meter.js';
import {errorMessage, type UploadApi} from './upload-api.js';
import {reportFinished} from './upload-report.js';
import {reportQueueLive, type LiveReporter} from './live-report.js';
import type {UploadSettings} from './upload-settings.js';
import {VersionStacker, type VersionStackingOptions} from './version-stacker.js';

/** `origin: 'demo'`: traffic the in-process sandbox makes up, shown and counted as such. */
type AddCommon = {targetFolderId?: string; target?: Record<string, string>; origin?: 'demo'};
export type AddLocalInput = AddCommon & {path: string; name?: string};
export type AddRemoteInput = AddCommon & {sourceUrl: string; name: string};
export type AddInput = AddLocalInput | AddRemoteInput;

export type QueueEvent =
	| {type: 'state'; job: UploadJobSnapshot}
	| {type: 'progress'; job: UploadJobSnapshot}
	| {type: 'paused'}
	| {type: 'resumed'};

export type UploadQueueOptions = {
	api: UploadApi;
	accountId: string;
	settings: UploadSettings;
	/** Where uploads.json lives; without it the queue is in memory only. */
	stateDir?: string;
	/** The queue file's name in stateDir (default uploads.json). */
	stateFileName?: string;
	bus?: EventBus;
	/** The 'frameio.upload' logger. */
	logger?: Logger;
	/** Finds (or creates) the folder of a job added without targetFolderId, e.g. from its scene/shot `target`. */
	resolveFolder?: (job: UploadJobSnapshot) => Promise<string>;
	/** Start paused (nothing runs until resume()). */
	paused?: boolean;
	lockStaleMs?: number;
	/** Wait this long for another process's lock (e.g. one killed a moment ago) before QueueLockedError. */
	lockWaitMs?: number;
	persistDebounceMs?: number;
	random?: () => number;
	/** uploads.version_stacking: each landed file joins its shot's version stack (version-stacker.ts). Off without it. */
	versionStacking?: VersionStackingOptions;
	/**
	 * A queue in memory only (no stateDir) that must still leave nothing behind after a kill -9: what its jobs may
	 * have created on Frame.io is written there whenever a persisted queue would write its file.
	 */
	journal?: PlaceholderJournal;
	/**
	 * With stateDir: report the live snapshot in uploads.live.json beside the queue file (live-report.ts), so that a
	 * console on this box can follow the uploads of the process holding the queue. `role` says which process it is.
	 */
	liveReport?: {role: string; warn?: (message: string) => void; intervalMs?: number};
};

export {UploadInputError};

type Entry = {
	job: UploadJob;
	meter: SpeedMeter;
	controller?: AbortController;
	running?: Promise<void>;
	runStartedAt?: number;
	bytesThisRun: number;
	partsInFlight: number;
	/** Gives back the run's transfer slot (a files-queue place); set while it holds one. */
	releaseTransfer?: () => void;
	/** Its placeholder being created ahead, while it waits for a transfer slot (prepareAhead). */
	preparing?: Preparing;
};

type Preparing = {controller: AbortController; outcome: Promise<{prepared: PreparedLocal} | {error: unknown}>};

export class UploadQueue {
	private readonly entries = new Map<string, Entry>();
	private readonly listeners = new Set<(event: QueueEvent) => void>();
	private readonly gate = new PauseGate();
	private readonly transport = createPartTransport();
	private readonly wire: BytesOnTheWire;
	private readonly background = new Set<Promise<unknown>>();
	private readonly idleWaiters: Array<() => void> = [];
	/** Transfer slots (max_concurrent_uploads): a file holds one from its start until its last part has landed. */
	private readonly files: PQueue;
	/** Verify slots: status polls, the size check and the transcode wait run here, after the transfer slot is free. */
	private readonly verifySlots: SlotPool;
	/** Jobs handed to `files` and not started yet, in the order they will start. */
	private readonly waiting: Entry[] = [];
	private readonly throttle: ProgressThrottle<string>;
	private store: QueueStore | undefined;
	private liveReporter: LiveReporter | undefined;
	private closed = false;
	private readonly stacker: VersionStacker | undefined;

	private constructor(private readonly options: UploadQueueOptions) {
		this.stacker = options.versionStacking && new VersionStacker(options.versionStacking, options.accountId, options.logger);
		this.files = new PQueue({concurrency: options.settings.maxConcurrentUploads, autoStart: !options.paused});
		this.wire = new BytesOnTheWire(options.bus);
		this.verifySlots = new SlotPool(options.settings.verifyConcurrency);
		if (options.paused) this.gate.pause();
		this.throttle = new ProgressThrottle(options.settings.progressIntervalMs, id => {
			const entry = this.entries.get(id);
			if (entry) this.emit({type: 'progress', job: this.snapshotOf(entry)});
		});
	}

	/**
	 * Opens the queue: takes <stateDir>/uploads.json (QueueLockedError if another process has it), resumes its
	 * unfinished jobs and starts uploading. To see every event of the resumed jobs, open it `paused`, subscribe with
	 * on(), then resume().
	 */
	static async open(options: UploadQueueOptions): Promise<UploadQueue> {
		const queue = new UploadQueue(options);
		if (options.stateDir) {
			queue.store = await QueueStore.open({
				stateDir: options.stateDir,
				fileName: options.stateFileName,
				lockWaitMs: options.lockWaitMs,
				source: () => [...queue.entries.values()].map(entry => entry.job),
				lockStaleMs: options.lockStaleMs,
				debounceMs: options.persistDebounceMs,
				logger: options.logger,
			});
			queue.restore(queue.store.loaded);
			if (options.liveReport) queue.liveReporter = reportQueueLive(options.stateDir, () => queue.snapshot(), options.liveReport);
		}
		return queue;
	}

	get paused(): boolean {
		return this.gate.isPaused;
	}

	get stateFile(): string | undefined {
		return this.store?.file;
	}

	/** Adds a file (or a URL for Frame.io to fetch) and returns the queued job. */
	add(input: AddInput): UploadJobSnapshot {
		if (this.closed) throw new UploadInputError('the upload queue is closed');
		if (!input.targetFolderId && !this.options.resolveFolder) {
			throw new UploadInputError('no target folder: give targetFolderId (this queue has no folder resolver)');
		}
		const base = {
			id: randomUUID(),
			targetFolderId: input.targetFolderId,
			target: input.target ? {...input.target} : undefined,
			...(input.origin ? {origin: input.origin} : {}),
			state: 'queued' as const,
			step: 'pending' as const,
			staleFileIds: [],
			partsDone: 0,
			partsTotal: 0,
			bytesDone: 0,
			retries: 0,
			addedAt: new Date().toISOString(),
			runs: 0,
		};
		let job: UploadJob;
		if ('sourceUrl' in input) {
			job = {...base, kind: 'remote', sourceUrl: checkSourceUrl(input.sourceUrl), name: checkName(input.name), size: 0};
		} else {
			const file = path.resolve(input.path);
			job = {...base, kind: 'local', path: file, name: checkName(input.name ?? path.basename(file)), size: checkLocalFile(file)};
		}
		const entry: Entry = {job, meter: new SpeedMeter(), bytesThisRun: 0, partsInFlight: 0};
		this.entries.set(job.id, entry);
		this.stateChanged(entry);
		// Before enqueueing: p-queue may start the job synchronously.
		const added = this.snapshotOf(entry);
		this.enqueue(entry);
		return added;
	}

	get(id: string): UploadJobSnapshot | undefined {
		const entry = this.entries.get(id);
		return entry && this.snapshotOf(entry);
	}

	snapshot(): UploadQueueSnapshot {
		const now = Date.now();
		const jobs = [...this.entries.values()].map(entry => this.snapshotOf(entry, now));
		return {jobs, total: queueTotals(jobs, this.paused)};
	}

	on(listener: (event: QueueEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** No new file and no new part starts; parts in flight finish. */
	pause(): void {
		if (this.gate.isPaused) return;
		this.gate.pause();
		this.files.pause();
		this.emit({type: 'paused'});
	}

	resume(): void {
		if (!this.gate.isPaused) return;
		// A rate measured across the pause would start low and crawl back up: each file measures afresh.
		for (const entry of this.entries.values()) entry.meter.reset();
		this.gate.resume();
		if (!this.closed) this.files.start();
		this.emit({type: 'resumed'});
		this.prepareAhead();
	}

	/**
	 * Cancels a job: a running one is aborted (parts in flight are cut), and what it created on Frame.io (its
	 * placeholder) is deleted. False when the job is unknown or already done/cancelled.
	 */
	async cancel(id: string): Promise<boolean> {
		const entry = this.entries.get(id);
		if (!entry) return false;
		const {job} = entry;
		// What it had sent stays on its row: deleting the placeholder does not unsend it.
		const sent = {bytesDone: job.bytesDone, partsDone: job.partsDone};
		const keepSent = () => Object.assign(job, sent);
		if (job.state === 'uploading' || job.state === 'verifying') {
			// Aborted first (so a run finishing this very moment cannot end as done), then the intent is written at
			// once: a crash before the placeholder is deleted must not resurrect the job (restore() cleans it up).
			entry.controller?.abort(new CancelledError());
			job.state = 'cancelled';
			job.finishedAt = new Date().toISOString();
			this.stateChanged(entry);
			await this.persistNow().catch(() => {});
			await entry.running;
			keepSent();
			this.stateChanged(entry);
			return true;
		}
		if (job.state !== 'queued' && job.state !== 'failed') return false;
		const wasFailed = job.state === 'failed';
		job.state = 'cancelled';
		job.finishedAt = new Date().toISOString();
		this.stateChanged(entry);
		this.forgetWaiting(entry);
		const preparing = entry.preparing;
		if (preparing) {
			// Its create may be on the wire: let it end, so the cleanup below knows what it left.
			entry.preparing = undefined;
			preparing.controller.abort(new CancelledError());
			await preparing.outcome;
		}
		try {
			await cleanupForCancel(job, this.contextFor(entry));
		} catch (error) {
			this.options.logger?.warn({id, name: job.name, err: error}, `cancel of ${job.name}: cleanup incomplete: ${errorMessage(error)}`);
		}
		keepSent();
		await this.persistNow().catch(() => {});
		// A failed job was already reported as failed; only a queued one becomes a cancelled upload.
		if (!wasFailed) this.report(entry, 'cancelled');
		this.stateChanged(entry);
		return true;
	}

	/** Queues a failed or cancelled job again. */
	retry(id: string): boolean {
		const entry = this.entries.get(id);
		if (!entry || this.closed) return false;
		const {job} = entry;
		if (job.state !== 'failed' && job.state !== 'cancelled') return false;
		job.state = 'queued';
		job.error = undefined;
		job.finishedAt = undefined;
		job.partsDone = 0;
		job.bytesDone = 0;
		job.retries = 0;
		this.stateChanged(entry);
		this.enqueue(entry);
		return true;
	}

	retryFailed(): number {
		let count = 0;
		for (const entry of this.entries.values()) if (entry.job.state === 'failed' && this.retry(entry.job.id)) count++;
		return count;
	}

	/** Forgets done and cancelled jobs (the list, and the file, stay short). Failed ones stay until retried or cancelled. */
	clearFinished(): number {
		let count = 0;
		for (const [id, entry] of this.entries) {
			if ((entry.job.state === 'done' || entry.job.state === 'cancelled') && entry.job.staleFileIds.length === 0) {
				this.entries.delete(id);
				this.throttle.forget(id);
				count++;
			}
		}
		if (count > 0) this.store?.schedule();
		return count;
	}

	/** Resolves when no job is queued or running (immediately if none is). */
	onIdle(): Promise<void> {
		if (this.isIdle()) return Promise.resolve();
		return new Promise(resolve => this.idleWaiters.push(resolve));
	}

	/**
	 * Takes jobs another queue file held (upload-graph.ts adopts those of the queue file written before identity
	 * folders existed) as if this queue had loaded them: unfinished ones resume from their step. Jobs whose id is
	 * already here are skipped (an adoption a crash interrupted). Written to this queue's file before it resolves, so
	 * that the caller may then drop them from the other file. Returns how many were taken.
	 */
	async adopt(jobs: readonly UploadJob[]): Promise<number> {
		const fresh = jobs.filter(job => !this.entries.has(job.id));
		if (fresh.length === 0 || this.closed) return 0;
		this.restore(fresh);
		await this.store?.flush();
		return fresh.length;
	}

	/** Writes the queue file now. */
	async flush(): Promise<void> {
		await this.store?.flush();
	}

	/**
	 * Stops the queue. By default running jobs are cut short and stay resumable (the next open() picks them up),
	 * the file gets its last state, and the lock is released. `abort: false` lets running jobs finish first (no new
	 * one starts). `flush: false` skips every write from here on, which leaves the file as a crash would.
	 * With abort, a job stuck in an API call (which has its own timeout) is waited for at most graceMs (default
	 * 5000): it is written as it stands, and the next open() resumes it from its step.
	 */
	async close(options: {abort?: boolean; flush?: boolean; graceMs?: number} = {}): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.files.pause();
		this.files.clear();
		const flush = options.flush !== false;
		if (!flush) await this.store?.close({flush: false});
		const running = [...this.entries.values()].filter(entry => entry.running).map(entry => entry.running);
		for (const entry of this.entries.values()) entry.preparing?.controller.abort(new ShutdownError());
		if (options.abort !== false) {
			for (const entry of this.entries.values()) entry.controller?.abort(new ShutdownError());
		} else {
			this.gate.resume();
		}
		const settled = Promise.allSettled([...running, ...this.background]);
		if (options.abort === false) await settled;
		else {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([settled, new Promise(resolve => (timer = setTimeout(resolve, options.graceMs ?? 5000)))]);
			clearTimeout(timer);
		}
		this.throttle.stop();
		this.wire.flush();
		await this.liveReporter?.close();
		if (flush) await this.store?.close({flush: true});
		// What is still listed (a job stuck past the grace, a placeholder whose delete failed) stays for the next run.
		await this.options.journal?.write(this.jobs());
		destroyPartTransport(this.transport);
		for (const wake of this.idleWaiters.splice(0)) wake();
	}

	// ---- internals --------------------------------------------------------------------------------------------

	private restore(jobs: UploadJob[]): void {
		for (const job of jobs) {
			// Whatever was running when the last process stopped runs again from its step.
			if (job.state === 'uploading' || job.state === 'verifying') job.state = 'queued';
			const entry: Entry = {job, meter: new SpeedMeter(), bytesThisRun: 0, partsInFlight: 0};
			this.entries.set(job.id, entry);
			if (job.state === 'queued') this.enqueue(entry);
			else if (job.state === 'cancelled' && (job.fileId || job.step === 'creating' || job.staleFileIds.length > 0)) {
				// Cancelled, and killed before its placeholder was deleted.
				this.track(cleanupForCancel(job, this.contextFor(entry)).catch(() => {}));
			} else if (job.staleFileIds.length > 0) this.track(deleteStalePlaceholders(job, this.contextFor(entry)).catch(() => {}));
		}
		const resumed = jobs.filter(job => job.state === 'queued').length;
		if (jobs.length > 0) {
			this.options.logger?.info({file: this.store?.file, jobs: jobs.length, resumed}, `upload queue loaded: ${jobs.length} job(s), ${resumed} to resume`);
		}
	}

	private enqueue(entry: Entry): void {
		this.waiting.push(entry);
		// The place in `files` is held until the run gives it back (beginVerify) or ends, whichever comes first.
		void this.files.add(
			() =>
				new Promise<void>(release => {
					entry.releaseTransfer = () => {
						entry.releaseTransfer = undefined;
						release();
					};
					const running = this.run(entry);
					entry.running = running;
					void running.finally(() => entry.releaseTransfer?.());
				}),
		);
		this.prepareAhead();
	}

	/**
	 * Creates the placeholders of the next few waiting local jobs (at most max_concurrent_uploads ahead) while the
	 * running ones send, so that a job starts sending the moment it gets a transfer slot instead of first waiting
	 * for its create call and the durable writes around it. The jobs stay "queued" meanwhile.
	 */
	private prepareAhead(): void {
		if (this.closed || this.gate.isPaused) return;
		let ahead = 0;
		for (const entry of this.waiting) {
			if (ahead >= this.options.settings.maxConcurrentUploads) return;
			if (entry.preparing) {
				ahead++;
				continue;
			}
			if (entry.job.state !== 'queued' || !canPrepare(entry.job)) continue;
			const controller = new AbortController();
			const outcome = prepareJob(entry.job, this.contextFor(entry), controller.signal).then(
				prepared => ({prepared}),
				(error: unknown) => ({error}),
			);
			entry.preparing = {controller, outcome};
			this.track(outcome);
			ahead++;
		}
	}

	private forgetWaiting(entry: Entry): void {
		const index = this.waiting.indexOf(entry);
		if (index >= 0) this.waiting.splice(index, 1);
	}

	private async run(entry: Entry): Promise<void> {
		const {job} = entry;
		this.forgetWaiting(entry);
		if (job.state !== 'queued' || this.closed) return;
		const controller = new AbortController();
		entry.controller = controller;
		const preparing = entry.preparing;
		entry.preparing = undefined;
		if (preparing) controller.signal.addEventListener('abort', () => preparing.controller.abort(controller.signal.reason), {once: true});
		// Its place among the jobs prepared ahead is free now.
		this.prepareAhead();
		job.state = 'uploading';
		job.startedAt = new Date().toISOString();
		job.finishedAt = undefined;
		job.error = undefined;
		job.stack = undefined;
		job.runs++;
		entry.runStartedAt = Date.now();
		entry.bytesThisRun = 0;
		entry.meter.reset();
		this.stateChanged(entry);
		if (job.step !== 'pending' || job.staleFileIds.length > 0) {
			this.options.logger?.info({id: job.id, name: job.name, step: job.step, fileId: job.fileId, run: job.runs}, `upload resumed: ${job.name} (from step ${job.step})`);
		}
		const context = this.contextFor(entry);
		try {
			let prepared: PreparedLocal | undefined;
			if (preparing) {
				const outcome = await preparing.outcome;
				if ('error' in outcome) throw outcome.error;
				prepared = outcome.prepared;
			}
			await runJob(job, context, controller.signal, prepared);
			if (controller.signal.aborted) throw controller.signal.reason;
			if (this.stacker) {
				job.stack = await this.stacker.place(job, controller.signal, () => this.unfinishedJobs());
				if (controller.signal.aborted) throw controller.signal.reason;
			}
			job.state = 'done';
			job.bytesDone = job.size;
			job.partsDone = job.partsTotal;
			job.finishedAt = new Date().toISOString();
			await this.persistNow().catch(() => {});
			this.report(entry, 'done');
		} catch (error) {
			const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
			if (reason instanceof ShutdownError) {
				job.state = 'queued';
				return;
			}
			if (reason instanceof CancelledError) {
				await discardPlaceholder(job, context).catch(() => {});
				job.state = 'cancelled';
				job.finishedAt = new Date().toISOString();
				await this.persistNow().catch(() => {});
				this.report(entry, 'cancelled');
				return;
			}
			const message = redactText(errorMessage(error));
			await cleanupFailed(job, context, error);
			job.state = 'failed';
			job.error = message;
			job.finishedAt = new Date().toISOString();
			await this.persistNow().catch(() => {});
			this.report(entry, 'failed', message);
		} finally {
			entry.controller = undefined;
			entry.running = undefined;
			this.stateChanged(entry);
			this.checkIdle();
		}
	}

	private contextFor(entry: Entry): RunContext {
		const {options} = this;
		return {
			api: options.api,
			accountId: options.accountId,
			settings: options.settings,
			transport: this.transport,
			gate: this.gate,
			logger: options.logger,
			random: options.random,
			resolveFolder: options.resolveFolder ? () => options.resolveFolder!(this.snapshotOf(entry)) : undefined,
			changed: kind => (kind === 'state' ? this.stateChanged(entry) : this.throttle.touch(entry.job.id)),
			persistNow: () => this.persistNow(),
			beginVerify: signal => {
				entry.releaseTransfer?.();
				return this.verifySlots.acquire(signal);
			},
			claimedElsewhere: fileId => {
				for (const other of this.entries.values()) if (other !== entry && other.job.fileId === fileId) return true;
				return false;
			},
			onPartsInFlight: delta => {
				entry.partsInFlight += delta;
				this.throttle.touch(entry.job.id);
			},
			onBytes: delta => {
				const {job} = entry;
				job.bytesDone = Math.max(0, Math.min(job.size, job.bytesDone + delta));
				entry.bytesThisRun += delta;
				entry.meter.add(delta);
				this.wire.add(delta);
				this.throttle.touch(job.id);
			},
		};
	}

	private persistNow(): Promise<void> {
		if (this.store) return this.store.flush();
		return this.options.journal ? this.options.journal.write(this.jobs()) : Promise.resolve();
	}

	private jobs(): UploadJob[] {
		return [...this.entries.values()].map(entry => entry.job);
	}

	private stateChanged(entry: Entry): void {
		this.throttle.markEmitted(entry.job.id);
		this.store?.schedule();
		this.emit({type: 'state', job: this.snapshotOf(entry)});
		this.stacker?.wake();
	}

	/** The jobs still to finish (queued, uploading, verifying): a version waits for the older ones of its shot. */
	private unfinishedJobs(): UploadJob[] {
		return [...this.entries.values()].map(entry => entry.job).filter(job => job.state === 'queued' || job.state === 'uploading' || job.state === 'verifying');
	}

	/** The end of a run: the metrics event on the bus and the log line. */
	private report(entry: Entry, outcome: UploadOutcome, reason?: string): void {
		reportFinished(entry.job, {outcome, reason, runStartedAt: entry.runStartedAt, bytesThisRun: entry.bytesThisRun}, this.options.bus, this.options.logger);
	}

	private emit(event: QueueEvent): void {
		for (const listener of this.listeners) {
			try {
				listener(event);
			} catch {
				// a listener's bug must not break an upload
			}
		}
	}

	private snapshotOf(entry: Entry, now = Date.now()): UploadJobSnapshot {
		const active = entry.job.state === 'uploading';
		if (active) entry.meter.sample(now);
		return jobSnapshot(entry.job, active ? entry.meter.value : 0, entry.partsInFlight, this.paused);
	}

	private isIdle(): boolean {
		for (const entry of this.entries.values()) {
			const {state} = entry.job;
			if (state === 'queued' || state === 'uploading' || state === 'verifying') return false;
		}
		return true;
	}

	private checkIdle(): void {
		if (this.idleWaiters.length === 0 || !this.isIdle()) return;
		for (const wake of this.idleWaiters.splice(0)) wake();
	}

	private track(promise: Promise<unknown>): void {
		this.background.add(promise);
		void promise.finally(() => this.background.delete(promise));
	}
}
