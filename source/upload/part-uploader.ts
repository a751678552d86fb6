// All parts of one file: in parallel up to parts_concurrency, each retried with back-off, each attempt bounded by
// the part timeout. The first part that fails for good stops the others: the file has failed.
import type {Logger} from 'pino';
import {backoffDelay, sleep} from './backoff.js';
import type {PauseGate} from './pause-gate.js';
import {PartAttemptError, putPart, type PartTransport} from './part-put.js';
import type {PartRange} from './part-ranges.js';
import {urlForLog} from './safe-url.js';
import type {RetrySettings} from './upload-settings.js';

export class PartFailedError extends Error {
	override readonly name = 'PartFailedError';
}

export type PartsProgress = {
	/** Bytes of this file sent so far (may go back when an attempt fails and its bytes are sent again). */
	onBytes(delta: number): void;
	/** A part request started (+1) or ended (-1). */
	onInFlight(delta: 1 | -1): void;
	onPartDone(range: PartRange): void;
	onRetry(range: PartRange, reason: string, delayMs: number): void;
};

export type UploadPartsOptions = {
	path: string;
	mediaType: string;
	ranges: PartRange[];
	concurrency: number;
	timeoutMs: number;
	readBufferBytes: number;
	retry: RetrySettings;
	transport: PartTransport;
	gate: PauseGate;
	signal: AbortSignal;
	progress: PartsProgress;
	logger?: Logger;
	random?: () => number;
};

export async function uploadParts(options: UploadPartsOptions): Promise<void> {
	const {ranges} = options;
	// Aborted by the caller, or by the first part that fails for good.
	const stop = new AbortController();
	const onOuterAbort = () => stop.abort(options.signal.reason);
	if (options.signal.aborted) onOuterAbort();
	else options.signal.addEventListener('abort', onOuterAbort, {once: true});

	let next = 0;
	let failure: unknown;
	const worker = async () => {
		while (!stop.signal.aborted && next < ranges.length) {
			await options.gate.wait(stop.signal);
			if (stop.signal.aborted || next >= ranges.length) return;
			const range = ranges[next++];
			await uploadOnePart(range, ranges.length, options, stop.signal);
		}
	};
	const workers = Array.from({length: Math.max(1, Math.min(options.concurrency, ranges.length))}, () =>
		worker().catch((error: unknown) => {
			if (failure === undefined && !options.signal.aborted) failure = error;
			stop.abort(error);
		}),
	);
	try {
		await Promise.all(workers);
	} finally {
		options.signal.removeEventListener('abort', onOuterAbort);
	}
	if (options.signal.aborted) throw options.signal.reason;
	if (failure !== undefined) throw failure;
}

async function uploadOnePart(range: PartRange, total: number, options: UploadPartsOptions, signal: AbortSignal): Promise<void> {
	const attempts = options.retry.maxRetries + 1;
	for (let attempt = 1; ; attempt++) {
		// Paused: a retry waits too (only requests already on the wire finish).
		if (attempt > 1) await options.gate.wait(signal);
		let sent = 0;
		let failure: unknown;
		options.progress.onInFlight(1);
		try {
			await putPart(range, {
				path: options.path,
				mediaType: options.mediaType,
				transport: options.transport,
				timeoutMs: options.timeoutMs,
				readBufferBytes: options.readBufferBytes,
				signal,
				onBytes: count => {
					sent += count;
					options.progress.onBytes(count);
				},
			});
		} catch (error) {
			failure = error ?? new Error('part upload failed');
		} finally {
			options.progress.onInFlight(-1);
		}
		if (failure === undefined) {
			options.progress.onPartDone(range);
			return;
		}
		// The bytes of a failed attempt will be sent again: progress must not count them twice.
		if (sent > 0) options.progress.onBytes(-sent);
		if (signal.aborted) throw signal.reason;
		const reason = failure instanceof Error ? failure.message : String(failure);
		const retryable = failure instanceof PartAttemptError ? failure.retryable : false;
		if (!retryable) {
			throw new PartFailedError(`part ${range.number}/${total} rejected: ${reason}`);
		}
		if (attempt >= attempts) {
			throw new PartFailedError(`part ${range.number}/${total} failed after ${attempts} attempts: ${reason}`);
		}
		const delay = backoffDelay(attempt - 1, options.retry, options.random);
		options.logger?.warn(
			{part: range.number, parts: total, attempt, delayMs: delay, url: urlForLog(range.url)},
			`part ${range.number}/${total} attempt ${attempt} failed: ${reason}; retrying in ${delay} ms`,
		);
		options.progress.onRetry(range, reason, delay);
		await sleep(delay, signal);
	}
}
