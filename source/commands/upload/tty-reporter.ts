// Output on a terminal: the result lines scroll as usual, and under them a live view of the active uploads (one
// row each, then a total row) is rewritten in place a few times a second. Idle means no writes at all.
import type {UploadJobSnapshot} from '../../upload/job.js';
import {LiveRegion, type LiveOutput} from './live-region.js';
import type {FinishedView, QueuedView, Refusal, RunSummary, SessionSnapshot, Skip, UploadReporter} from './report-types.js';
import {finishedLine, jobRow, queuedLine, refusedLine, runSummaryLine, skippedLine, totalRow} from './text-lines.js';

export type TtyReporterOptions = {
	out: LiveOutput;
	/** false (--no-progress): result lines only, no live view. */
	progress: boolean;
	refreshMs?: number;
	/** Rows for active jobs at most; the rest are counted in the total row. */
	maxRows?: number;
	showQueued?: boolean;
	/** false: no per-file result lines (the caller prints its own). */
	showResults?: boolean;
};

export class TtyReporter implements UploadReporter {
	private readonly region: LiveRegion;
	private pending: string[] = [];
	private timer: NodeJS.Timeout | undefined;
	private read: (() => SessionSnapshot) | undefined;

	constructor(private readonly options: TtyReporterOptions) {
		this.region = new LiveRegion(options.out);
	}

	start(read: () => SessionSnapshot): void {
		this.read = read;
		if (!this.options.progress) return;
		this.timer = setInterval(() => this.draw(), this.options.refreshMs ?? 250);
		this.timer.unref?.();
	}

	note(message: string): void {
		this.line(message);
	}

	queued(job: QueuedView): void {
		if (this.options.showQueued !== false) this.line(queuedLine(job));
	}

	progress(_job: UploadJobSnapshot): void {
		// Drawn on the refresh clock from the snapshot, not per event.
	}

	finished(job: FinishedView): void {
		if (this.options.showResults !== false) this.line(finishedLine(job));
	}

	refused(refusal: Refusal): void {
		this.line(refusedLine(refusal));
	}

	skipped(skip: Skip): void {
		this.line(skippedLine(skip));
	}

	summary(summary: RunSummary): void {
		this.region.clear();
		this.flushLines();
		this.options.out.write(`${runSummaryLine(summary)}\n`);
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		this.region.clear();
		this.flushLines();
	}

	/** A permanent line: printed above the live view at once. */
	private line(text: string): void {
		this.pending.push(text);
		if (this.timer) this.draw();
		else this.flushLines();
	}

	private flushLines(): void {
		if (this.pending.length === 0) return;
		this.options.out.write(this.pending.map(line => `${line}\n`).join(''));
		this.pending = [];
	}

	private draw(): void {
		const above = this.pending;
		this.pending = [];
		const snapshot = this.read?.();
		const live: string[] = [];
		if (snapshot) {
			const active = snapshot.jobs.filter(job => job.state === 'uploading' || job.state === 'verifying');
			const columns = this.region.columns - 1;
			const maxRows = this.options.maxRows ?? 8;
			for (const job of active.slice(0, maxRows)) live.push(jobRow(job, columns));
			if (active.length > maxRows) live.push(`… and ${active.length - maxRows} more uploading`);
			const {total} = snapshot;
			if (total.queued + total.uploading + total.verifying > 0) live.push(totalRow(total, snapshot.elapsedMs));
		}
		this.region.render(above, live);
	}
}
