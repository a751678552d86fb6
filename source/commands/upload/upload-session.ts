// One run of an upload command over the queue: which jobs this run is about (added now or resumed), their events
// turned into reporter calls, and the run's summary. Finished jobs are forgotten once reported (only counted), so
// a long `watch` keeps flat memory.
import type {EventBus, UploadEvent} from '../../events/index.js';
import {queueTotals} from '../../upload/queue-snapshot.js';
import type {UploadJobSnapshot} from '../../upload/job.js';
import {folderPathOf} from '../../upload/job-target.js';
import type {AddInput, QueueEvent, UploadQueue} from '../../upload/upload-queue.js';
import type {FinishedView, Refusal, RunSummary, SessionSnapshot, Skip, UploadReporter} from './report-types.js';

type Counts = {files: number; done: number; failed: number; cancelled: number; refused: number; skipped: number; bytes: number};

export class UploadSession {
	private readonly active = new Set<string>();
	private readonly runs = new Map<string, UploadEvent>();
	private readonly counts: Counts = {files: 0, done: 0, failed: 0, cancelled: 0, refused: 0, skipped: 0, bytes: 0};
	private readonly startedAt = Date.now();
	private readonly unsubscribe: Array<() => void> = [];
	private readonly finishedListeners = new Set<(job: FinishedView) => void>();
	private drainWaiters: Array<() => void> = [];

	constructor(
		private readonly queue: UploadQueue,
		bus: EventBus,
		private readonly reporter: UploadReporter,
	) {
		this.unsubscribe.push(queue.on(event => this.onQueueEvent(event)));
		this.unsubscribe.push(
			bus.on(event => {
				if (event.type === 'upload' && this.active.has(event.id)) this.runs.set(event.id, event);
			}),
		);
	}

	/** Jobs a previous run left unfinished, and a note saying so (open the queue paused, call this, then start()). */
	adoptResumed(): UploadJobSnapshot[] {
		const resumed = this.queue.snapshot().jobs.filter(job => job.state === 'queued');
		if (resumed.length > 0) this.reporter.note(`resuming ${resumed.length} unfinished upload${resumed.length === 1 ? '' : 's'} from a previous run`);
		for (const job of resumed) this.track(job, true);
		return resumed;
	}

	add(input: AddInput): UploadJobSnapshot {
		const job = this.queue.add(input);
		this.track(job, false);
		return job;
	}

	/** A failed job from a previous run, queued again. */
	retry(job: UploadJobSnapshot): boolean {
		if (!this.queue.retry(job.id)) return false;
		this.track(job, true);
		return true;
	}

	refuse(refusal: Refusal): void {
		this.counts.refused++;
		this.reporter.refused(refusal);
	}

	skip(skip: Skip): void {
		this.counts.skipped++;
		this.reporter.skipped(skip);
	}

	note(message: string): void {
		this.reporter.note(message);
	}

	/** Starts the reporter's periodic output and the queue. */
	start(): void {
		this.reporter.start(() => this.snapshot());
		this.queue.resume();
	}

	onFinished(listener: (job: FinishedView) => void): () => void {
		this.finishedListeners.add(listener);
		return () => this.finishedListeners.delete(listener);
	}

	/**
	 * Resolves once every job of this run has been reported finished. (The queue's onIdle() can resolve a moment
	 * before the last job's state event, while that job's final write is in flight; this waits for the event.)
	 */
	drained(): Promise<void> {
		if (this.active.size === 0) return Promise.resolve();
		return new Promise(resolve => this.drainWaiters.push(resolve));
	}

	/** Jobs of this run not finished yet. */
	get pending(): number {
		return this.active.size;
	}

	get failures(): number {
		return this.counts.failed + this.counts.refused;
	}

	snapshot(): SessionSnapshot {
		const all = this.queue.snapshot();
		const jobs = all.jobs.filter(job => this.active.has(job.id));
		const total = queueTotals(jobs, all.total.paused);
		// Finished jobs are forgotten: count them back in so that "files 2/3 done" covers the whole run.
		total.files += this.counts.done + this.counts.failed + this.counts.cancelled;
		total.done += this.counts.done;
		total.failed += this.counts.failed;
		total.cancelled += this.counts.cancelled;
		return {jobs, total, elapsedMs: Date.now() - this.startedAt};
	}

	summary(interrupted: boolean): RunSummary {
		const seconds = (Date.now() - this.startedAt) / 1000;
		const {files, done, failed, cancelled, refused, skipped, bytes} = this.counts;
		return {files, done, failed, cancelled, pending: this.active.size, refused, skipped, bytes, seconds, mbps: seconds > 0 ? bytes / (1024 * 1024) / seconds : 0, interrupted};
	}

	close(): void {
		for (const off of this.unsubscribe.splice(0)) off();
		this.reporter.stop();
	}

	private track(job: UploadJobSnapshot, resumed: boolean): void {
		if (this.active.has(job.id)) return;
		this.active.add(job.id);
		this.counts.files++;
		this.reporter.queued({id: job.id, name: job.name, path: job.path, size: job.size, folderPath: folderPathOf(job), resumed});
	}

	private onQueueEvent(event: QueueEvent): void {
		if (event.type === 'progress') {
			if (this.active.has(event.job.id)) this.reporter.progress(event.job);
			return;
		}
		if (event.type !== 'state') return;
		const {job} = event;
		if (!this.active.has(job.id)) return;
		if (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled') return;
		this.active.delete(job.id);
		const run = this.runs.get(job.id);
		this.runs.delete(job.id);
		const view: FinishedView = {
			id: job.id,
			name: job.name,
			state: job.state,
			size: job.size,
			fileId: job.fileId,
			viewUrl: job.viewUrl,
			folderId: job.targetFolderId,
			folderPath: folderPathOf(job),
			bytesSent: run?.bytes ?? 0,
			seconds: run?.seconds ?? 0,
			mbps: run?.mbps ?? 0,
			retries: job.retries,
			reason: job.error,
			stack: job.stack,
		};
		this.counts[job.state]++;
		this.counts.bytes += view.bytesSent;
		this.reporter.finished(view);
		for (const listener of this.finishedListeners) listener(view);
		if (this.active.size === 0) for (const wake of this.drainWaiters.splice(0)) wake();
	}
}
