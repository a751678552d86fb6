// How sizes, speeds and times read in the upload commands' output. 1024-based, like the metrics and the report
// (1 MB = 1 048 576 bytes), so that a speed printed here is the figure the report shows for the same upload.

import {formatBytes, sizeUnit} from '../../format/bytes.js';

export {formatBytes};

/** `0.4/1.0 MB`: done in the unit of the total, so a progress row stays short. */
export function formatBytesOf(done: number, total: number): string {
	const unit = sizeUnit(total);
	if (unit.bytes === 1) return `${done}/${total} B`;
	return `${(done / unit.bytes).toFixed(1)}/${(total / unit.bytes).toFixed(1)} ${unit.name}`;
}

export function formatSpeed(bytesPerSecond: number): string {
	if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '- MB/s';
	return `${(bytesPerSecond / (1024 * 1024)).toFixed(1)} MB/s`;
}

/** 45s, 3m20s, 2h05m; "-" when unknown. */
export function formatEta(seconds: number | null): string {
	if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '-';
	const s = Math.ceil(seconds);
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Elapsed time for summaries: 0.4s, 12.3s, 3m20s. */
export function formatElapsed(ms: number): string {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
	return formatEta(ms / 1000);
}

export function formatPercent(percent: number): string {
	return `${Math.floor(Math.max(0, Math.min(100, percent)))}%`;
}

/** [#########-----------] */
export function progressBar(percent: number, width: number): string {
	const inner = Math.max(1, width - 2);
	const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * inner);
	return `[${'#'.repeat(filled)}${'-'.repeat(inner - filled)}]`;
}

/** Keeps the start and, longer, the end of a long name (shot and version are at the end): UNDLM_…00042_v002.mp4 */
export function middleEllipsis(text: string, width: number): string {
	if (text.length <= width) return text;
	if (width <= 1) return text.slice(0, width);
	const head = Math.floor((width - 1) / 3);
	const tail = width - 1 - head;
	return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** MiB per second over bytes and seconds, rounded for JSON. */
export function mbps(bytes: number, seconds: number): number {
	if (!(seconds > 0)) return 0;
	return Math.round((bytes / (1024 * 1024) / seconds) * 100) / 100;
}
