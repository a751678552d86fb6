// Durations and intervals in the config files, each with an upper bound. Node's timers hold at most 2³¹−1 ms
// (24.8 days): a longer delay fires after 1 ms instead, so request_timeout_seconds 3000000 made every request time
// out at once. The bounds below are what a setting could sensibly need, all well under that limit; the message
// names the bound in the setting's own unit.
import * as z from 'zod';

export const MAX_TIMER_MS = 2 ** 31 - 1;

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 24 * HOUR;

function spoken(totalSeconds: number): string {
	if (totalSeconds % DAY === 0) return `${totalSeconds / DAY} day${totalSeconds === DAY ? '' : 's'}`;
	if (totalSeconds % HOUR === 0) return `${totalSeconds / HOUR} h`;
	if (totalSeconds % MINUTE === 0) return `${totalSeconds / MINUTE} min`;
	return `${totalSeconds} s`;
}

function bounded(schema: z.ZodNumber, max: number, unit: 's' | 'h', unitSeconds: number): z.ZodNumber {
	if (max * unitSeconds * 1000 > MAX_TIMER_MS) throw new RangeError(`a bound of ${max} ${unit} does not fit a timer`);
	return schema.max(max, {message: `expected at most ${max} ${unit} (${spoken(max * unitSeconds)})`});
}

/** A positive number of seconds, at most `max`. */
export const seconds = (max: number) => bounded(z.number().positive(), max, 's', 1);

/** Seconds where 0 means "none" (no window, no delay, no cooldown), at most `max`. */
export const secondsOrZero = (max: number) => bounded(z.number().min(0), max, 's', 1);

/** A positive number of hours, at most `max`. */
export const hours = (max: number) => bounded(z.number().positive(), max, 'h', HOUR);
