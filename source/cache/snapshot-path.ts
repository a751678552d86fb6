import path from 'node:path';

export const SNAPSHOT_FILE = 'cache.json';

/**
 * The cache snapshot every process shares: `<stateDir>/cache.json`, or `<stateDir>/sandbox/cache.json` for the
 * sandbox profile, so that sandbox IDs never mix with a real account's.
 */
export function cacheSnapshotPath(stateDir: string, options: {sandbox?: boolean} = {}): string {
	return options.sandbox ? path.join(stateDir, 'sandbox', SNAPSHOT_FILE) : path.join(stateDir, SNAPSHOT_FILE);
}

/** The journal next to a snapshot: `cache.json` → `cache.journal`. */
export function cacheJournalPath(snapshotFile: string): string {
	return snapshotFile.endsWith('.json') ? `${snapshotFile.slice(0, -'.json'.length)}.journal` : `${snapshotFile}.journal`;
}

/** The journal of the previous generation, kept for readers that had not finished it when it was replaced. */
export function previousJournalPath(snapshotFile: string): string {
	return `${cacheJournalPath(snapshotFile)}.prev`;
}
