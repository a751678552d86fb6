/** The seed's human line: `2025-01-07 14:30:15 - frameio.structure - INFO - Cache hit: projects_123456`. */
// A log message quotes servers and files (a folder name, an API error's detail): the line is made printable, so that
// `logs` and `logs -f` never replay an escape sequence onto the terminal, and one record stays one line.
import {printable} from '../format/printable.js';

export type LogRecord = {time: string; level: string; logger?: string; msg?: string; [key: string]: unknown};

const pad = (n: number) => String(n).padStart(2, '0');

export function formatTimestamp(date: Date): string {
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

const levelNames: Record<string, string> = {
	trace: 'DEBUG',
	debug: 'DEBUG',
	info: 'INFO',
	warn: 'WARNING',
	error: 'ERROR',
	fatal: 'CRITICAL',
};

export function formatHumanLine(record: LogRecord): string {
	const level = levelNames[record.level] ?? String(record.level).toUpperCase();
	return printable(`${formatTimestamp(new Date(record.time))} - ${record.logger ?? 'frameio'} - ${level} - ${record.msg ?? ''}`);
}
