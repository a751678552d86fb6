// Shared set-up for the client's integration tests: a sandbox on loopback, tiny configured delays, a bus recorder.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {EventBus, type ApiCallEvent, type AppEvent} from '../../source/events/index.js';
import {optimizationDefaults, type OptimizationConfig} from '../../source/config/optimization-schema.js';
import type {RequestRecord, Sandbox} from '../../source/sandbox/index.js';

export type ConfigOverrides = {
	error_handling?: Partial<OptimizationConfig['error_handling']>;
	rate_limiting?: Partial<OptimizationConfig['rate_limiting']>;
};

/** Defaults with the delays shrunk for tests, then the test's own numbers. */
export function testConfig(overrides: ConfigOverrides = {}): OptimizationConfig {
	return {
		...optimizationDefaults,
		rate_limiting: {...optimizationDefaults.rate_limiting, requests_per_second: 1000, burst_size: 1000, ...overrides.rate_limiting},
		error_handling: {
			...optimizationDefaults.error_handling,
			max_retries: 2,
			retry_delay_base: 0.01,
			retry_delay_max: 0.2,
			request_timeout_seconds: 5,
			circuit_breaker_threshold: 100,
			circuit_breaker_timeout: 0.3,
			...overrides.error_handling,
		},
	};
}

export function recordEvents(): {bus: EventBus; events: AppEvent[]; calls: () => ApiCallEvent[]} {
	const bus = new EventBus();
	const events: AppEvent[] = [];
	bus.on(event => events.push(event));
	return {bus, events, calls: () => events.filter((event): event is ApiCallEvent => event.type === 'api')};
}

/** Requests the sandbox saw for a path (exact, or a RegExp), optionally from index `since`. */
export function seen(sandbox: Sandbox, path: string | RegExp, since = 0): RequestRecord[] {
	return sandbox.requests.slice(since).filter(record => (typeof path === 'string' ? record.path === path : path.test(record.path)));
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * A tiny loopback server answering whatever the test scripts, for statuses and headers the sandbox never sends
 * (409, Retry-After). Still real HTTP: the client under test cannot tell it from the API.
 */
export async function scriptedServer(
	handler: (req: IncomingMessage, res: ServerResponse, count: number) => void,
): Promise<{url: string; count: () => number; close: () => Promise<void>}> {
	let count = 0;
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => handler(req, res, ++count));
	});
	return {...(await listenOnLoopback(server)), count: () => count};
}

/** Starts `server` on 127.0.0.1, port 0: its URL, and a close that also ends kept-alive connections. */
export async function listenOnLoopback(server: Server): Promise<{url: string; close: () => Promise<void>}> {
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>(resolve => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers});
	res.end(text);
}
