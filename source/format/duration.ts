// Durations, one way everywhere: measured times (`850 ms`, `1.5 s`, `3m20s`), whole-second spans such as an ETA or a
// TTL (`25s`, `15m00s`, `2h05m`, `3d04h`), ages in a column (`<1m`, `3m`), and the durations users type on the
// command line (`30s`, `10m`, `1h`, `2d`).

/** 850 ms, 1.5 s, then formatSeconds: 3m20s, 2h05m. `-` when unknown. */
export function formatDuration(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms) || ms < 0) return '-';
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	return formatSeconds(ms / 1000);
}

/** Whole seconds: 45s, 3m20s, 2h05m, 3d04h. `-` when unknown. */
export function formatSeconds(seconds: number | null): string {
	if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '-';
	const s = Math.round(seconds);
	const pad = (n: number) => String(n).padStart(2, '0');
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
	return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** Time left, rounded up: 0.2 s left is `1s`, never `0s` while something is still running. */
export function formatEta(seconds: number | null): string {
	return seconds === null || !Number.isFinite(seconds) || seconds < 0 ? '-' : formatSeconds(Math.ceil(seconds));
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

/** A wall-clock time of day, 14:30:15 (local time, as the logs' human form). */
export function formatClock(at: number | null): string {
	if (at === null) return '--:--:--';
	const date = new Date(at);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

const unitMs = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000} as const;

export class DurationError extends Error {
	override readonly name = 'DurationError';
}

/** Milliseconds of `30s`/`10m`/`1h`/`2d` (also `1.5h`); throws DurationError with the accepted forms otherwise. */
export function parseDuration(text: string, flag = 'duration'): number {
	const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/i.exec(text);
	const ms = match ? Number(match[1]) * unitMs[match[2].toLowerCase() as keyof typeof unitMs] : NaN;
	// A well-formed zero is refused for what it is, not as a typo.
	if (match && ms === 0) throw new DurationError(`--${flag} "${text}" is zero: give a duration longer than 0 (e.g. 30s, 10m, 1h, 2d)`);
	if (!match || !Number.isFinite(ms) || ms <= 0) {
		throw new DurationError(`--${flag} "${text}" is not a duration: use a number and a unit s, m, h or d (e.g. 30s, 10m, 1h, 2d)`);
	}
	return Math.round(ms);
}

/** The inverse of parseDuration, in the shortest exact form: 3600000 → "1h", 90000 → "90s", 5400000 → "90m". */
export function formatTypedDuration(ms: number): string {
	for (const unit of ['d', 'h', 'm', 's'] as const) {
		if (ms >= unitMs[unit] && ms % unitMs[unit] === 0) return `${ms / unitMs[unit]}${unit}`;
	}
	return `${Math.round(ms / 100) / 10}s`;
}
