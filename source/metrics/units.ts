// How the metrics' figures read in alerts (messages, alerts.log, Discord) and in the report: trimmed numbers with
// their unit ("7.5 %", "6.2 s", "512 MB"), and N/A for a figure with no data, never a made-up 0.
import {MB} from '../format/bytes.js';
import {formatPercent} from '../format/percent.js';
import {trimNumber} from '../format/number.js';

export const NA = 'N/A';

/** A ratio: "42 %", "7.2 %", "99.9 %". */
export function percent(ratio: number | null): string {
	return formatPercent(ratio, {trim: true});
}

/** A latency in ms: "850 ms", "6.25 s", "12.5 s". */
export function millis(value: number | null): string {
	if (value === null) return NA;
	if (value < 1000) return `${Math.round(value)} ms`;
	return `${trimNumber(value / 1000, value < 10_000 ? 2 : 1)} s`;
}

export function seconds(value: number): string {
	return `${trimNumber(value, 2)} s`;
}

/** Bytes as MB (1024-based, like formatBytes). */
export function megabytes(bytes: number | null): string {
	return bytes === null ? NA : `${trimNumber(bytes / MB, 1)} MB`;
}

export function mbps(value: number | null): string {
	return value === null ? NA : `${trimNumber(value, value < 10 ? 2 : 1)} MB/s`;
}

export function cpu(value: number | null): string {
	return value === null ? NA : `${trimNumber(value, 1)} %`;
}

/** An alert window: 300 → "5 min", 3600 → "1 h", 90 → "90 s", 5400 → "90 min". */
export function windowLength(seconds: number): string {
	if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600} h`;
	if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60} min`;
	return `${trimNumber(seconds, 1)} s`;
}
