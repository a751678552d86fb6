import path from 'node:path';
import pino, {type Logger} from 'pino';
import {formatHumanLine, type LogRecord} from './human-format.js';
import {redactText, redactValue} from './redact.js';
import {RotatingFile} from './rotating-file.js';

export const loggerNames = ['frameio.api', 'frameio.cache', 'frameio.structure', 'frameio.upload', 'frameio.alerts', 'frameio.app'] as const;
export type LoggerName = (typeof loggerNames)[number];

export const ADMIN_LOG = 'frameio_admin.log';
export const ERRORS_LOG = 'frameio_errors.log';

export type Logging = {
	get(name: LoggerName): Logger;
	flush(): void;
	close(): void;
	readonly dir: string;
};

export type LoggingOptions = {
	logsDir: string;
	debug?: boolean;
	maxBytes?: number;
	keep?: number;
	/** A log file cannot be written (a full or read-only disk): once per file and failure. Default: a line on stderr. */
	onWriteError?: (message: string) => void;
	/** How long lines are dropped after a failed write before writing is tried again (default 30 s). */
	retryMs?: number;
	now?: () => number;
	/** --verbose: every line also goes here, in the human form, as it is written. */
	echo?: {write(text: string): unknown};
};

/**
 * The process's loggers. JSON lines go to logs/frameio_admin.log (info+, or debug+ with FRAMEIO_DEBUG=1)
 * and logs/frameio_errors.log (warn+). Every line is scrubbed of secrets on its way out.
 * Logging never fails the work: a log file that cannot be written costs a warning on stderr and its lines.
 */
export function createLogging(options: LoggingOptions): Logging {
	const debug = options.debug ?? process.env.FRAMEIO_DEBUG === '1';
	const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
	const keep = options.keep ?? 5;
	// console.error, not process.stderr: while the console owns the screen it sends console.* elsewhere.
	const onWriteError = options.onWriteError ?? ((message: string) => console.error(message));
	const fileOptions = {maxBytes, keep, onWriteError, retryMs: options.retryMs, now: options.now};
	const admin = new RotatingFile({file: path.join(options.logsDir, ADMIN_LOG), ...fileOptions});
	const errors = new RotatingFile({file: path.join(options.logsDir, ERRORS_LOG), ...fileOptions});
	const root = pino(
		{
			level: debug ? 'debug' : 'info',
			base: {pid: process.pid},
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: {
				level: label => ({level: label}),
				log: object => redactValue(object),
			},
			hooks: {streamWrite: line => redactText(line)},
		},
		pino.multistream([
			{level: debug ? 'debug' : 'info', stream: admin},
			{level: 'warn', stream: errors},
			...(options.echo ? [{level: debug ? ('debug' as const) : ('info' as const), stream: humanEcho(options.echo)}] : []),
		]),
	);
	const children = new Map<LoggerName, Logger>();
	let closed = false;
	return {
		dir: options.logsDir,
		get(name) {
			let child = children.get(name);
			if (!child) {
				child = root.child({logger: name});
				children.set(name, child);
			}
			return child;
		},
		flush() {
			admin.flush();
			errors.flush();
		},
		close() {
			if (closed) return;
			closed = true;
			admin.close();
			errors.close();
		},
	};
}

/** A stream that writes each JSON line as the seed's human line (the lines are already scrubbed). */
function humanEcho(out: {write(text: string): unknown}): {write(line: string): void} {
	return {
		write(line) {
			let text = line.trim();
			try {
				// Our own lines: a JSON object with its level as a label and an ISO time (see the formatters above).
				text = formatHumanLine(JSON.parse(text) as LogRecord);
			} catch {
				// not JSON: as it is
			}
			try {
				out.write(`${text}\n`);
			} catch {
				// stderr gone: the log file still has the line
			}
		},
	};
}

/** A logger that writes nothing, for code paths and tests that do not care. */
export function silentLogging(): Logging {
	const silent = pino({level: 'silent'});
	return {dir: '', get: () => silent, flush() {}, close() {}};
}
