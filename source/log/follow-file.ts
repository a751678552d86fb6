// `tail -F` for our log file: reads what is appended, by polling, and keeps going across a rotation (the file
// renamed to .1 and a new one created: the rest of the old file is read, then the new one from its start) and
// a truncation (read again from the start).
import {closeSync, fstatSync, openSync, readSync, statSync} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';

export type FollowOptions = {
	/** Poll period; default 250 ms. */
	intervalMs?: number;
	/** Start at the end of the current file instead of its beginning. */
	fromEnd?: boolean;
	/**
	 * Start this many bytes before the end of the current file (its tail: the first, cut line is skipped). A file
	 * created later is read from its start.
	 */
	tailBytes?: number;
};

const CHUNK = 64 * 1024;

export class FileFollower {
	private fd: number | null = null;
	private ino = -1;
	private position = 0;
	private decoder = new StringDecoder('utf8');
	private partial = '';
	private timer: NodeJS.Timeout | null = null;
	private polled = false;
	/** The first line read is the rest of a line cut by tailBytes: dropped. */
	private skipFirst = false;

	constructor(
		readonly file: string,
		private readonly onLine: (line: string) => void,
		private readonly options: FollowOptions = {},
	) {}

	/** Reads what is there now (and, on the first call with fromEnd, skips it). */
	poll(): void {
		// fromEnd skips what the file holds at the first poll only; a file created later is read from its start.
		const first = !this.polled;
		const atEnd = this.options.fromEnd === true && first;
		this.polled = true;
		if (this.fd === null && !this.open(atEnd, first ? this.options.tailBytes : undefined)) return;
		// Stat before draining: a writer that rotated before this stat wrote its last old-file line before it too,
		// so the drain below still catches that line.
		let current: {ino: number; size: number} | null;
		try {
			current = statSync(this.file);
		} catch {
			current = null; // renamed away and not yet re-created: drain the old file, wait for the new one
		}
		const before = this.position;
		this.drain();
		if (current === null) return;
		if (current.ino !== this.ino) {
			this.flushPartial();
			this.close();
			if (this.open(false)) this.drain();
		} else if (current.size < before) {
			// Truncated in place.
			this.position = 0;
			this.partial = '';
			this.decoder = new StringDecoder('utf8');
			this.drain();
		}
	}

	start(): void {
		if (this.timer) return;
		this.poll();
		this.timer = setInterval(() => this.poll(), this.options.intervalMs ?? 250);
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		this.close();
	}

	private open(atEnd: boolean, tailBytes?: number): boolean {
		try {
			this.fd = openSync(this.file, 'r');
		} catch {
			return false;
		}
		const stat = fstatSync(this.fd);
		this.ino = stat.ino;
		this.position = atEnd ? stat.size : tailBytes !== undefined ? Math.max(0, stat.size - tailBytes) : 0;
		this.skipFirst = this.position > 0 && !atEnd && !this.startsLine(this.position);
		this.partial = '';
		this.decoder = new StringDecoder('utf8');
		return true;
	}

	/** Whether `position` is right after a newline. */
	private startsLine(position: number): boolean {
		const byte = Buffer.alloc(1);
		return readSync(this.fd!, byte, 0, 1, position - 1) === 1 && byte[0] === 0x0a;
	}

	private drain(): void {
		if (this.fd === null) return;
		const buffer = Buffer.allocUnsafe(CHUNK);
		for (;;) {
			const read = readSync(this.fd, buffer, 0, CHUNK, this.position);
			if (read <= 0) return;
			this.position += read;
			this.push(this.decoder.write(buffer.subarray(0, read)));
		}
	}

	private push(text: string): void {
		const parts = (this.partial + text).split('\n');
		// The last part has no newline yet: a line the writer is still writing.
		this.partial = parts.pop() ?? '';
		if (this.skipFirst && parts.length > 0) {
			parts.shift();
			this.skipFirst = false;
		}
		for (const line of parts) if (line.trim() !== '') this.onLine(line);
	}

	private flushPartial(): void {
		const rest = this.partial + this.decoder.end();
		this.partial = '';
		if (rest.trim() !== '') this.onLine(rest);
	}

	private close(): void {
		if (this.fd !== null) closeSync(this.fd);
		this.fd = null;
	}
}
