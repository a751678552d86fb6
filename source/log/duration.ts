// Durations as users type them on the command line: `30s`, `10m`, `1h`, `2d` (also `1.5h`, `90m`).

const unitMs = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000} as const;

export class DurationError extends Error {
	override readonly name = 'DurationError';
}

/** Milliseconds of `30s`/`10m`/`1h`/`2d`; throws DurationError with the accepted forms on anything else. */
export function parseDuration(text: string, flag = 'duration'): number {
	const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/i.exec(text);
	const ms = match ? Number(match[1]) * unitMs[match[2].toLowerCase() as keyof typeof unitMs] : NaN;
	if (!match || !Number.isFinite(ms) || ms <= 0) {
		throw new DurationError(`--${flag} "${text}" is not a duration: use a number and a unit s, m, h or d (e.g. 30s, 10m, 1h, 2d)`);
	}
	return Math.round(ms);
}

/** The shortest exact form: 3600000 → "1h", 90000 → "90s", 5400000 → "90m". */
export function formatDuration(ms: number): string {
	for (const unit of ['d', 'h', 'm', 's'] as const) {
		if (ms >= unitMs[unit] && ms % unitMs[unit] === 0) return `${ms / unitMs[unit]}${unit}`;
	}
	return `${Math.round(ms / 100) / 10}s`;
}
