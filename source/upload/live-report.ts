// One process holds a state dir's upload queue (its lock, queue-store.ts): typically `watch` running as a service.
// A console opened on the same box cannot take the queue, but its engineer wants to follow those uploads with real
// progress. The queue file only changes with a job's state, so the holder also reports its live snapshot (bytes,
// speeds, ETAs) in uploads.live.json beside it: on a change, at most once per interval, and every few seconds when
// nothing moves, so that a reader can tell a live holder from one that died. A reader reads it; it never writes.
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type {UploadJobSnapshot, UploadQueueSnapshot} from './job.js';

export const LIVE_REPORT_FILE = 'uploads.live.json';

/** A report older than this says its holder stopped reporting (it writes at least every KEEPALIVE_MS). */
export const LIVE_REPORT_STALE_MS = 15_000;
const KEEPALIVE_MS = 5_000;
/** Jobs listed at most: every unfinished one first, then the latest finished (the totals count them all). */
const MAX_JOBS = 1000;
/** A report larger than this is not ours, or not sane: it is not read. */
const MAX_REPORT_BYTES = 8 * 1024 * 1024;

export type LiveReport = {
	pid: number;
	/** What holds the queue: watch, upload or console. */
	role: string;
	/** When the holder wrote it (ms since the epoch). */
	at: number;
	snapshot: UploadQueueSnapshot;
};

export type LiveReporter = {close(): Promise<void>};

/**
 * Reports `snapshot()` in `<stateDir>/uploads.live.json` until closed, then removes the file. A write that fails
 * (a full or read-only disk) is told once to `warn` and tried again on the next change: the uploads go on.
 */
export function reportQueueLive(
	stateDir: string,
	snapshot: () => UploadQueueSnapshot,
	options: {role: string; intervalMs?: number; now?: () => number; warn?: (message: string) => void},
): LiveReporter {
	const file = path.join(stateDir, LIVE_REPORT_FILE);
	const now = options.now ?? Date.now;
	let lastText = '';
	let lastWrite = 0;
	let warned = false;
	let writing: Promise<void> = Promise.resolve();
	const tick = () => {
		const current = listed(snapshot());
		const text = JSON.stringify(current);
		const at = now();
		if (text === lastText && at - lastWrite < KEEPALIVE_MS) return;
		lastText = text;
		lastWrite = at;
		const report = `{"pid":${process.pid},"role":${JSON.stringify(options.role)},"at":${at},"snapshot":${text}}\n`;
		writing = writing
			.then(() => writeFileAtomic(file, report, {mode: 0o600}))
			.then(() => {
				warned = false;
			})
			.catch((error: unknown) => {
				lastText = '';
				if (!warned) options.warn?.(`cannot write ${file} (a console on this box shows these uploads from it): ${(error as Error).message}`);
				warned = true;
			});
	};
	tick();
	const timer = setInterval(tick, options.intervalMs ?? 1000);
	timer.unref();
	return {
		async close() {
			clearInterval(timer);
			await writing;
			await rm(file, {force: true}).catch(() => undefined);
		},
	};
}

/** The snapshot with at most MAX_JOBS jobs: the unfinished ones, then the latest finished. */
function listed(snapshot: UploadQueueSnapshot): UploadQueueSnapshot {
	if (snapshot.jobs.length <= MAX_JOBS) return snapshot;
	const unfinished = snapshot.jobs.filter(isUnfinished);
	const finished = snapshot.jobs.filter(job => !isUnfinished(job));
	const room = Math.max(0, MAX_JOBS - unfinished.length);
	return {jobs: [...unfinished.slice(0, MAX_JOBS), ...(room > 0 ? finished.slice(-room) : [])], total: snapshot.total};
}

const isUnfinished = (job: UploadJobSnapshot) => job.state === 'queued' || job.state === 'uploading' || job.state === 'verifying';

/**
 * The holder's last report, or null when there is none. Throws when there is one that cannot be read or is not a
 * report (the message names the file).
 */
export async function readLiveReport(stateDir: string): Promise<LiveReport | null> {
	const file = path.join(stateDir, LIVE_REPORT_FILE);
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
	if (text.length > MAX_REPORT_BYTES) throw new Error(`${file} is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MiB: not a report of ours`);
	let report: unknown;
	try {
		report = JSON.parse(text);
	} catch (error) {
		throw new Error(`${file} is not JSON (${(error as Error).message})`);
	}
	if (!isLiveReport(report)) throw new Error(`${file} is not an upload report of frameio-admin`);
	return report;
}

/** Enough of the shape for the console to draw it; each job's fields are drawn through printable() as any other. */
function isLiveReport(value: unknown): value is LiveReport {
	const report = value as Partial<LiveReport> | null;
	const snapshot = report?.snapshot as Partial<UploadQueueSnapshot> | undefined;
	return (
		typeof report?.pid === 'number' &&
		typeof report.role === 'string' &&
		typeof report.at === 'number' &&
		Array.isArray(snapshot?.jobs) &&
		snapshot.jobs.every(job => typeof job === 'object' && job !== null && typeof job.id === 'string' && typeof job.name === 'string' && typeof job.state === 'string') &&
		typeof snapshot.total === 'object' &&
		snapshot.total !== null
	);
}
