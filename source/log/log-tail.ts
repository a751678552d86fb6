// The tail of logs/frameio_admin.log, followed: what `frameio-admin logs -f` prints, kept as the latest lines for the
// console's Logs tab. Every process of this tool writes that file (the console, upload, watch, a cron job), so the
// tail shows their lines too. The file is polled only while someone follows it (the Logs tab on screen): an idle
// console on another tab reads nothing.
import path from 'node:path';
import {FileFollower} from './follow-file.js';
import {formatHumanLine} from './human-format.js';
import {ADMIN_LOG} from './logger.js';
import {parseLogLine} from './read-logs.js';
import {redactText} from './redact.js';

export type TailLine = {
	/** Increases by one per line read: a stable key for a list. */
	seq: number;
	/** Epoch ms of the record. */
	at: number;
	/** pino's level name: trace, debug, info, warn, error, fatal. */
	level: string;
	logger: string;
	/** The seed's human line: `2025-01-07 14:30:15 - frameio.structure - INFO - Cache hit: projects_123456`. */
	text: string;
	/** The JSON record as written. */
	json: string;
};

export type LogTailOptions = {
	logsDir: string;
	/** Lines kept (default 5000): the oldest go first. */
	maxLines?: number;
	/** How much of the file's end is read at the start (default 1 MiB). */
	tailBytes?: number;
	/** Poll period while following (default 250 ms). */
	intervalMs?: number;
};

// Control characters would move the cursor or recolour the screen; the JSON record keeps them escaped.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export class LogTail {
	readonly file: string;
	private lines: readonly TailLine[] = [];
	private seq = 0;
	private readonly follower: FileFollower;
	private readonly listeners = new Set<() => void>();
	private timer: NodeJS.Timeout | null = null;
	private readonly maxLines: number;
	private batch: TailLine[] = [];

	constructor(private readonly options: LogTailOptions) {
		this.file = path.join(options.logsDir, ADMIN_LOG);
		this.maxLines = Math.max(1, options.maxLines ?? 5000);
		this.follower = new FileFollower(this.file, line => this.take(line), {tailBytes: options.tailBytes ?? 1024 * 1024});
	}

	/** The latest lines, oldest first: the same array until a line arrives. */
	current(): readonly TailLine[] {
		return this.lines;
	}

	/** Starts or stops polling the file; what was written meanwhile is read at the next start. */
	follow(on: boolean): void {
		if (on && !this.timer) {
			this.poll();
			this.timer = setInterval(() => this.poll(), this.options.intervalMs ?? 250);
			this.timer.unref();
		} else if (!on && this.timer) {
			clearInterval(this.timer);
			this.timer = null;
		}
	}

	/** Reads what was appended since the last poll. */
	poll(): void {
		this.follower.poll();
		if (this.batch.length === 0) return;
		const joined = [...this.lines, ...this.batch];
		this.batch = [];
		this.lines = joined.length > this.maxLines ? joined.slice(joined.length - this.maxLines) : joined;
		for (const listener of this.listeners) listener();
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	close(): void {
		this.follow(false);
		this.follower.stop();
		this.listeners.clear();
	}

	private take(line: string): void {
		const parsed = parseLogLine(line);
		// Not one of our JSON records (a cut line, another tool's text): shown as it is, at no level.
		const json = redactText(line);
		this.batch.push(
			parsed
				? {
						seq: ++this.seq,
						at: parsed.at,
						level: parsed.record.level,
						logger: parsed.record.logger ?? 'frameio',
						text: redactText(formatHumanLine(parsed.record)).replace(CONTROL, ' '),
						json,
					}
				: {seq: ++this.seq, at: 0, level: 'unknown', logger: '', text: json.replace(CONTROL, ' '), json},
		);
	}
}
