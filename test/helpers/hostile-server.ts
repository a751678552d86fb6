// A small loopback server that plays a hostile or broken API: it redirects, answers HTML, sends a huge or cut-short
// body, or names things with escape sequences. Real HTTP on 127.0.0.1 port 0, so the client under test cannot tell it
// from Frame.io. Every request it gets is recorded (method, path, headers, body), so that a test can assert what
// reached it (e.g. that no Authorization header ever did).
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import {listenOnLoopback} from '../frameio/helpers.js';

export type Recorded = {method: string; url: string; headers: IncomingHttpHeaders; body: string};

export type HostileServer = {
	/** http://127.0.0.1:PORT */
	url: string;
	requests: Recorded[];
	/** Bytes written to response bodies so far (a huge body stops short when the client hangs up). */
	bytesSent(): number;
	close(): Promise<void>;
};

export type Handler = (request: Recorded, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export async function hostileServer(handler: Handler): Promise<HostileServer> {
	const requests: Recorded[] = [];
	let sent = 0;
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const recorded: Recorded = {method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8')};
			requests.push(recorded);
			const write = res.write.bind(res);
			res.write = ((chunk: unknown, ...rest: unknown[]) => {
				if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) sent += Buffer.byteLength(chunk as string);
				return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
			}) as typeof res.write;
			Promise.resolve(handler(recorded, res, req)).catch(error => {
				if (!res.headersSent) res.writeHead(500);
				res.end(String(error));
			});
		});
	});
	return {...(await listenOnLoopback(server)), requests, bytesSent: () => sent};
}

// The same JSON answer as the scripted server's.
export {sendJson} from '../frameio/helpers.js';

export function redirect(res: ServerResponse, status: 301 | 302 | 303 | 307 | 308, location: string): void {
	res.writeHead(status, {location, 'content-length': '0'});
	res.end();
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
	res.writeHead(status, {'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html))});
	res.end(html);
}

/**
 * A JSON-looking body that never ends (no content-length), written as fast as the client reads it, up to `max`
 * bytes: what a runaway or hostile server sends.
 */
export function sendEndless(res: ServerResponse, max: number, withLength = false): void {
	res.writeHead(200, {'content-type': 'application/json', ...(withLength ? {'content-length': String(max)} : {})});
	const chunk = Buffer.alloc(64 * 1024, 0x20);
	let written = 0;
	const pump = () => {
		while (written < max) {
			written += chunk.length;
			if (!res.write(chunk)) return void res.once('drain', pump);
		}
		res.end();
	};
	res.on('close', () => (written = max));
	res.write('{"data":{"id":"u1","name":"');
	pump();
}

/** Says `length` bytes, sends the first `sent`, then closes the connection. */
export function sendTruncated(res: ServerResponse, body: string, sentBytes: number): void {
	res.writeHead(200, {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body))});
	res.write(body.slice(0, sentBytes));
	setTimeout(() => res.socket?.destroy(), 20);
}

/** The /v4/me answer of a plausible user (tests give hostile names through `name`). */
export function meBody(overrides: Record<string, unknown> = {}): {data: Record<string, unknown>} {
	return {data: {id: 'user-1', name: 'Camille Laurent', email: 'camille@example.com', avatar_url: null, ...overrides}};
}
