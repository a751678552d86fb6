// `frameio-admin logs`: the structured logs in the seed's human form
// (`2025-01-07 14:30:15 - frameio.structure - INFO - Cache hit: projects_123456`), filtered, optionally followed.
import path from 'node:path';
import {resolvePaths} from '../config/paths.js';
import {DurationError, parseDuration} from '../format/duration.js';
import {FileFollower} from '../log/follow-file.js';
import {formatHumanLine} from '../log/human-format.js';
import {levelAliases, matches, type LogFilter} from '../log/log-filter.js';
import {ADMIN_LOG, loggerNames} from '../log/logger.js';
import {emptyReadStats, logFiles, parseLogLine, readLogLines, type ParsedLine} from '../log/read-logs.js';
import {redactText} from '../log/redact.js';
import {defineCommand, EXIT, note, UsageError, type Io} from './kit/command.js';

const DEFAULT_LINES = 50;

export default defineCommand({
	help: `frameio-admin logs: print the structured logs (logs/frameio_admin.log and its rotations) in human form

  Usage
    $ frameio-admin logs [-f] [--level warn] [--logger frameio.upload] [--since 10m] [-n 50]

  Options
    -f, --follow       Keep printing new lines as they are written (across log rotations) until Ctrl-C
    --level L          This level and above: ${Object.keys(levelAliases).join(', ')}
    --logger NAME      Only this logger (repeatable): ${loggerNames.join(', ')}
    --since D          Only lines of the last D: 30s, 10m, 1h, 2d
    -n, --lines N      The last N matching lines (default ${DEFAULT_LINES}; 0 = all)
    --json             The raw JSON lines instead of the human form

  Lines look like: 2025-01-07 14:30:15 - frameio.structure - INFO - Cache hit: projects_123456`,
	flags: {
		follow: {type: 'boolean', shortFlag: 'f', default: false},
		level: {type: 'string'},
		logger: {type: 'string', isMultiple: true},
		since: {type: 'string'},
		lines: {type: 'number', shortFlag: 'n'},
	},
	async run(cli, io) {
		const flags = cli.flags;
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const filter = filterFrom(flags);
		const count = flags.lines ?? DEFAULT_LINES;
		if (!Number.isInteger(count) || count < 0) throw new UsageError(`-n ${flags.lines}: give a whole number of lines (0 = all)`);
		const {logsDir} = resolvePaths(flags);
		const print = printer(io, flags.json);

		if (!flags.follow) {
			const stats = emptyReadStats();
			const last = new LastLines(count);
			for await (const parsed of readLogLines(logFiles(logsDir), {fromMs: filter.fromMs, stats})) {
				if (!matches(parsed, filter)) continue;
				if (count === 0) print(parsed);
				else last.push(parsed);
			}
			for (const parsed of last.lines()) print(parsed);
			if (stats.files.length === 0) note(io, `no log lines yet in ${logsDir}`);
			if (stats.malformed > 0) note(io, `(${stats.malformed} malformed ${stats.malformed === 1 ? 'line' : 'lines'} skipped)`);
			return EXIT.ok;
		}
		return follow(io, logsDir, filter, count, print);
	},
});

function filterFrom(flags: {level?: string; logger?: string[]; since?: string}): LogFilter {
	const filter: LogFilter = {};
	if (flags.level !== undefined) {
		const level = levelAliases[flags.level.toLowerCase()];
		if (!level) throw new UsageError(`--level "${flags.level}" is not a level; use one of: ${Object.keys(levelAliases).join(', ')}`);
		filter.minLevel = level;
	}
	if (flags.logger && flags.logger.length > 0) {
		const unknown = flags.logger.find(name => !(loggerNames as readonly string[]).includes(name));
		if (unknown !== undefined) throw new UsageError(`--logger "${unknown}" is not a logger; use one of: ${loggerNames.join(', ')}`);
		filter.loggers = flags.logger;
	}
	if (flags.since !== undefined) {
		try {
			filter.fromMs = Date.now() - parseDuration(flags.since, 'since');
		} catch (error) {
			if (error instanceof DurationError) throw new UsageError(error.message);
			throw error;
		}
	}
	return filter;
}

function printer(io: Io, json: boolean): (parsed: ParsedLine) => void {
	// The lines were scrubbed when written; scrub again in case a file came from elsewhere.
	return parsed => io.stdout.write(`${redactText(json ? parsed.line : formatHumanLine(parsed.record))}\n`);
}

/** The rotated files as a batch, then the current file through the follower (so no line is read twice or missed). */
async function follow(io: Io, logsDir: string, filter: LogFilter, count: number, print: (parsed: ParsedLine) => void): Promise<number> {
	const current = path.join(logsDir, ADMIN_LOG);
	const last = new LastLines(count);
	const keep = (parsed: ParsedLine) => (count === 0 ? print(parsed) : last.push(parsed));
	const rotated = logFiles(logsDir).filter(file => file !== current);
	for await (const parsed of readLogLines(rotated, {fromMs: filter.fromMs})) if (matches(parsed, filter)) keep(parsed);

	let live = false;
	const follower = new FileFollower(current, line => {
		const parsed = parseLogLine(line);
		if (!parsed || !matches(parsed, filter)) return;
		if (live) print(parsed);
		else keep(parsed);
	});
	follower.poll();
	for (const parsed of last.lines()) print(parsed);
	live = true;
	follower.start();
	// The listeners stay until the end (see report.ts: signal-exit kills a process whose only SIGINT listener is its own).
	let stop = () => {};
	const stopped = new Promise<void>(resolve => (stop = resolve));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	await stopped;
	process.off('SIGINT', stop);
	process.off('SIGTERM', stop);
	follower.stop();
	return EXIT.ok;
}

/** The newest `max` items (all when max is 0), oldest first, in bounded memory. */
class LastLines {
	private readonly items: ParsedLine[] = [];
	private start = 0;

	constructor(private readonly max: number) {}

	push(item: ParsedLine): void {
		if (this.max === 0) return;
		if (this.items.length < this.max) {
			this.items.push(item);
			return;
		}
		this.items[this.start] = item;
		this.start = (this.start + 1) % this.max;
	}

	lines(): ParsedLine[] {
		return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
	}
}
