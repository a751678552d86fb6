// Output without a TTY (cron, CI, a pipe): one result line per file, and one summary line every statsInterval
// while something is uploading. Nothing is rewritten in place, so a log file reads top to bottom.
import type {UploadJobSnapshot} from '../../upload/job.js';
import type {FinishedView, QueuedView, Refusal, RunSummary, SessionSnapshot, Skip, UploadReporter} from './report-types.js';
import {finishedLine, queuedLine, refusedLine, runSummaryLine, skippedLine, summaryLine} from './text-lines.js';

export type PlainReporterOptions = {
	out: NodeJS.WritableStream;
	/** Period of the summary line; 0 or progress false: none. */
	statsIntervalMs: number;
	progress: boolean;
	/** Also print a line when a job is queued. */
	showQueued?: boolean;
	/** false: no per-file result lines (the caller prints its own). */
	showResults?: boolean;
};

export class PlainReporter implements UploadReporter {
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly options: PlainReporterOptions) {}

	start(read: () => SessionSnapshot): void {
		if (!this.options.progress || this.options.statsIntervalMs <= 0) return;
		this.timer = setInterval(() => {
			const snapshot = read();
			const {total} = snapshot;
			if (total.queued + total.uploading + total.verifying === 0) return;
			this.write(summaryLine(total, snapshot.elapsedMs));
		}, this.options.statsIntervalMs);
		this.timer.unref?.();
	}

	note(message: string): void {
		this.write(message);
	}

	queued(job: QueuedView): void {
		if (this.options.showQueued !== false) this.write(queuedLine(job));
	}

	progress(_job: UploadJobSnapshot): void {
		// Only the periodic summary: a line per progress event would flood a log.
	}

	finished(job: FinishedView): void {
		if (this.options.showResults !== false) this.write(finishedLine(job));
	}

	refused(refusal: Refusal): void {
		this.write(refusedLine(refusal));
	}

	skipped(skip: Skip): void {
		this.write(skippedLine(skip));
	}

	summary(summary: RunSummary): void {
		this.write(runSummaryLine(summary));
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	private write(line: string): void {
		this.options.out.write(`${line}\n`);
	}
}
