import {chmodSync, renameSync, rmSync, statSync} from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import {ensurePrivateDir} from '../config/private-dir.js';

/** Log lines name users, e-mails, accounts and hosts: the files are the user's alone, whatever the umask. */
export const LOG_FILE_MODE = 0o600;

export type RotatingFileOptions = {file: string; maxBytes: number; keep: number};

/**
 * A pino destination that rotates by size: `x.log` → `x.log.1` → … → `x.log.<keep>`.
 * Written in-process and synchronously (no worker thread) so that a crash or kill -9 loses no line,
 * and the current file keeps the seed's name (`frameio_admin.log`), which pino-roll's numbering does not.
 */
export class RotatingFile {
	private readonly stream: pino.DestinationStream & {reopen(file?: string): void; flushSync(): void; end(): void};
	private size: number;

	constructor(private readonly options: RotatingFileOptions) {
		ensurePrivateDir(path.dirname(options.file));
		this.size = sizeOf(options.file);
		this.stream = pino.destination({dest: options.file, sync: true, append: true, mode: LOG_FILE_MODE}) as never;
		tighten(options.file);
	}

	write(line: string): void {
		if (this.size + line.length > this.options.maxBytes && this.size > 0) this.rotate();
		this.stream.write(line);
		this.size += Buffer.byteLength(line);
	}

	flush(): void {
		try {
			this.stream.flushSync();
		} catch {
			// sync streams have nothing buffered
		}
	}

	close(): void {
		this.flush();
		this.stream.end();
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
		this.stream.reopen();
		tighten(file);
		this.size = sizeOf(file);
	}
}

/** A file written by an older version (0644), or created by another process with a wider umask. */
function tighten(file: string): void {
	try {
		if ((statSync(file).mode & 0o777) !== LOG_FILE_MODE) chmodSync(file, LOG_FILE_MODE);
	} catch {
		// not ours to change, or already gone: the line goes on being written
	}
}

function sizeOf(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}
