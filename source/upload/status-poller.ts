// Waiting for Frame.io to finish a file after its bytes are in: there is no "complete" call, the status moves
// by itself. Poll with back-off until it says complete or failed, or the deadline passes.
import type {FrameioFile, UploadStatus} from '../frameio/types.js';
import {sleep} from './backoff.js';
import {errorMessage, isTransientApiError} from './upload-api.js';
import type {PollSettings} from './upload-settings.js';

export class UploadVerifyError extends Error {
	override readonly name = 'UploadVerifyError';
	constructor(
		message: string,
		/** Frame.io itself said the upload failed (as opposed to our waiting running out). */
		readonly serverFailed = false,
	) {
		super(message);
	}
}

export type PollOptions = {
	poll: PollSettings;
	deadlineMs: number;
	signal: AbortSignal;
	/** A transient error while polling (the client already retried it): counted, then polling goes on. */
	onTransientError?: (error: unknown) => void;
};

/**
 * Calls check() until it returns a value, backing off between calls. Transient API errors are tolerated until the
 * deadline; anything else (404: the file is gone; 401 …) ends the wait at once.
 */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
	const deadline = Date.now() + options.deadlineMs;
	let delay = options.poll.initialMs;
	let lastError: unknown;
	for (;;) {
		if (options.signal.aborted) throw options.signal.reason;
		try {
			const value = await check();
			if (value !== undefined) return value;
			lastError = undefined;
		} catch (error) {
			if (options.signal.aborted) throw options.signal.reason;
			if (error instanceof UploadVerifyError || !isTransientApiError(error)) throw error;
			lastError = error;
			options.onTransientError?.(error);
		}
		const left = deadline - Date.now();
		if (left <= 0) {
			const seconds = Math.round(options.deadlineMs / 1000);
			throw new UploadVerifyError(`${what} after ${seconds} s${lastError ? ` (last error: ${errorMessage(lastError)})` : ''}`);
		}
		await sleep(Math.min(delay, left), options.signal);
		delay = Math.min(options.poll.maxMs, delay * options.poll.factor);
	}
}

/** Polls an upload status until upload_complete; upload_failed is an error. */
export function waitForUploadComplete(read: () => Promise<UploadStatus>, options: PollOptions): Promise<UploadStatus> {
	return pollUntil(
		'upload not complete',
		async () => {
			const status = await read();
			if (status.upload_failed) throw new UploadVerifyError('Frame.io reports upload_failed', true);
			return status.upload_complete ? status : undefined;
		},
		options,
	);
}

/** Polls the file until its renditions are ready (status "transcoded"). */
export function waitForTranscoded(read: () => Promise<FrameioFile>, options: PollOptions): Promise<FrameioFile> {
	return pollUntil(
		'not transcoded',
		async () => {
			const file = await read();
			return file.status === 'transcoded' ? file : undefined;
		},
		options,
	);
}
