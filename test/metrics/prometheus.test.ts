// The Prometheus exporter and its /metrics endpoint: events on a bus become the documented series, every one labelled
// with the node and the role, served over real HTTP on loopback and read back with a real text-format parser.
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus, type ApiCallEvent} from '../../source/events/index.js';
import {startMetricsEndpoint, type MetricsEndpoint} from '../../source/metrics/metrics-endpoint.js';
import {createPrometheusExporter, type PrometheusExporter} from '../../source/metrics/prometheus.js';
import {histogram, scrape, series, value} from '../helpers/prometheus-text.js';

let exporter: PrometheusExporter | undefined;
let endpoint: MetricsEndpoint | undefined;
afterEach(async () => {
	exporter?.detach();
	await endpoint?.close();
	exporter = endpoint = undefined;
});

const api = (fields: Partial<ApiCallEvent>): ApiCallEvent => ({type: 'api', at: Date.now(), op: 'me', method: 'GET', status: 200, ms: 100, bytes: 10, retries: 0, fromCache: false, ...fields});

async function serve(bus: EventBus, breaker: 'closed' | 'open' = 'closed') {
	exporter = createPrometheusExporter({bus, node: 'render-07', role: 'watch', version: '9.9.9', breakerState: () => breaker});
	const current = exporter;
	endpoint = await startMetricsEndpoint({port: 0, scrape: () => current.scrape()});
	return endpoint;
}

describe('Prometheus exporter', () => {
	it('turns API calls, cache lookups, uploads and the breaker into the documented series, each labelled with the node', async () => {
		const bus = new EventBus();
		const {url} = await serve(bus);
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

		bus.emit(api({op: 'folders.children', status: 200, ms: 40, queueMs: 0}));
		// Two 429s waited out, then an answer.
		bus.emit(api({op: 'folders.children', status: 200, ms: 60, queueMs: 1500, retries: 2, rateLimited: 2}));
		bus.emit(api({op: 'files.local_upload', status: 429, ms: 20, queueMs: 250, errorKind: 'rate_limit'}));
		bus.emit(api({op: 'files.show', status: 0, ms: 3000, errorKind: 'timeout'}));
		// An answer from the cache is a lookup, not a request to Frame.io.
		bus.emit(api({op: 'folders.children', status: 200, ms: 0, fromCache: true}));
		for (const op of ['hit', 'hit', 'hit', 'miss', 'set'] as const) bus.emit({type: 'cache', at: Date.now(), op, key: 'folders_x'});
		bus.emit({type: 'upload-bytes', at: Date.now(), bytes: 3_000_000});
		bus.emit({type: 'upload-bytes', at: Date.now(), bytes: 1_500_000});
		bus.emit({type: 'upload', at: Date.now(), id: 'u1', name: 'a.mov', bytes: 4_500_000, seconds: 2, mbps: 2.25, outcome: 'done'});
		bus.emit({type: 'upload', at: Date.now(), id: 'u2', name: 'b.mov', bytes: 0, seconds: 1, mbps: 0, outcome: 'failed'});
		bus.emit({type: 'breaker', at: Date.now(), state: 'open'});

		const {status, contentType, metrics} = await scrape(url);
		expect(status).toBe(200);
		expect(contentType).toContain('text/plain');
		const node = {node: 'render-07', role: 'watch'};

		expect(value(metrics, 'frameio_admin_api_requests_total', {...node, op: 'folders.children', status: '200'})).toBe(2);
		expect(value(metrics, 'frameio_admin_api_requests_total', {op: 'files.local_upload', status: '429'})).toBe(1);
		expect(value(metrics, 'frameio_admin_api_requests_total', {op: 'files.show', status: '0'})).toBe(1);
		expect(value(metrics, 'frameio_admin_api_requests_total', node)).toBe(4);
		expect(value(metrics, 'frameio_admin_api_retries_total', node)).toBe(2);
		expect(value(metrics, 'frameio_admin_rate_limited_total', node)).toBe(3);

		const wire = histogram(metrics, 'frameio_admin_api_wire_seconds', node)!;
		expect(wire.count).toBe(4);
		expect(wire.sum).toBeCloseTo(3.12, 6);
		expect(wire.buckets['0.05']).toBe(2); // 20 ms and 40 ms
		expect(wire.buckets['0.1']).toBe(3);
		expect(wire.buckets['+Inf']).toBe(4);
		const wait = histogram(metrics, 'frameio_admin_rate_limit_wait_seconds', node)!;
		expect(wait.count).toBe(4);
		expect(wait.sum).toBeCloseTo(1.75, 6);
		expect(wait.buckets['0.001']).toBe(2);

		expect(value(metrics, 'frameio_admin_cache_lookups_total', {...node, result: 'hit'})).toBe(3);
		expect(value(metrics, 'frameio_admin_cache_lookups_total', {...node, result: 'miss'})).toBe(1);
		expect(value(metrics, 'frameio_admin_upload_bytes_total', node)).toBe(4_500_000);
		expect(value(metrics, 'frameio_admin_uploads_total', {...node, result: 'done'})).toBe(1);
		expect(value(metrics, 'frameio_admin_uploads_total', {...node, result: 'failed'})).toBe(1);
		expect(value(metrics, 'frameio_admin_uploads_total', {...node, result: 'cancelled'})).toBe(0);
		expect(value(metrics, 'frameio_admin_breaker_open', node)).toBe(1);
		expect(value(metrics, 'frameio_admin_build_info', {...node, version: '9.9.9'})).toBe(1);

		// prom-client's default process metrics, labelled with the node too.
		expect(value(metrics, 'process_resident_memory_bytes', node)).toBeGreaterThan(0);
		expect(value(metrics, 'process_cpu_seconds_total', node)).toBeGreaterThan(0);
		expect(series(metrics, 'nodejs_eventloop_lag_seconds', node)).toHaveLength(1);
		// Every series of every metric says which node it comes from.
		for (const [name, metric] of Object.entries(metrics)) {
			for (const entry of metric.data) expect(entry.labels.node, name).toBe('render-07');
		}

		bus.emit({type: 'breaker', at: Date.now(), state: 'closed'});
		expect(value((await scrape(url)).metrics, 'frameio_admin_breaker_open')).toBe(0);
	});

	it('starts from the breaker state it is given and from zero for every result a ratio divides by', async () => {
		const {url} = await serve(new EventBus(), 'open');
		const {metrics} = await scrape(url);
		expect(value(metrics, 'frameio_admin_breaker_open')).toBe(1);
		expect(value(metrics, 'frameio_admin_cache_lookups_total', {result: 'miss'})).toBe(0);
		expect(value(metrics, 'frameio_admin_uploads_total', {result: 'failed'})).toBe(0);
		expect(histogram(metrics, 'frameio_admin_api_wire_seconds')?.count).toBe(0);
	});

	it('stops counting once detached; each exporter has a registry of its own', async () => {
		const bus = new EventBus();
		const {url} = await serve(bus);
		const other = createPrometheusExporter({bus, node: 'render-08', role: 'upload'});
		bus.emit(api({}));
		exporter!.detach();
		bus.emit(api({}));
		expect(value((await scrape(url)).metrics, 'frameio_admin_api_requests_total')).toBe(1);
		const text = (await other.scrape()).body;
		expect(text).toContain('frameio_admin_api_requests_total{op="me",status="200",node="render-08",role="upload"} 2');
		expect(text).not.toContain('render-07');
		other.detach();
	});

	it('serves only GET /metrics; a port in use is a clear error', async () => {
		const {url, port} = await serve(new EventBus());
		const base = url.replace(/\/metrics$/, '');
		expect((await fetch(`${base}/`)).status).toBe(404);
		expect((await fetch(`${base}/metrics/../other`)).status).toBe(404);
		const post = await fetch(url, {method: 'POST', body: 'x'});
		expect(post.status).toBe(405);
		expect(post.headers.get('allow')).toBe('GET, HEAD');
		const head = await fetch(url, {method: 'HEAD'});
		expect(head.status).toBe(200);
		expect(await head.text()).toBe('');
		await expect(startMetricsEndpoint({port, scrape: async () => ({contentType: 'text/plain', body: ''})})).rejects.toThrow(`cannot serve /metrics on 127.0.0.1:${port}: the port is in use`);
	});
});
