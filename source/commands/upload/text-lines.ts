// The human lines of the upload commands, shared by the plain (non-TTY) output and the live TTY view:
// one result line per file (rclone/aws style) and the progress summaries.
import {printable} from '../../format/printable.js';
import type {UploadJobSnapshot, UploadTotals} from '../../upload/job.js';
import type {FinishedView, QueuedView, Refusal, RunSummary, Skip} from './report-types.js';
import {formatBytes, formatBytesOf} from '../../format/bytes.js';
import {formatDuration, formatEta} from '../../format/duration.js';
import {formatProgress, progressBar} from '../../format/percent.js';
import {formatSpeed} from '../../format/speed.js';
import {fitMiddle} from '../../format/text.js';
import {describeStack} from '../../upload/version-stacker.js';

const LABEL_WIDTH = 9;
const label = (text: string) => text.padEnd(LABEL_WIDTH);

/** `done    UNDLM_SEQ01_00042_v002.mp4  104.9 MB  12.3 MB/s  -> WIP_BYSHOT/SC01_SEQ01/UNDLM_00042 (id …)` */
export function finishedLine(job: FinishedView): string {
	const name = printable(job.name);
	if (job.state === 'done') {
		const where = job.folderPath ? `  -> ${printable(job.folderPath)}` : '';
		const id = job.fileId ? ` (id ${job.fileId})` : '';
		const speed = job.bytesSent > 0 ? formatSpeed(job.bytesSent / Math.max(job.seconds, 0.001)) : 'verified';
		const stack = job.stack ? `  ${printable(describeStack(job.stack))}` : '';
		return `${label('done')}${name}  ${formatBytes(job.size)}  ${speed}${where}${id}${stack}`;
	}
	if (job.state === 'cancelled') return `${label('cancel')}${name}  cancelled`;
	return `${label('failed')}${name}  ${printable(job.reason ?? 'failed')}`;
}

export function queuedLine(job: QueuedView): string {
	const where = job.folderPath ? `  -> ${printable(job.folderPath)}` : '';
	return `${label(job.resumed ? 'resume' : 'queued')}${printable(job.name)}  ${formatBytes(job.size)}${where}`;
}

export function refusedLine(refusal: Refusal): string {
	const examples = refusal.examples && refusal.examples.length > 0 ? ` (valid names look like: ${refusal.examples.join(', ')})` : '';
	return `${label('refused')}${printable(refusal.name)}  ${printable(refusal.reason)}${examples}`;
}

export function skippedLine(skip: Skip): string {
	const where = skip.folderPath ? ` in ${skip.folderPath}` : '';
	const id = skip.fileId ? ` (id ${skip.fileId})` : '';
	return `${label('skipped')}${printable(skip.name)}  ${printable(skip.reason)}${printable(where)}${id}`;
}

/** The periodic line without a TTY: `progress  42%  52.4 MB / 104.9 MB  12.3 MB/s  ETA 4s  files 1/3 done, 2 active, 0 failed  parts 9/20  4.2s` */
export function summaryLine(total: UploadTotals, elapsedMs: number): string {
	const active = total.uploading + total.verifying;
	return [
		label('progress'),
		`${formatProgress(total.percent)}  `,
		`${formatBytes(total.bytesDone)} / ${formatBytes(total.bytesTotal)}  `,
		`${formatSpeed(total.speed)}  `,
		`ETA ${formatEta(total.eta)}  `,
		`files ${total.done}/${total.files - total.cancelled} done, ${active} active, ${total.queued} queued, ${total.failed} failed  `,
		`parts ${total.partsDone}/${total.partsTotal}  `,
		total.retries > 0 ? `retries ${total.retries}  ` : '',
		total.paused ? 'PAUSED  ' : '',
		formatDuration(elapsedMs),
	].join('');
}

/** One row of the live view: name, bar, %, bytes, speed, ETA, parts, retries; fitted to `columns`. */
export function jobRow(job: UploadJobSnapshot, columns: number): string {
	const state = job.state === 'verifying' ? 'verifying' : job.state === 'queued' ? 'queued' : '';
	const parts = job.partsTotal > 0 ? `  parts ${job.partsDone}/${job.partsTotal}` : '';
	const retries = job.retries > 0 ? `  retries ${job.retries}` : '';
	const figures = state
		? `  ${state}  ${formatBytes(job.size)}${parts}`
		: `  ${formatProgress(job.percent).padStart(4)}  ${formatBytesOf(job.bytesDone, job.size)}  ${formatSpeed(job.speed)}  ETA ${formatEta(job.eta)}${parts}${retries}`;
	// The name first (up to 28), then the bar (10 to 22); the figures always show.
	const room = columns - figures.length;
	const name = printable(job.name);
	const nameWidth = Math.max(Math.min(12, Math.max(6, room)), Math.min(name.length, 28, room - 11));
	const barWidth = Math.min(22, room - nameWidth - 1);
	const bar = barWidth >= 6 ? ` ${progressBar(job.percent / 100, barWidth, 'ascii')}` : '';
	return `${fitMiddle(name, nameWidth)}${bar}${figures}`;
}

/** The live view's total row. */
export function totalRow(total: UploadTotals, elapsedMs: number): string {
	const active = total.uploading + total.verifying;
	return [
		`total ${progressBar(total.percent / 100, 12, 'ascii')} ${formatProgress(total.percent)}`,
		formatBytesOf(total.bytesDone, total.bytesTotal),
		formatSpeed(total.speed),
		`ETA ${formatEta(total.eta)}`,
		`files ${total.done}/${total.files - total.cancelled}${active ? `, ${active} active` : ''}${total.failed ? `, ${total.failed} failed` : ''}`,
		total.paused ? 'PAUSED' : '',
		formatDuration(elapsedMs),
	]
		.filter(Boolean)
		.join('  ');
}

/** The last line: what happened, in one sentence. */
export function runSummaryLine(summary: RunSummary): string {
	const parts = [`${summary.done} done`];
	if (summary.failed) parts.push(`${summary.failed} failed`);
	if (summary.refused) parts.push(`${summary.refused} refused`);
	if (summary.skipped) parts.push(`${summary.skipped} skipped`);
	if (summary.cancelled) parts.push(`${summary.cancelled} cancelled`);
	if (summary.pending) parts.push(`${summary.pending} not finished`);
	const speed = summary.bytes > 0 ? `, ${formatBytes(summary.bytes)} sent at ${formatSpeed(summary.bytes / Math.max(summary.seconds, 0.001))}` : '';
	return `${label('summary')}${parts.join(', ')} in ${formatDuration(summary.seconds * 1000)}${speed}`;
}
