// proper-lockfile's lock (a `<file>.lock` directory, refreshed while held, taken over when stale), retried only while
// another process holds it. proper-lockfile's own retries retry every error: on a read-only or full disk, or without
// permission, the mkdir fails the same way each time, and 60 retries only delayed the failure by 16 s (`cache clear`
// on a read-only state dir). Those errors now fail at once.
import lockfile from 'proper-lockfile';

export type LockRetry = {retries: number; minTimeoutMs: number; maxTimeoutMs: number; factor: number; randomize?: boolean};

export type LockFileOptions = {
	staleMs: number;
	/** How often a holder refreshes the lock; proper-lockfile's default (staleMs / 2) when unset. */
	updateMs?: number;
	retry: LockRetry;
	onCompromised?: (error: Error) => void;
};

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

function delayMs(retry: LockRetry, attempt: number): number {
	const base = Math.min(retry.maxTimeoutMs, retry.minTimeoutMs * retry.factor ** attempt);
	return Math.round(retry.randomize ? base * (1 + Math.random()) : base);
}

/** Takes the lock on `file`; resolves to its release. Rejects with ELOCKED after the retries, or at once with any other error. */
export async function lockFile(file: string, options: LockFileOptions): Promise<() => Promise<void>> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await lockfile.lock(file, {
				realpath: false,
				stale: options.staleMs,
				...(options.updateMs !== undefined ? {update: options.updateMs} : {}),
				...(options.onCompromised ? {onCompromised: options.onCompromised} : {}),
				retries: 0,
			});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ELOCKED' || attempt >= options.retry.retries) throw error;
			await sleep(delayMs(options.retry, attempt));
		}
	}
}
