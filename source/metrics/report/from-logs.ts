// Figures for a window of the structured logs: the lines of logs/frameio_admin.log and its rotations are replayed
// into a MetricsStore, the same code the console's live figures come from.
import {statSync} from 'node:fs';
import {emptyReadStats, logFiles, readLogLines} from '../../log/read-logs.js';
import type {Figures} from '../figures.js';
import {MetricsStore} from '../metrics-store.js';
import {eventsOfLine} from './log-replay.js';
import type {LogSource} from './report-model.js';

export type FromLogsOptions = {
	logsDir: string;
	windowMs: number;
	/** End of the window (default now). */
	now?: number;
	slowOperationThresholdSeconds: number;
};

// At most this many buckets, whatever the window: a 2-day report uses 48 s buckets instead of 172 800 seconds.
const MAX_BUCKETS = 3600;
// The smallest line carrying a latency is longer than this, so bytes / this bounds the number of latencies.
const MIN_API_LINE_BYTES = 120;
const MAX_LATENCY_SAMPLES = 2_000_000;

export async function figuresFromLogs(options: FromLogsOptions): Promise<{figures: Figures; source: LogSource}> {
	const now = options.now ?? Date.now();
	const from = now - options.windowMs;
	const files = logFiles(options.logsDir);
	const bucketMs = Math.max(1, Math.ceil(options.windowMs / MAX_BUCKETS / 1000)) * 1000;
	// One more bucket than the window holds: a window that does not start on a bucket boundary straddles one.
	const buckets = Math.ceil(options.windowMs / bucketMs) + 1;
	const bytes = files.reduce((total, file) => total + Math.max(0, sizeOf(file)), 0);
	const store = new MetricsStore({
		slowOperationThresholdSeconds: options.slowOperationThresholdSeconds,
		retentionSeconds: (buckets * bucketMs) / 1000,
		bucketMs,
		// Enough for every call in the files, so that the median and p95 cover the whole window.
		latencySamples: Math.min(MAX_LATENCY_SAMPLES, Math.max(1000, Math.ceil(bytes / MIN_API_LINE_BYTES))),
		uploadSamples: Math.min(MAX_LATENCY_SAMPLES, Math.max(1000, Math.ceil(bytes / MIN_API_LINE_BYTES))),
		now: () => now,
	});

	const stats = emptyReadStats();
	let eventLines = 0;
	let unusable = 0;
	for await (const line of readLogLines(files, {fromMs: from, toMs: now, stats})) {
		const events = eventsOfLine(line);
		if (events === 'malformed') {
			unusable++;
			continue;
		}
		if (events.length === 0) continue;
		eventLines++;
		for (const event of events) store.record(event);
	}

	const raw = store.figures(buckets * bucketMs, now);
	const figures: Figures = {
		...raw,
		// The window asked for, not the bucket-aligned span that holds it.
		window: {ms: options.windowMs, seconds: options.windowMs / 1000, from, to: now},
		api: {...raw.api, ratePerSec: raw.api.total / (options.windowMs / 1000)},
	};
	return {
		figures,
		source: {
			kind: 'logs',
			files: stats.files,
			lines: stats.lines,
			linesInWindow: stats.inWindow,
			eventLines,
			malformed: stats.malformed + unusable,
		},
	};
}

function sizeOf(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return -1;
	}
}
