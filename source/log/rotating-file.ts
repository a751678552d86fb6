import {mkdirSync, renameSync, rmSync, statSync} from 'node:fs';
import path from 'node:path';
import pino from 'pino';

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
		mkdirSync(path.dirname(options.file), {recursive: true});
		this.size = sizeOf(options.file);
		this.stream = pino.destination({dest: options.file, sync: true, append: true, mkdir: true}) as never;
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
		this.size = sizeOf(file);
	}
}

function sizeOf(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}
