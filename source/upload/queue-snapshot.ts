// What listeners and the console see of the queue: copies of the jobs with rates, and the totals.
import {finishedStates, percentOf, type UploadJob, type UploadJobSnapshot, type UploadTotals} from './job.js';
import {urlForLog} from './safe-url.js';
import {etaSeconds} from './speed-meter.js';

/** What a transfer whose last part is still unanswered may show at most: it reads `99 %`. */
const LAST_PART_PENDING = 99.9;

/**
 * A copy of the job without its resume bookkeeping; a source URL loses its query (it may hold a credential).
 * `percent` says what has landed: bytes sent count, but it stays below 100 until every part has been answered.
 * A job of a paused queue with no part in flight is not moving: no speed, no ETA (not a decaying rate and a growing
 * ETA).
 */
export function jobSnapshot(job: UploadJob, speed: number, partsInFlight = 0, paused = false): UploadJobSnapshot {
	const {staleFileIds: _stale, creatingSince: _since, statusLink: _link, target, sourceUrl, ...rest} = job;
	const moving = job.state === 'uploading' && !(paused && partsInFlight === 0);
	return {
		...rest,
		target: target ? {...target} : undefined,
		sourceUrl: sourceUrl ? urlForLog(sourceUrl) : undefined,
		percent: progressPercent(job),
		partsInFlight,
		speed: moving ? speed : 0,
		eta: moving ? etaSeconds(job.size - job.bytesDone, speed) : null,
	};
}

/** Bytes sent over the size, held under 100 while a part has not been answered (its bytes are out, not landed). */
function progressPercent(job: UploadJob): number {
	if (job.state === 'done' || job.state === 'verifying') return 100;
	const landed = job.partsTotal > 0 && job.partsDone >= job.partsTotal;
	return landed ? percentOf(job.bytesDone, job.size) : Math.min(percentOf(job.bytesDone, job.size), LAST_PART_PENDING);
}

/** The totals of an empty queue. */
export function emptyTotals(paused = false): UploadTotals {
	return {
		files: 0,
		queued: 0,
		uploading: 0,
		verifying: 0,
		done: 0,
		failed: 0,
		cancelled: 0,
		bytesDone: 0,
		bytesTotal: 0,
		percent: 0,
		speed: 0,
		eta: null,
		partsDone: 0,
		partsTotal: 0,
		retries: 0,
		paused,
	};
}

/**
 * Counts by state, bytes and parts of the jobs not cancelled, and the ETA of what is left to send. The speed is the
 * sum of the rows' speeds, so that the totals line agrees with the rows above it.
 */
export function queueTotals(jobs: UploadJobSnapshot[], paused: boolean): UploadTotals {
	const total: UploadTotals = {...emptyTotals(paused), files: jobs.length};
	let remaining = 0;
	let pending = 0;
	for (const job of jobs) {
		total[job.state]++;
		total.retries += job.retries;
		if (job.state === 'cancelled') continue;
		total.bytesDone += job.state === 'done' ? job.size : job.bytesDone;
		total.bytesTotal += job.size;
		total.partsDone += job.partsDone;
		total.partsTotal += job.partsTotal;
		if (!finishedStates.has(job.state)) {
			remaining += job.size - job.bytesDone;
			pending++;
		}
	}
	total.percent = Math.min(percentOf(total.bytesDone, total.bytesTotal), pending > 0 ? LAST_PART_PENDING : 100);
	total.speed = jobs.reduce((sum, job) => sum + (job.state === 'uploading' ? job.speed : 0), 0);
	total.eta = remaining > 0 ? etaSeconds(remaining, total.speed) : pending > 0 ? null : 0;
	return total;
}
