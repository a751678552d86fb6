// One PUT of one part to its presigned URL, over node:http(s): we control every header (the URL signs
// content-type, host and x-amz-acl, so nothing else that S3 would check may vary) and stream from disk.
import {createReadStream} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {PartRange} from './part-ranges.js';

export type PartTransport = {http: http.Agent; https: https.Agent};

/** Keep-alive agents shared by every part of every file of one queue. */
export function createPartTransport(): PartTransport {
	return {
		http: new http.Agent({keepAlive: true, maxSockets: Infinity}),
		https: new https.Agent({keepAlive: true, maxSockets: Infinity}),
	};
}

export function destroyPartTransport(transport: PartTransport): void {
	transport.http.destroy();
	transport.https.destroy();
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
	/** Bytes handed to the socket so far in this attempt (called as they stream). */
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
		const finish = (error?: Error) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal.removeEventListener('abort', onAbort);
			if (error) {
				source.destroy();
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
		const source = createReadStream(options.path, {
			start: range.start,
			end: range.end,
			highWaterMark: Math.max(16 * 1024, Math.min(options.readBufferBytes, range.size)),
		});

		source.on('data', chunk => options.onBytes(chunk.length));
		source.on('error', error => finish(new PartAttemptError(`cannot read the file: ${error.message}`, false)));
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
		source.pipe(request);
	});
}
