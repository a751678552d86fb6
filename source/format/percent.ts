// Ratios and progress as percentages.
import {trimNumber} from './number.js';

/**
 * A ratio in [0, 1] as `42.0 %` (fixed decimals, for columns that must not jump), or with `trim` as `42 %` /
 * `7.5 %` (messages, alerts and the report). N/A when there is no data: never a made-up 0.
 */
export function formatPercent(ratio: number | null, options: {digits?: number; trim?: boolean} = {}): string {
	if (ratio === null || !Number.isFinite(ratio)) return 'N/A';
	const digits = options.digits ?? 1;
	return `${options.trim ? trimNumber(ratio * 100, digits) : (ratio * 100).toFixed(digits)} %`;
}

/** How far a transfer is (a percent, 0 to 100), rounded down: `99 %` until the last byte is in, never `100 %` early. */
export function formatProgress(percent: number): string {
	return Number.isFinite(percent) ? `${Math.floor(Math.max(0, Math.min(100, percent)))} %` : '-';
}

/** A bar of `width` cells for a ratio in [0, 1]: block glyphs on the console, `[###---]` in plain text. */
export function progressBar(ratio: number, width: number, style: 'blocks' | 'ascii' = 'blocks'): string {
	if (width <= 0) return '';
	const cells = style === 'ascii' ? Math.max(1, width - 2) : width;
	const clamped = Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 0;
	const filled = Math.round(clamped * cells);
	if (style === 'ascii') return `[${'#'.repeat(filled)}${'-'.repeat(cells - filled)}]`;
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}
