// One way to write a transfer speed, in the console, the upload commands and the report: MB/s, 1024-based like
// formatBytes (1 MB = 1 048 576 bytes), so a speed on screen is the figure the report shows for the same upload.
import {MB} from './bytes.js';

/** `2.0 MB/s`; `- MB/s` while there is no speed to show (nothing sent yet, or paused). */
export function formatSpeed(bytesPerSecond: number | null): string {
	if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '- MB/s';
	return `${(bytesPerSecond / MB).toFixed(1)} MB/s`;
}

/** MB per second over bytes and seconds, rounded to 2 decimals for JSON; 0 when no time passed. */
export function mbps(bytes: number, seconds: number): number {
	if (!(seconds > 0)) return 0;
	return Math.round((bytes / MB / seconds) * 100) / 100;
}
