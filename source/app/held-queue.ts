// The console's Uploads tab when another process of this box holds the upload queue (`watch` as a service, or an
// `upload` run): it follows that process's live report (upload/live-report.ts) instead of refusing to start, and
// says whose uploads these are. Every change is refused with the reason: only the holder may change its jobs.
import {UploadInputError} from '../upload/index.js';
import {isProcessAlive} from '../upload/process-alive.js';
import {LIVE_REPORT_STALE_MS, readLiveReport, type LiveReport} from '../upload/live-report.js';
import {emptyTotals} from '../upload/queue-snapshot.js';
import type {UploadQueueSnapshot} from '../upload/job.js';
import {formatSeconds} from '../format/duration.js';
import {printable} from '../format/printable.js';
import type {UploadsSource} from '../store/ports.js';

export type HeldQueueSource = UploadsSource & {
	/** Whose uploads these are, and how fresh: the line above them. */
	heldNote(): string;
	/** Settles once the report was read the first time. */
	ready: Promise<void>;
	stop(): void;
};

const EMPTY: UploadQueueSnapshot = {jobs: [], total: emptyTotals()};

export function followHeldQueue(stateDir: string, options: {intervalMs?: number; now?: () => number} = {}): HeldQueueSource {
	const now = options.now ?? Date.now;
	const listeners = new Set<() => void>();
	let report: LiveReport | null = null;
	/** The last holder seen: when its report goes (it closed the queue), the note says it stopped. */
	let lastSeen: LiveReport | null = null;
	let problem: string | null = null;
	let lastText = '';
	let reading = false;
	const read = async () => {
		// A slow disk: one read at a time, so that an older answer never lands after a newer one.
		if (reading) return;
		reading = true;
		try {
			await readOnce();
		} finally {
			reading = false;
		}
	};
	const readOnce = async () => {
		let next: LiveReport | null = report;
		let nextProblem: string | null = null;
		try {
			next = await readLiveReport(stateDir);
		} catch (error) {
			nextProblem = (error as Error).message;
		}
		const text = JSON.stringify([next, nextProblem, stale(next)]);
		if (text === lastText) return;
		lastText = text;
		report = next;
		if (next) lastSeen = next;
		problem = nextProblem;
		for (const listener of listeners) listener();
	};
	const stale = (current: LiveReport | null) => current !== null && now() - current.at > LIVE_REPORT_STALE_MS;
	const ready = read();
	const timer = setInterval(() => void read(), options.intervalMs ?? 1000);
	timer.unref();
	const refusal = () =>
		new UploadInputError(`${holder(report ?? lastSeen)} holds this box's upload queue: only it adds, cancels, retries or pauses its uploads (stop it, then restart the console, to manage them here)`);
	const refuse = async (): Promise<never> => {
		throw refusal();
	};
	const heldNote = () => {
		if (problem) return `${holder(report)} holds the upload queue; its report cannot be read: ${printable(problem)}`;
		if (!report && lastSeen) return `${holder(lastSeen)} stopped: restart the console to manage uploads here`;
		if (!report) return 'another frameio-admin process holds the upload queue; no progress reported yet';
		const age = now() - report.at;
		if (age > LIVE_REPORT_STALE_MS && !isProcessAlive(report.pid)) return `${holder(report)} is gone (killed?): restart the console to manage uploads here`;
		if (age > LIVE_REPORT_STALE_MS) return `${holder(report)} holds the upload queue but has not reported for ${formatSeconds(age / 1000)}: figures as it last said`;
		return `uploads of ${holder(report)}, which holds this box's queue (read-only here)`;
	};
	return {
		snapshot: () => report?.snapshot ?? EMPTY,
		onChange(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		add: refuse,
		cancel: refuse,
		retryFailed: refuse,
		pause: () => {
			throw refusal();
		},
		resume: () => {
			throw refusal();
		},
		heldNote,
		ready,
		// Read on every refresh of the Uploads tab: whose uploads these are, and how fresh.
		get note() {
			return heldNote();
		},
		get heldBy() {
			return holder(report ?? lastSeen);
		},
		stop() {
			clearInterval(timer);
			listeners.clear();
		},
	};
}

function holder(report: LiveReport | null): string {
	return report ? `${printable(report.role).slice(0, 20)} (pid ${report.pid})` : 'another frameio-admin process';
}
