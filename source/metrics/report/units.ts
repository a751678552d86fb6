// How the report writes numbers: N/A for a figure with no data, never a made-up 0.
import {MB} from '../metrics-store.js';

export const NA = 'N/A';

export function percent(value: number | null): string {
	if (value === null) return NA;
	// One decimal, dropped when it is .0: "42 %", "7.2 %", "99.9 %".
	return `${trim(value * 100, 1)} %`;
}

export function millis(value: number | null): string {
	if (value === null) return NA;
	if (value < 1000) return `${Math.round(value)} ms`;
	return `${trim(value / 1000, value < 10_000 ? 2 : 1)} s`;
}

export function seconds(value: number): string {
	return `${trim(value, 2)} s`;
}

export function megabytes(bytes: number | null): string {
	return bytes === null ? NA : `${trim(bytes / MB, 1)} MB`;
}

export function mbps(value: number | null): string {
	return value === null ? NA : `${trim(value, value < 10 ? 2 : 1)} MB/s`;
}

export function cpu(value: number | null): string {
	return value === null ? NA : `${trim(value, 1)} %`;
}

/** Rounds to `digits` and drops trailing zeros: 6.20 → "6.2", 5.00 → "5". */
export function trim(value: number, digits: number): string {
	return String(Number(value.toFixed(digits)));
}
