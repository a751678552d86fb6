import {closeSync, fchmodSync, fstatSync, openSync, renameSync, rmSync, writeSync} from 'node:fs';
import path from 'node:path';
import {ensurePrivateDir} from './private-dir.js';

/** Log lines name users, e-mails, accounts and hosts: the files are the user's alone, whatever the umask. */
export const LOG_FILE_MODE = 0o600;
/** After a failed write, lines are dropped for this long before writing is tried again. */
export const LOG_RETRY_MS = 30_000;

export type RotatingFileOptions = {
	file: string;
	maxBytes: number;
	keep: number;
	/** Told once per failure (a full or read-only disk), not once per line. */
	onWriteError: (message: string) => void;
	retryMs?: number;
	now?: () => number;
};

const REASONS: Record<string, string> = {
	ENOSPC: 'no space left on device',
	EDQUOT: 'disk quota exceeded',
	EROFS: 'read-only file system',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EIO: 'input/output error',
	EFBIG: 'file too large',
};

function describeError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	return code ? `${code} (${REASONS[code] ?? (error as Error).message})` : (error as Error).message;
}

function shown(file: string): string {
	const relative = path.relative(process.cwd(), file);
	return relative && !relative.startsWith('..') ? relative : file;
}

/**
 * A pino destination that rotates by size: `x.log` → `x.log.1` → … → `x.log.<keep>`.
 * Written in-process and synchronously (no worker thread) so that a crash or kill -9 loses no line, and the current
 * file keeps the seed's name (`frameio_admin.log`), which pino-roll's numbering does not.
 * Plain write(2) rather than SonicBoom: on a full disk SonicBoom threw ENOSPC into whoever logged (an upload then
 * failed a file) and its flushSync looped forever. Here a failed write never reaches the caller: the line is
 * dropped, onWriteError hears about it once, and writing is tried again after retryMs, starting with a line that
 * says how many were lost.
 */
export class RotatingFile {
	private fd: number | null = null;
	private size = 0;
	/** Set while writes fail: since when, the last attempt, how many lines were lost, why. */
	private failure: {since: number; lastTry: number; dropped: number; reason: string} | null = null;
	/** A write stopped halfway through a line: the next one starts on a new line. */
	private torn = false;
	private closed = false;
	private readonly now: () => number;
	private readonly retryMs: number;

	constructor(private readonly options: RotatingFileOptions) {
		this.now = options.now ?? Date.now;
		this.retryMs = options.retryMs ?? LOG_RETRY_MS;
		try {
			this.open();
		} catch (error) {
			this.fail(error);
		}
	}

	write(line: string): void {
		if (this.closed) return;
		if (this.failure && !this.recover()) {
			this.failure.dropped++;
			return;
		}
		try {
			const data = Buffer.from(line);
			if (this.size + data.length > this.options.maxBytes && this.size > 0) this.rotate();
			this.writeAll(data);
		} catch (error) {
			this.fail(error);
			this.failure!.dropped++;
		}
	}

	/** Nothing is buffered: every line was handed to the kernel when it was written. */
	flush(): void {}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.closeFd();
	}

	private open(): void {
		ensurePrivateDir(path.dirname(this.options.file));
		const fd = openSync(this.options.file, 'a', LOG_FILE_MODE);
		try {
			const stats = fstatSync(fd);
			// A file written by an older version (0644), or created by a process with a wider umask.
			if ((stats.mode & 0o777) !== LOG_FILE_MODE) {
				try {
					fchmodSync(fd, LOG_FILE_MODE);
				} catch {
					// not ours to change: the lines are written all the same
				}
			}
			this.size = stats.size;
		} catch (error) {
			closeSync(fd);
			throw error;
		}
		this.fd = fd;
	}

	private closeFd(): void {
		if (this.fd === null) return;
		try {
			closeSync(this.fd);
		} catch {
			// already gone
		}
		this.fd = null;
	}

	private writeAll(data: Buffer): void {
		if (this.fd === null) this.open();
		let done = 0;
		try {
			while (done < data.length) done += writeSync(this.fd!, data, done, data.length - done);
		} finally {
			this.size += done;
			if (done > 0 && done < data.length) this.torn = true;
		}
	}

	private fail(error: unknown): void {
		const at = this.now();
		if (this.failure) {
			this.failure.lastTry = at;
			return;
		}
		const reason = describeError(error);
		this.failure = {since: at, lastTry: at, dropped: 0, reason};
		try {
			this.options.onWriteError(`logs: cannot write ${shown(this.options.file)}: ${reason}; going on without it`);
		} catch {
			// whoever was to be told cannot be: the work goes on all the same
		}
	}

	/** Writing again after retryMs: first a line saying what was lost. False while it still fails. */
	private recover(): boolean {
		const failure = this.failure!;
		if (this.now() - failure.lastTry < this.retryMs) return false;
		failure.lastTry = this.now();
		try {
			if (this.torn) {
				this.writeAll(Buffer.from('\n'));
				this.torn = false;
			}
			const note = {
				level: 'warn',
				time: new Date(this.now()).toISOString(),
				pid: process.pid,
				logger: 'frameio.app',
				msg: `logs: ${failure.dropped} lines dropped since ${new Date(failure.since).toISOString()}: ${failure.reason}`,
			};
			this.writeAll(Buffer.from(`${JSON.stringify(note)}\n`));
		} catch {
			return false;
		}
		this.failure = null;
		return true;
	}

	private rotate(): void {
		const {file, keep} = this.options;
		rmSync(`${file}.${keep}`, {force: true});
		for (let index = keep - 1; index >= 1; index--) {
			try {
				renameSync(`${file}.${index}`, `${file}.${index + 1}`);
			} catch {
				// a gap in the numbering is fine
			}
		}
		try {
			renameSync(file, `${file}.1`);
		} catch {
			// another process rotated it first
		}
		this.closeFd();
		this.open();
	}
}
