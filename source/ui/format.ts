// How numbers, sizes, times and names read on screen. Fixed widths are the table's business, not these.

import {formatBytes} from '../format/bytes.js';

export {formatBytes};


export function formatSpeed(bytesPerSecond: number | null): string {
	return bytesPerSecond === null || !Number.isFinite(bytesPerSecond) ? '-' : `${formatBytes(bytesPerSecond)}/s`;
}

/** 850 ms, 1.2 s, 3m20s, 2h05m. */
export function formatDuration(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms)) return '-';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	return formatSeconds(ms / 1000);
}

/** 45s, 3m20s, 2h05m, 3d04h. */
export function formatSeconds(seconds: number | null): string {
	if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '-';
	const s = Math.round(seconds);
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
	return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}

/**
 * Compact, for columns: <1m, 3m, 2h, 4d. Under a minute it says "<1m" rather than counting seconds: a column of
 * ages that ticks every refresh repaints an idle screen, and a cache entry's age matters in minutes.
 */
export function formatAge(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) return '<1m';
	if (s < 3600) return `${Math.floor(s / 60)}m`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h`;
	return `${Math.floor(s / 86_400)}d`;
}

export function formatPercent(ratio: number | null, digits = 1): string {
	return ratio === null || !Number.isFinite(ratio) ? 'N/A' : `${(ratio * 100).toFixed(digits)} %`;
}

/** 1 234 567: thin grouping that reads the same in any locale. */
export function formatCount(value: number): string {
	return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function formatClock(at: number | null): string {
	if (at === null) return '--:--:--';
	const date = new Date(at);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

export function formatNumber(value: number | null, digits = 1): string {
	return value === null || !Number.isFinite(value) ? 'N/A' : value.toFixed(digits);
}

/** Cuts the end: "a long name…". */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	const chars = [...text];
	if (chars.length <= width) return text;
	return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}

/** Keeps both ends: "UNDLM_SEQ0…00042_v002.mp4", so that version and extension stay visible. */
export function middleEllipsis(text: string, width: number): string {
	if (width <= 0) return '';
	const chars = [...text];
	if (chars.length <= width) return text;
	if (width === 1) return '…';
	const tail = Math.floor((width - 1) / 2);
	const head = width - 1 - tail;
	return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** Exactly `width` columns: cut with an ellipsis or padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width);
	const pad = Math.max(0, width - [...cut].length);
	return align === 'left' ? cut + ' '.repeat(pad) : ' '.repeat(pad) + cut;
}
