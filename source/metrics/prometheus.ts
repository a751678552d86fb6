// The Prometheus side of a long-running process (the console, `watch`, `upload`): the events on the bus become
// counters and histograms in a registry of this process's own (never prom-client's global one, which any library in
// the process could write to), next to prom-client's default process metrics. Every series carries the node's name,
// so that one Prometheus scraping a farm can tell the nodes apart; the farm's live view is the Farm tab, Prometheus
// is its history. Loaded only when a metrics port is set: the other commands never pay for prom-client.
import {collectDefaultMetrics, Counter, Gauge, Histogram, Registry} from 'prom-client';
import type {AppEvent, BreakerState, EventBus} from '../events/index.js';

/** On the wire: from a fast cache-warm listing (a few ms) to an upload's status poll that takes seconds. */
const WIRE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Waiting for the rate limiter: nothing at all most of the time, a minute when a 100/min class is drained. */
const WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const UPLOAD_RESULTS = ['done', 'failed', 'cancelled'] as const;
export const CACHE_RESULTS = ['hit', 'miss'] as const;

export type PrometheusOptions = {
	bus: EventBus;
	/** FRAMEIO_NODE_NAME or the host name: a label on every series. */
	node: string;
	/** 'console', 'watch' or 'upload': a label on every series too (several may run on one node). */
	role: string;
	version?: string;
	/** The breaker's state now: the bus only says when it changes. */
	breakerState?: () => BreakerState;
};

export type PrometheusExporter = {
	readonly registry: Registry;
	/** The exposition text and its content type. */
	scrape(): Promise<{contentType: string; body: string}>;
	/** Stops listening to the bus (the registry keeps its values). */
	detach(): void;
};

export function createPrometheusExporter(options: PrometheusOptions): PrometheusExporter {
	const registry = new Registry();
	registry.setDefaultLabels({node: options.node, role: options.role});
	collectDefaultMetrics({register: registry});
	const registers = [registry];

	const requests = new Counter({
		name: 'frameio_admin_api_requests_total',
		help: 'Frame.io API requests after their retries, by endpoint class and final HTTP status (0: no answer)',
		labelNames: ['op', 'status'] as const,
		registers,
	});
	const retries = new Counter({name: 'frameio_admin_api_retries_total', help: 'Retries of Frame.io API requests (network errors, 408, 429, 5xx)', registers});
	const wire = new Histogram({
		name: 'frameio_admin_api_wire_seconds',
		help: 'Time on the wire of each Frame.io API request: the attempt that answered, from send to the whole body',
		buckets: WIRE_BUCKETS,
		registers,
	});
	const wait = new Histogram({
		name: 'frameio_admin_rate_limit_wait_seconds',
		help: "Time each Frame.io API request waited for the rate limiter (Frame.io's per-class buckets and requests_per_second)",
		buckets: WAIT_BUCKETS,
		registers,
	});
	const rateLimited = new Counter({name: 'frameio_admin_rate_limited_total', help: 'Answers of 429 (rate limited) from the Frame.io API, every attempt counted', registers});
	const cache = new Counter({name: 'frameio_admin_cache_lookups_total', help: 'API cache lookups, by result', labelNames: ['result'] as const, registers});
	const uploadBytes = new Counter({name: 'frameio_admin_upload_bytes_total', help: 'Bytes of uploads sent to storage', registers});
	const uploads = new Counter({name: 'frameio_admin_uploads_total', help: 'Uploads finished, by result', labelNames: ['result'] as const, registers});
	const breakerOpen = new Gauge({
		name: 'frameio_admin_breaker_open',
		help: 'Circuit breaker: 1 while open or half-open (requests held back), 0 when closed',
		registers,
	});
	const info = new Gauge({name: 'frameio_admin_build_info', help: 'Always 1: the version of frameio-admin this process runs', labelNames: ['version'] as const, registers});
	info.set({version: options.version ?? 'unknown'}, 1);

	// Every label value a rate() or a ratio in docs/prometheus/alerts.yml divides by exists from the first scrape.
	for (const result of CACHE_RESULTS) cache.inc({result}, 0);
	for (const result of UPLOAD_RESULTS) uploads.inc({result}, 0);
	breakerOpen.set(isHeldBack(options.breakerState?.() ?? 'closed'));

	const onEvent = (event: AppEvent) => {
		switch (event.type) {
			case 'api':
				// An answer from the cache sent nothing to Frame.io: it counts as a cache lookup, not a request.
				if (event.fromCache) return;
				requests.inc({op: event.op, status: String(event.status)});
				if (event.retries > 0) retries.inc(event.retries);
				wire.observe(event.ms / 1000);
				wait.observe((event.queueMs ?? 0) / 1000);
				// Every 429 among the attempts, when the client says (a 429 waited out and retried is one too); else
				// the final answer's.
				const refused = event.rateLimited ?? (event.status === 429 ? 1 : 0);
				if (refused > 0) rateLimited.inc(refused);
				return;
			case 'cache':
				if (event.op === 'hit' || event.op === 'miss') cache.inc({result: event.op});
				return;
			case 'upload-bytes':
				if (event.bytes > 0) uploadBytes.inc(event.bytes);
				return;
			case 'upload':
				uploads.inc({result: event.outcome});
				return;
			case 'breaker':
				breakerOpen.set(isHeldBack(event.state));
				return;
		}
	};
	const detach = options.bus.on(onEvent);

	return {
		registry,
		async scrape() {
			return {contentType: registry.contentType, body: await registry.metrics()};
		},
		detach,
	};
}

/** Half-open lets one probe through and holds the rest back: for a dashboard that is still "open". */
function isHeldBack(state: BreakerState): number {
	return state === 'closed' ? 0 : 1;
}
