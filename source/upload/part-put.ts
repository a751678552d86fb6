// One PUT of one part to its presigned URL, over node:http(s): we control every header (the URL signs
// content-type, host and x-amz-acl, so nothing else that S3 would check may vary) and stream from disk, through
// two read buffers per part that come from (and go back to) the queue's pool.
import {open, type FileHandle} from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import {BufferPool} from './buffer-pool.js';
import type {PartRange} from './part-ranges.js';

export type PartTransport = {http: http.Agent; https: https.Agent; buffers: BufferPool};

/** Keep-alive agents and read buffers shared by every part of every file of one queue. */
export function createPartTransport(): PartTransport {
	return {
		http: new http.Agent({keepAlive: true, maxSockets: Infinity}),
		https: new https.Agent({keepAlive: true, maxSockets: Infinity}),
		buffers: new BufferPool(),
	};
}

export function destroyPartTransport(transport: PartTransport): void {
	transport.http.destroy();
	transport.https.destroy();
	transport.buffers.clear();
}

/** Why a part attempt failed; `retryable` says whether the same PUT may succeed later. */
export class PartAttemptError extends Error {
	override readonly name = 'PartAttemptError';
	constructor(
		message: string,
		readonly retryable: boolean,
		readonly status?: number,
	) {
		super(message);
	}
}

export type PutPartOptions = {
	path: string;
	mediaType: string;
	transport: PartTransport;
	timeoutMs: number;
	readBufferBytes: number;
	/** Aborts the attempt (cancel, shutdown, a sibling part that failed for good). */
	signal: AbortSignal;
	/**
	 * Bytes the socket has taken in this attempt, as they go: counted when the kernel has them, not when they are
	 * queued in the process (the kernel's own send buffer, a few MB at most, is still ahead of the network).
	 */
	onBytes: (count: number) => void;
};

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** S3 answers errors with `<Error><Code>…</Code>`: the code is what a user can search for. */
function s3Code(body: string): string | undefined {
	return /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1];
}

export function putPart(range: PartRange, options: PutPartOptions): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		const url = new URL(range.url);
		const secure = url.protocol === 'https:';
		let settled = false;
		let markStopped!: () => void;
		const stopped = new Promise<void>(resolve => (markStopped = resolve));
		const finish = (error?: Error) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal.removeEventListener('abort', onAbort);
			markStopped();
			if (error) {
				request.destroy();
				reject(error);
			} else resolve();
		};
		const onAbort = () => finish(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
		const timer = setTimeout(
			() => finish(new PartAttemptError(`timed out after ${Number((options.timeoutMs / 1000).toFixed(3))} s`, true)),
			options.timeoutMs,
		);

		const request = (secure ? https : http).request(url, {
			method: 'PUT',
			agent: secure ? options.transport.https : options.transport.http,
			headers: {
				'content-type': options.mediaType,
				'x-amz-acl': 'private',
				'content-length': String(range.size),
			},
		});
		request.on('error', error => {
			const code = (error as NodeJS.ErrnoException).code;
			finish(new PartAttemptError(`network error${code ? ` ${code}` : ''}`, true));
		});
		request.on('response', response => {
			const chunks: Buffer[] = [];
			let kept = 0;
			response.on('data', (chunk: Buffer) => {
				// Only the start of an error body is kept: enough for S3's <Code>.
				if (kept < 4096) {
					chunks.push(chunk);
					kept += chunk.length;
				}
			});
			response.on('error', () => finish(new PartAttemptError('network error while reading the response', true)));
			response.on('end', () => {
				const status = response.statusCode ?? 0;
				if (status >= 200 && status < 300) return finish();
				const code = s3Code(Buffer.concat(chunks).toString('utf8'));
				finish(new PartAttemptError(`HTTP ${status}${code ? ` ${code}` : ''}`, retryableStatus(status), status));
			});
		});

		if (options.signal.aborted) return onAbort();
		options.signal.addEventListener('abort', onAbort, {once: true});
		const bufferSize = Math.max(16 * 1024, Math.min(options.readBufferBytes, range.size));
		sendBody(range, options, request, bufferSize, stopped).then(
			sent => {
				if (!sent) return;
				request.end();
			},
			(error: unknown) => finish(new PartAttemptError(`cannot read the file: ${(error as Error).message}`, false)),
		);
	});
}

/** Progress steps: a read buffer (1 MiB by default) is written in slices of this size, each counted when taken. */
const COUNTED_SLICE = 256 * 1024;

/**
 * Writes `data` slice by slice, each counted when the socket has taken it (its write callback), not when it is
 * queued: a queued MiB has not left this process. One slice at a time, the next from the previous one's callback:
 * slices written together are corked into one write and all their callbacks come at once. Nothing is counted once
 * the attempt has stopped (the part's bytes are taken back then). True once the last slice is taken, false on an
 * error; a write whose callback never comes (a socket destroyed under it) is left to the attempt's own stop.
 */
function writeCounted(request: http.ClientRequest, data: Buffer, onBytes: (count: number) => void, counting: () => boolean): Promise<boolean> {
	return new Promise<boolean>(resolve => {
		const writeFrom = (offset: number) => {
			if (offset >= data.length) return resolve(true);
			const slice = data.subarray(offset, offset + COUNTED_SLICE);
			request.write(slice, error => {
				if (error) return resolve(false);
				if (counting()) onBytes(slice.length);
				writeFrom(offset + slice.length);
			});
		};
		writeFrom(0);
	});
}

/**
 * Writes bytes start..end of the file into the request: read into one buffer while the other one's write drains.
 * A buffer is read into again only after the socket took its previous write (the write callback), and goes back to
 * the pool only when no write holds it. False when the attempt stopped first (timeout, abort, an error answer).
 */
async function sendBody(range: PartRange, options: PutPartOptions, request: http.ClientRequest, bufferSize: number, stopped: Promise<void>): Promise<boolean> {
	const pool = options.transport.buffers;
	let handle: FileHandle | undefined;
	const buffers = [pool.take(bufferSize), pool.take(bufferSize)];
	// The write each buffer last carried: settled (true) once the socket took it, false if the attempt stopped first.
	const writes: Array<Promise<boolean>> = [Promise.resolve(true), Promise.resolve(true)];
	let isStopped = false;
	void stopped.then(() => (isStopped = true));
	const untilStopped = stopped.then(() => false);
	try {
		handle = await open(options.path, 'r');
		let position = range.start;
		for (let turn = 0; position <= range.end; turn++) {
			const slot = turn % 2;
			if (!(await Promise.race([writes[slot], untilStopped])) || isStopped) return false;
			const buffer = buffers[slot];
			const length = Math.min(buffer.length, range.end + 1 - position);
			const {bytesRead} = await handle.read(buffer, 0, length, position);
			if (isStopped) return false;
			if (bytesRead === 0) throw new Error(`the file ended at byte ${position}, before the part's end`);
			position += bytesRead;
			// One buffer's slices go out after the previous buffer's: the next buffer is read meanwhile, never written
			// alongside (their slices would interleave).
			const data = buffer.subarray(0, bytesRead);
			const previous = writes[1 - slot];
			writes[slot] = previous.then(ok => (ok && !isStopped ? writeCounted(request, data, options.onBytes, () => !isStopped) : false));
		}
		for (const write of writes) if (!(await Promise.race([write, untilStopped]))) return false;
		return !isStopped;
	} finally {
		await handle?.close().catch(() => {});
		// A buffer whose write never completed may still be read by the socket: it is left to the GC, not reused.
		for (const [slot, buffer] of buffers.entries()) {
			void Promise.race([writes[slot], untilStopped.then(() => undefined)]).then(done => {
				if (done === true) pool.give(buffer);
			});
		}
	}
}
