// The end of one run of a job: the UploadEvent metrics and alerts read, and the frameio.upload log line.
import type {Logger} from 'pino';
import type {EventBus, UploadOutcome} from '../events/index.js';
import type {UploadJob} from './job.js';

const MiB = 1024 * 1024;

export type RunOutcome = {outcome: UploadOutcome; reason?: string; runStartedAt?: number; bytesThisRun: number};

/** MB/s are MiB per second (1 MB = 1 048 576 bytes), over this run's bytes and time. */
export function reportFinished(job: UploadJob, run: RunOutcome, bus?: EventBus, logger?: Logger): void {
	const {outcome, reason} = run;
	const seconds = run.runStartedAt ? Math.max(0.001, (Date.now() - run.runStartedAt) / 1000) : 0;
	// Bytes this run actually moved: a resumed job that only had to be verified moved none.
	const bytes = job.kind === 'remote' ? (outcome === 'done' ? job.size : 0) : Math.max(0, run.bytesThisRun);
	const mbps = seconds > 0 ? bytes / MiB / seconds : 0;
	bus?.emit({type: 'upload', at: Date.now(), id: job.id, name: job.name, bytes, seconds, mbps, outcome, reason});
	const fields = {id: job.id, name: job.name, fileId: job.fileId, bytes, seconds: round(seconds, 3), mbps: round(mbps, 2), retries: job.retries};
	if (outcome === 'done') {
		logger?.info(fields, `upload done: ${job.name}, ${round(bytes / MiB, 2)} MB in ${round(seconds, 2)} s (${round(mbps, 2)} MB/s)`);
	} else if (outcome === 'failed') {
		logger?.error({...fields, reason}, `upload failed: ${job.name}: ${reason}`);
	} else {
		logger?.info(fields, `upload cancelled: ${job.name}`);
	}
}

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}
