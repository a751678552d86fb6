// What listeners and the console see of the queue: copies of the jobs with rates, and the totals.
import {finishedStates, percentOf, type UploadJob, type UploadJobSnapshot, type UploadTotals} from './job.js';
import {urlForLog} from './safe-url.js';
import {etaSeconds} from './speed-meter.js';

/** A copy of the job without its resume bookkeeping; a source URL loses its query (it may hold a credential). */
export function jobSnapshot(job: UploadJob, speed: number, partsInFlight = 0): UploadJobSnapshot {
	const {staleFileIds: _stale, creatingSince: _since, statusLink: _link, target, sourceUrl, ...rest} = job;
	const active = job.state === 'uploading';
	return {
		...rest,
		target: target ? {...target} : undefined,
		sourceUrl: sourceUrl ? urlForLog(sourceUrl) : undefined,
		percent: job.state === 'done' ? 100 : percentOf(job.bytesDone, job.size),
		partsInFlight,
		speed: active ? speed : 0,
		eta: active ? etaSeconds(job.size - job.bytesDone, speed) : null,
	};
}

/** Counts by state, bytes and parts of the jobs not cancelled, and the ETA of what is left to send. */
export function queueTotals(jobs: UploadJobSnapshot[], speed: number, paused: boolean): UploadTotals {
	const total: UploadTotals = {
		files: jobs.length,
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
	let remaining = 0;
	for (const job of jobs) {
		total[job.state]++;
		total.retries += job.retries;
		if (job.state === 'cancelled') continue;
		total.bytesDone += job.state === 'done' ? job.size : job.bytesDone;
		total.bytesTotal += job.size;
		total.partsDone += job.partsDone;
		total.partsTotal += job.partsTotal;
		if (!finishedStates.has(job.state)) remaining += job.size - job.bytesDone;
	}
	const pending = total.queued + total.uploading + total.verifying;
	total.percent = percentOf(total.bytesDone, total.bytesTotal);
	total.speed = total.uploading > 0 ? speed : 0;
	total.eta = remaining > 0 ? etaSeconds(remaining, total.speed) : pending > 0 ? null : 0;
	return total;
}
