// The /metrics endpoint Prometheus scrapes: a small node:http server, on 127.0.0.1 unless metrics.host says otherwise
// (nothing is reachable from the network that the admin did not open; a Prometheus on the same box, or an SSH
// tunnel, scrapes loopback). GET /metrics answers the exposition text; anything else is a 404 or a 405. No
// framework: it serves one path.
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type MetricsEndpointOptions = {
	port: number;
	/** Bind address; default 127.0.0.1. */
	host?: string;
	scrape(): Promise<{contentType: string; body: string}>;
};

export type MetricsEndpoint = {
	/** http://host:port/metrics as bound (port 0 becomes the port the system gave). */
	readonly url: string;
	readonly port: number;
	close(): Promise<void>;
};

export class MetricsEndpointError extends Error {
	override readonly name = 'MetricsEndpointError';
	constructor(
		message: string,
		readonly code: string | undefined,
	) {
		super(message);
	}
}

export const DEFAULT_METRICS_HOST = '127.0.0.1';

export async function startMetricsEndpoint(options: MetricsEndpointOptions): Promise<MetricsEndpoint> {
	const host = options.host ?? DEFAULT_METRICS_HOST;
	const server = createServer((req, res) => {
		handle(req, res, options).catch(() => {
			if (!res.headersSent) answer(res, 500, 'metrics could not be collected\n');
			else res.destroy();
		});
	});
	// A scraper that opens a connection and says nothing must not hold a socket for ever.
	server.requestTimeout = 10_000;
	server.headersTimeout = 10_000;
	await new Promise<void>((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			const reason = error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'permission denied' : error.message;
			reject(new MetricsEndpointError(`cannot serve /metrics on ${host}:${options.port}: ${reason}`, error.code));
		};
		server.once('error', onError);
		server.listen(options.port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});
	// The server must not keep a finished command alive; the command's own work does that.
	server.unref();
	const port = (server.address() as AddressInfo).port;
	const shownHost = host.includes(':') ? `[${host}]` : host;
	return {
		url: `http://${shownHost}:${port}/metrics`,
		port,
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}

async function handle(req: IncomingMessage, res: ServerResponse, options: MetricsEndpointOptions): Promise<void> {
	const path = (req.url ?? '/').split('?')[0];
	if (path !== '/metrics') return answer(res, 404, 'not found: Prometheus metrics are at /metrics\n');
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.setHeader('allow', 'GET, HEAD');
		return answer(res, 405, 'method not allowed\n');
	}
	const {contentType, body} = await options.scrape();
	res.writeHead(200, {'content-type': contentType, 'cache-control': 'no-store'});
	res.end(req.method === 'HEAD' ? undefined : body);
}

function answer(res: ServerResponse, status: number, text: string): void {
	res.writeHead(status, {'content-type': 'text/plain; charset=utf-8'});
	res.end(text);
}
