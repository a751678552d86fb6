// Reads a byte range of a file as lines, in chunks, handing each complete line to a callback and giving the
// event loop a turn every few milliseconds: a 50 MB snapshot is read in the background of a running console
// instead of freezing it for a second. Lines are split on the newline byte, which never occurs inside a UTF-8
// multi-byte sequence, so offsets stay byte-exact: the caller learns how far complete lines went and can resume
// from there (a line still being appended, or torn, is left for later).
import type {FileHandle} from 'node:fs/promises';
import {performance} from 'node:perf_hooks';

export type LineReadOptions = {
	/** Bytes read per call. Default 256 KiB. */
	chunkBytes?: number;
	/** Longest run of work between two turns of the event loop. Default 8 ms. */
	sliceMs?: number;
};

export const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));

/** Calls `yieldToLoop` when more than sliceMs have passed since the last turn. */
export class Slicer {
	private started = performance.now();

	constructor(private readonly sliceMs: number) {}

	async maybeYield(): Promise<void> {
		if (performance.now() - this.started < this.sliceMs) return;
		await yieldToLoop();
		this.started = performance.now();
	}
}

const NEWLINE = 0x0a;

/**
 * Hands the complete lines of [from, to) to onLine (without their newline) and returns the offset just past the
 * last newline read, which is `from` when there was none.
 */
export async function readLines(handle: FileHandle, from: number, to: number, onLine: (line: string) => void, options: LineReadOptions = {}): Promise<number> {
	const chunkBytes = options.chunkBytes ?? 256 * 1024;
	const slicer = new Slicer(options.sliceMs ?? 8);
	let position = from;
	let consumed = from;
	let carry: Buffer = Buffer.alloc(0);
	while (position < to) {
		const want = Math.min(chunkBytes, to - position);
		const chunk = Buffer.allocUnsafe(want);
		const {bytesRead} = await handle.read(chunk, 0, want, position);
		if (bytesRead === 0) break;
		position += bytesRead;
		const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
		const last = data.lastIndexOf(NEWLINE);
		if (last < 0) {
			carry = data;
			continue;
		}
		const lines = data.toString('utf8', 0, last).split('\n');
		// A copy: the rest must not keep the whole chunk alive.
		carry = Buffer.from(data.subarray(last + 1));
		consumed = position - carry.length;
		for (let i = 0; i < lines.length; i++) {
			if (lines[i] !== '') onLine(lines[i]);
			if ((i & 255) === 255) await slicer.maybeYield();
		}
		await slicer.maybeYield();
	}
	return consumed;
}

/** The first line of a file (at most maxBytes long) and the offset after it, or undefined when there is none. */
export async function readFirstLine(handle: FileHandle, maxBytes = 64 * 1024): Promise<{line: string; end: number} | undefined> {
	const buffer = Buffer.allocUnsafe(maxBytes);
	const {bytesRead} = await handle.read(buffer, 0, maxBytes, 0);
	const at = buffer.subarray(0, bytesRead).indexOf(NEWLINE);
	if (at < 0) return undefined;
	return {line: buffer.toString('utf8', 0, at), end: at + 1};
}

/** The last line of a file that ends with a newline (at most maxBytes long), or undefined. */
export async function readLastLine(handle: FileHandle, size: number, maxBytes = 64 * 1024): Promise<string | undefined> {
	const want = Math.min(size, maxBytes);
	const buffer = Buffer.allocUnsafe(want);
	const {bytesRead} = await handle.read(buffer, 0, want, size - want);
	const data = buffer.subarray(0, bytesRead);
	if (data.length === 0 || data[data.length - 1] !== NEWLINE) return undefined;
	const start = data.lastIndexOf(NEWLINE, data.length - 2);
	return data.toString('utf8', start + 1, data.length - 1);
}
