// Which log lines `frameio-admin logs` shows: a minimum level, some loggers, a start time.
import {levelRank, type ParsedLine} from './read-logs.js';

export type LogFilter = {minLevel?: string; loggers?: readonly string[]; fromMs?: number};

/** User-facing level names (the human format's WARNING and CRITICAL work too) → pino's. */
export const levelAliases: Record<string, string> = {
	debug: 'debug',
	info: 'info',
	warn: 'warn',
	warning: 'warn',
	error: 'error',
	fatal: 'fatal',
	critical: 'fatal',
};

export function matches(parsed: ParsedLine, filter: LogFilter): boolean {
	if (filter.fromMs !== undefined && parsed.at < filter.fromMs) return false;
	if (filter.minLevel !== undefined && levelRank(parsed.record.level) < levelRank(filter.minLevel)) return false;
	if (filter.loggers && filter.loggers.length > 0 && !filter.loggers.includes(parsed.record.logger ?? '')) return false;
	return true;
}
