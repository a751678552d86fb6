import type {OptimizationConfig} from '../config/index.js';

export type RetrySettings = {
	/** Retries after the first attempt; a part gets maxRetries + 1 attempts. */
	maxRetries: number;
	baseMs: number;
	factor: number;
	maxMs: number;
};

export type PollSettings = {initialMs: number; factor: number; maxMs: number};

export type UploadSettings = {
	/** Files transferring at once: creating their placeholder and sending their parts. */
	maxConcurrentUploads: number;
	/**
	 * Files waiting for Frame.io to confirm them (status polls, the size check, the optional transcode wait) at once.
	 * Apart from maxConcurrentUploads, so that a file whose bytes are in does not hold a transfer slot; bounded, so
	 * that thousands of files done sending cannot pile up polls (the status endpoint allows 5 calls a second).
	 */
	verifyConcurrency: number;
	partsConcurrency: number;
	/** One part PUT, start to response. */
	partTimeoutMs: number;
	/** Read buffer of one part's stream (upload_optimization.chunk_size, never more than the part). */
	readBufferBytes: number;
	retry: RetrySettings;
	/** Giving up on upload_complete (and on transcoded) after this long. */
	statusDeadlineMs: number;
	waitForTranscode: boolean;
	poll: PollSettings;
	/** At most one progress event per file per this many ms. */
	progressIntervalMs: number;
};

export type UploadSettingsOverrides = Partial<Omit<UploadSettings, 'retry' | 'poll'>> & {
	retry?: Partial<RetrySettings>;
	poll?: Partial<PollSettings>;
};

/** The engine's numbers, from config/optimization.json (upload_optimization, error_handling, rate_limiting). */
export function uploadSettingsFrom(config: OptimizationConfig, overrides: UploadSettingsOverrides = {}): UploadSettings {
	const upload = config.upload_optimization;
	const errors = config.error_handling;
	const {retry, poll, ...rest} = overrides;
	return {
		maxConcurrentUploads: upload.max_concurrent_uploads,
		partsConcurrency: upload.parts_concurrency,
		partTimeoutMs: upload.timeout_seconds * 1000,
		readBufferBytes: upload.chunk_size,
		statusDeadlineMs: upload.status_poll_deadline_seconds * 1000,
		waitForTranscode: upload.wait_for_transcode,
		progressIntervalMs: 200,
		...rest,
		verifyConcurrency: rest.verifyConcurrency ?? Math.max(4, 2 * (rest.maxConcurrentUploads ?? upload.max_concurrent_uploads)),
		retry: {
			maxRetries: errors.max_retries,
			baseMs: errors.retry_delay_base * 1000,
			factor: config.rate_limiting.backoff_factor,
			maxMs: errors.retry_delay_max * 1000,
			...retry,
		},
		// Frame.io documents no poll interval; start quick (small files finish fast) and back off to a few seconds.
		poll: {initialMs: 250, factor: 1.5, maxMs: 5000, ...poll},
	};
}
