import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError} from './api-error.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	if (res.headersSent || res.destroyed) return;
	if (body === undefined) {
		res.writeHead(status, headers);
		res.end();
		return;
	}
	const text = JSON.stringify(body);
	res.writeHead(status, {'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers});
	res.end(text);
}

/** An S3-style XML error, as a presigned PUT would get. */
export function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
	if (res.headersSent || res.destroyed) return;
	const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${Date.now().toString(16).toUpperCase()}</RequestId></Error>`;
	res.writeHead(status, {'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(text))});
	res.end(text);
}

function escapeXml(text: string): string {
	return text.replace(/[<>&'"]/g, char => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;'})[char]!);
}

/** Reads a small request body (JSON or form); refuses anything larger than `limit` bytes. */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('end', () => {
			if (size > limit) reject(new ApiError(413, `Request body larger than ${limit} bytes`, 'Payload Too Large'));
			else resolve(Buffer.concat(chunks));
		});
		req.on('error', reject);
	});
}

/** Parses a JSON body; a malformed one is the client's 400. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
	const raw = await readBody(req);
	if (raw.length === 0) throw new ApiError(400, 'Request body is required', 'Bad Request');
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		throw new ApiError(400, 'Request body is not valid JSON', 'Bad Request');
	}
}

/** Parses a JSON body that may be left out (an empty body is undefined); a malformed one is the client's 400. */
export async function readOptionalJson(req: IncomingMessage): Promise<unknown> {
	const raw = await readBody(req);
	if (raw.length === 0) return undefined;
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		throw new ApiError(400, 'Request body is not valid JSON', 'Bad Request');
	}
}
