// --json for upload and watch: one JSON object per line (NDJSON), each with `event` and `at`:
//   note, queued, progress (coalesced: at most one per file per progressMs), done, failed, cancelled, refused,
//   skipped, and a final summary. Field names are snake_case like the API's.
import type {JobStack, UploadJobSnapshot} from '../../upload/job.js';
import {describeStack} from '../../upload/version-stacker.js';
import type {FinishedView, QueuedView, Refusal, RunSummary, SessionSnapshot, Skip, UploadReporter} from './report-types.js';
import {mbps} from '../../format/speed.js';

export type JsonReporterOptions = {
	out: NodeJS.WritableStream;
	/** false: no progress events. */
	progress: boolean;
	progressMs?: number;
};

export class JsonReporter implements UploadReporter {
	private readonly lastProgress = new Map<string, {at: number; bytes: number}>();

	constructor(private readonly options: JsonReporterOptions) {}

	start(_read: () => SessionSnapshot): void {}

	note(message: string): void {
		this.emit('note', {message});
	}

	queued(job: QueuedView): void {
		this.emit('queued', {id: job.id, name: job.name, path: job.path ?? null, size: job.size, folder_path: job.folderPath ?? null, resumed: job.resumed});
	}

	progress(job: UploadJobSnapshot): void {
		if (!this.options.progress || job.state !== 'uploading') return;
		const now = Date.now();
		const last = this.lastProgress.get(job.id);
		if (last && (last.bytes === job.bytesDone || now - last.at < (this.options.progressMs ?? 1000))) return;
		this.lastProgress.set(job.id, {at: now, bytes: job.bytesDone});
		this.emit('progress', {
			id: job.id,
			name: job.name,
			bytes_done: job.bytesDone,
			bytes_total: job.size,
			percent: Math.round(job.percent * 10) / 10,
			mbps: mbps(job.speed, 1),
			eta_seconds: job.eta === null ? null : Math.round(job.eta),
			parts_done: job.partsDone,
			parts_total: job.partsTotal,
			retries: job.retries,
		});
	}

	finished(job: FinishedView): void {
		this.lastProgress.delete(job.id);
		if (job.state === 'done') {
			this.emit('done', {
				id: job.id,
				name: job.name,
				file_id: job.fileId ?? null,
				file_size: job.size,
				view_url: job.viewUrl ?? null,
				folder_id: job.folderId ?? null,
				folder_path: job.folderPath ?? null,
				bytes_sent: job.bytesSent,
				seconds: round(job.seconds),
				mbps: mbps(job.bytesSent, job.seconds),
				retries: job.retries,
				stack: job.stack ? stackFields(job.stack) : null,
			});
		} else {
			this.emit(job.state, {id: job.id, name: job.name, reason: job.reason ?? job.state, folder_path: job.folderPath ?? null});
		}
	}

	refused(refusal: Refusal): void {
		this.emit('refused', {name: refusal.name, path: refusal.path ?? null, reason: refusal.reason, examples: refusal.examples ?? []});
	}

	skipped(skip: Skip): void {
		this.emit('skipped', {name: skip.name, path: skip.path ?? null, reason: skip.reason, file_id: skip.fileId ?? null, folder_path: skip.folderPath ?? null});
	}

	summary(summary: RunSummary): void {
		this.emit('summary', {
			files: summary.files,
			done: summary.done,
			failed: summary.failed,
			cancelled: summary.cancelled,
			pending: summary.pending,
			refused: summary.refused,
			skipped: summary.skipped,
			bytes: summary.bytes,
			seconds: round(summary.seconds),
			mbps: mbps(summary.bytes, summary.seconds),
			interrupted: summary.interrupted,
		});
	}

	stop(): void {
		this.lastProgress.clear();
	}

	private emit(event: string, fields: Record<string, unknown>): void {
		this.options.out.write(`${JSON.stringify({event, at: new Date().toISOString(), ...fields})}\n`);
	}
}

/** `{state, stack_id, on, head, created, reason, text}`: the placement, and the phrase the text output shows. */
export function stackFields(stack: JobStack): Record<string, unknown> {
	return {
		state: stack.state,
		stack_id: stack.stackId ?? null,
		on: stack.on ?? null,
		head: stack.head ?? null,
		created: stack.created ?? false,
		reason: stack.reason ?? null,
		text: describeStack(stack),
	};
}

function round(seconds: number): number {
	return Math.round(seconds * 1000) / 1000;
}
