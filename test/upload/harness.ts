// Shared set-up of the upload tests: a real sandbox on loopback, the real client, and a queue with small numbers.
import {createHash, randomBytes} from 'node:crypto';
import {createReadStream, openSync, closeSync, writeSync, ftruncateSync} from 'node:fs';
import path from 'node:path';
import {EventBus, type AppEvent, type UploadEvent} from '../../source/events/index.js';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import type {OptimizationConfig} from '../../source/config/index.js';
import {createFrameioClient, SandboxTokenProvider, type FrameioClient} from '../../source/frameio/index.js';
import {seededRandom} from '../../source/sandbox/ids.js';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {uploadApiFromClient, UploadQueue, uploadSettingsFrom, type UploadApi, type UploadQueueOptions, type UploadSettingsOverrides} from '../../source/upload/index.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Fast numbers: tiny back-off, quick polls. */
export function testConfig(): OptimizationConfig {
	return {
		...optimizationDefaults,
		rate_limiting: {requests_per_second: 1000, burst_size: 1000, backoff_factor: 2},
		// 6 retries: with 10 % injected part failures a part still fails for good only once in 10^7.
		error_handling: {...optimizationDefaults.error_handling, max_retries: 6, retry_delay_base: 0.002, retry_delay_max: 0.02, circuit_breaker_threshold: 1000},
		upload_optimization: {...optimizationDefaults.upload_optimization, status_poll_deadline_seconds: 20},
	};
}

export type Rig = {
	sandbox: Sandbox;
	client: FrameioClient;
	api: UploadApi;
	accountId: string;
	folderId: string;
	bus: EventBus;
	events: AppEvent[];
	close(): Promise<void>;
};

export async function startRig(options: SandboxOptions = {}): Promise<Rig> {
	const sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, partSize: 64 * KiB, transcodeDelayMs: 20, ...options});
	rememberSecret(sandbox.token);
	const bus = new EventBus();
	const events: AppEvent[] = [];
	bus.on(event => events.push(event));
	const client = createFrameioClient({baseUrl: sandbox.url, auth: new SandboxTokenProvider(sandbox), config: testConfig(), rateLimitScale: 100});
	return {
		sandbox,
		client,
		api: uploadApiFromClient(client),
		accountId: sandbox.ids.accountId,
		folderId: sandbox.ids.wipFolderId,
		bus,
		events,
		async close() {
			client.close();
			await sandbox.close();
		},
	};
}

export function openQueue(rig: Rig, options: Partial<UploadQueueOptions> & {overrides?: UploadSettingsOverrides} = {}): Promise<UploadQueue> {
	const {overrides, ...rest} = options;
	return UploadQueue.open({
		api: rig.api,
		accountId: rig.accountId,
		settings: uploadSettingsFrom(testConfig(), {poll: {initialMs: 10, maxMs: 50}, progressIntervalMs: 100, ...overrides}),
		bus: rig.bus,
		...rest,
	});
}

/** A file of random bytes (written in 1 MiB blocks; sparse holes when asked, so big files stay cheap on disk). */
export function makeFile(dir: string, name: string, size: number, options: {sparseEvery?: number} = {}): string {
	const file = path.join(dir, name);
	const fd = openSync(file, 'w');
	try {
		const block = MiB;
		for (let offset = 0; offset < size; offset += block) {
			const length = Math.min(block, size - offset);
			// Sparse: only every n-th block carries data; the holes read back as zeros.
			if (options.sparseEvery && (offset / block) % options.sparseEvery !== 0) continue;
			writeSync(fd, randomBytes(length), 0, length, offset);
		}
		ftruncateSync(fd, size);
	} finally {
		closeSync(fd);
	}
	return file;
}

export function sha256File(file: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const hash = createHash('sha256');
		createReadStream(file)
			.on('data', chunk => hash.update(chunk))
			.on('end', () => resolve(hash.digest('hex')))
			.on('error', reject);
	});
}

export function filesNamed(rig: Rig, name: string, folderId = rig.folderId) {
	return rig.sandbox.store.children(folderId).filter(child => child.type === 'file' && child.name === name);
}

export function uploadEvents(rig: Rig): UploadEvent[] {
	return rig.events.filter((event): event is UploadEvent => event.type === 'upload');
}

export function partPuts(rig: Rig) {
	return rig.sandbox.requests.filter(request => request.method === 'PUT' && request.path.startsWith('/s3/parts/'));
}

export function apiCalls(rig: Rig, method: string, suffix: string) {
	return rig.sandbox.requests.filter(request => request.method === method && request.path.endsWith(suffix));
}

export {seededRandom};

export {testDir};

/**
 * A pass-through part endpoint on loopback: forwards each PUT (headers and streamed body) to the sandbox's real
 * part URL, after an optional delay, and records how many parts were in flight at once.
 */
export type PartProxy = {
	api: UploadApi;
	/** Part requests that reached the proxy. */
	received: number;
	/** Parts the proxy answered 2xx. */
	answered: number;
	inFlight: number;
	maxInFlight: number;
	/** Delay (ms, or until a promise settles) before forwarding a part of the given file id. */
	delayFor: (fileId: string) => number | Promise<void>;
	close(): Promise<void>;
};

/** `base`: the API whose localUpload answers are rewritten (default the rig's; a test may pass its own client's). */
export async function startPartProxy(rig: Rig, base: UploadApi = rig.api): Promise<PartProxy> {
	const {createServer} = await import('node:http');
	const {Readable} = await import('node:stream');
	const targets = new Map<string, string>();
	const proxy: PartProxy = {
		api: base,
		received: 0,
		answered: 0,
		inFlight: 0,
		maxInFlight: 0,
		delayFor: () => 0,
		close: async () => {},
	};
	const server = createServer(async (req, res) => {
		proxy.received++;
		proxy.inFlight++;
		proxy.maxInFlight = Math.max(proxy.maxInFlight, proxy.inFlight);
		try {
			const key = (req.url ?? '').slice(1);
			const target = targets.get(key)!;
			const fileId = key.split('/')[0];
			const delay = proxy.delayFor(fileId);
			if (typeof delay !== 'number') await delay;
			else if (delay > 0) await new Promise(resolve => setTimeout(resolve, delay));
			const headers: Record<string, string> = {};
			for (const name of ['content-type', 'x-amz-acl', 'content-length']) if (req.headers[name]) headers[name] = String(req.headers[name]);
			const answer = await fetch(target, {method: 'PUT', headers, body: Readable.toWeb(req) as ReadableStream, duplex: 'half'} as RequestInit);
			res.writeHead(answer.status, {'content-type': answer.headers.get('content-type') ?? 'application/xml'});
			const body = Buffer.from(await answer.arrayBuffer());
			if (answer.ok) proxy.answered++;
			res.end(body);
		} catch {
			res.destroy();
		} finally {
			proxy.inFlight--;
		}
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as {port: number}).port;
	proxy.api = {
		...base,
		localUpload: async (...args) => {
			const created = await base.localUpload(...args);
			return {
				...created,
				upload_urls: created.upload_urls.map((part, index) => {
					const key = `${created.id}/${index + 1}`;
					targets.set(key, part.url);
					return {...part, url: `http://127.0.0.1:${port}/${key}`};
				}),
			};
		},
	};
	proxy.close = async () => {
		server.closeAllConnections();
		await new Promise(resolve => server.close(resolve));
	};
	return proxy;
}
