/** How alert values, thresholds and windows read in messages, alerts.log and Discord. */

const trim = (value: number, digits: number) => String(Number(value.toFixed(digits)));

export const formatPercent = (ratioValue: number) => `${trim(ratioValue * 100, 1)} %`;
export const formatSeconds = (seconds: number) => `${trim(seconds, 2)} s`;
export const formatMegabytes = (mb: number) => `${trim(mb, 1)} MB`;

/** 300 → "5 min", 3600 → "1 h", 90 → "90 s", 5400 → "90 min". */
export function formatWindow(seconds: number): string {
	if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600} h`;
	if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60} min`;
	return `${trim(seconds, 1)} s`;
}
