// Reading our own JSON log lines back: for the report (a window of activity) and the `logs` viewer.
// Files are streamed line by line (they can be large), oldest first across rotations: x.log.N … x.log.1, x.log.
import {createReadStream, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {createInterface} from 'node:readline';
import type {LogRecord} from './human-format.js';
import {ADMIN_LOG} from './logger.js';

export type ParsedLine = {record: LogRecord; at: number; line: string};

export type ReadStats = {
	/** Files read, oldest first (a rotated file entirely older than the window is not opened). */
	files: string[];
	/** Non-empty lines read. */
	lines: number;
	/** Lines that are not one of our JSON records: cut, corrupted, or not JSON at all. */
	malformed: number;
	/** Well-formed lines inside the window. */
	inWindow: number;
};

export const emptyReadStats = (): ReadStats => ({files: [], lines: 0, malformed: 0, inWindow: 0});

export const levelNames = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LevelName = (typeof levelNames)[number];
const numericLevels: Record<number, LevelName> = {10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal'};

/** The rank of a level name, for "this level and above" filters; -1 when unknown. */
export function levelRank(level: string): number {
	return levelNames.indexOf(level as LevelName);
}

/** One of our lines, or null when the line is not a JSON record with a time and a level. */
export function parseLogLine(line: string): ParsedLine | null {
	if (!line.startsWith('{')) return null;
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return null;
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
	const record = value as Record<string, unknown>;
	const at = typeof record.time === 'string' ? Date.parse(record.time) : typeof record.time === 'number' ? record.time : NaN;
	if (!Number.isFinite(at)) return null;
	const level = typeof record.level === 'number' ? numericLevels[record.level] : record.level;
	if (typeof level !== 'string') return null;
	return {record: {...record, time: new Date(at).toISOString(), level} as LogRecord, at, line};
}

/** The log file and its rotations that exist, oldest first. */
export function logFiles(logsDir: string, base: string = ADMIN_LOG): string[] {
	let names: string[];
	try {
		names = readdirSync(logsDir);
	} catch {
		return [];
	}
	const rotated = names
		.map(name => ({name, index: rotationIndex(name, base)}))
		.filter((entry): entry is {name: string; index: number} => entry.index !== null)
		.sort((a, b) => b.index - a.index)
		.map(entry => path.join(logsDir, entry.name));
	return names.includes(base) ? [...rotated, path.join(logsDir, base)] : rotated;
}

function rotationIndex(name: string, base: string): number | null {
	if (!name.startsWith(`${base}.`)) return null;
	const suffix = name.slice(base.length + 1);
	return /^\d+$/.test(suffix) ? Number(suffix) : null;
}

export type ReadOptions = {
	/** Only lines at or after this time (epoch ms). */
	fromMs?: number;
	/** Only lines at or before this time. */
	toMs?: number;
	/** Filled in while reading. */
	stats?: ReadStats;
};

/** The well-formed lines of `files` within the window, in file order. Malformed lines are counted and skipped. */
export async function* readLogLines(files: readonly string[], options: ReadOptions = {}): AsyncGenerator<ParsedLine> {
	const stats = options.stats ?? emptyReadStats();
	const from = options.fromMs ?? -Infinity;
	const to = options.toMs ?? Infinity;
	for (const file of files) {
		// A file last written before the window holds nothing in it: skip it without reading.
		const modified = mtimeOf(file);
		if (modified === null || modified < from) continue;
		stats.files.push(file);
		const input = createReadStream(file, {encoding: 'utf8'});
		const lines = createInterface({input, crlfDelay: Infinity});
		try {
			for await (const line of lines) {
				if (line.trim() === '') continue;
				stats.lines++;
				const parsed = parseLogLine(line);
				if (!parsed) {
					stats.malformed++;
					continue;
				}
				if (parsed.at < from || parsed.at > to) continue;
				stats.inWindow++;
				yield parsed;
			}
		} catch (error) {
			// Rotated away between listing and opening: nothing to read there any more.
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		} finally {
			lines.close();
			input.destroy();
		}
	}
}

function mtimeOf(file: string): number | null {
	try {
		return statSync(file).mtimeMs;
	} catch {
		return null;
	}
}
