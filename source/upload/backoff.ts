import type {RetrySettings} from './upload-settings.js';

/** Exponential back-off with full jitter: a random delay in [0, min(max, base·factor^attempt)]. */
export function backoffDelay(attempt: number, settings: RetrySettings, random: () => number = Math.random): number {
	const ceiling = Math.min(settings.maxMs, settings.baseMs * settings.factor ** attempt);
	return Math.round(ceiling * random());
}

/** Resolves after ms, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal!.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
