import {afterEach, describe, expect, it} from 'vitest';
import type {AppEvent} from '../../source/events/index.js';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

const MB = 1024 * 1024;

function withActivity() {
	const fakes = fakePorts();
	const now = Date.now();
	const events: AppEvent[] = [];
	// 20 calls over the last 20 s: latencies 100..290 ms, two 503s.
	for (let i = 0; i < 20; i++) {
		events.push({type: 'api', at: now - (19 - i) * 1000, op: 'projects.list', method: 'GET', status: i % 10 === 3 ? 503 : 200, ms: 100 + i * 10, bytes: 500, retries: 0, fromCache: false});
	}
	events.push({type: 'upload', at: now - 5000, id: 'u1', name: 'a.mov', bytes: 50 * MB, seconds: 2, mbps: 25, outcome: 'done'});
	for (let i = 4; i >= 0; i--) events.push({type: 'system', at: now - i * 1000, cpuPercent: 3 + i, rssBytes: (80 + i) * MB});
	events.push({type: 'cache', at: now, op: 'hit', key: 'projects_1', count: 7}, {type: 'cache', at: now, op: 'miss', key: 'projects_2', count: 3});
	fakes.record(...events);
	return fakes;
}

describe('Metrics pane', () => {
	it('shows sparklines and the figures of the window', async () => {
		harness = renderConsole(withActivity(), {pane: 'metrics', columns: 120});
		const frame = await harness.waitFor('latency');
		const line = (label: string) => frame.split('\n').find(row => row.startsWith(label)) ?? '';
		expect(frame).toContain('window 5 m');
		expect(line('latency')).toMatch(/[▁▂▃▄▅▆▇█]{10,}/);
		expect(line('latency')).toContain('mean 195 ms');
		expect(line('latency')).toContain('max 290 ms');
		expect(line('req/s')).toContain('20 calls');
		expect(line('req/s')).toContain('ok 90.0 %');
		expect(line('upload MB/s')).toContain('mean 25.0 MB/s');
		expect(line('upload MB/s')).toContain('1 done');
		expect(line('cpu %')).toContain('last 3.0 %');
		expect(line('cpu %')).toContain('peak 7.0');
		expect(line('rss MB')).toContain('peak 84 MB');
		expect(frame).toContain('cache hit rate 70.0 % (7 hits, 3 misses)');
		expect(frame).toContain('errors 2 (10.0 %) · 5xx 2');
	});

	it('cycles the window with w: 5 m → 1 h → 1 m', async () => {
		harness = renderConsole(withActivity(), {pane: 'metrics'});
		await harness.waitFor('window 5 m');
		await harness.press('w');
		await harness.waitFor('window 1 h');
		await harness.press('w');
		await harness.waitFor('window 1 m');
		await harness.press('w');
		await harness.waitFor('window 5 m');
	});

	it('the window changes the sparklines, and each says its span', async () => {
		const fakes = fakePorts();
		const now = Date.now();
		// Calls 30 minutes ago only: inside the 1 h window, outside the 5 m one.
		for (let i = 0; i < 30; i++) fakes.record({type: 'api', at: now - 30 * 60_000 + i * 1000, op: 'me', method: 'GET', status: 200, ms: 80, bytes: 10, retries: 0, fromCache: false});
		harness = renderConsole(fakes, {pane: 'metrics', columns: 120});
		const spark = (frame: string) => (frame.split('\n').find(row => row.startsWith('req/s')) ?? '').match(/[▁▂▃▄▅▆▇█]+/)?.[0] ?? '';
		let frame = await harness.waitFor('window 5 m');
		expect(spark(frame)).toMatch(/^▁+$/);
		expect(frame.split('\n').find(row => row.startsWith('req/s'))).toMatch(/[▁▂▃▄▅▆▇█]+ +5 m /);
		await harness.press('w');
		frame = await harness.waitFor('window 1 h');
		expect(spark(frame)).toMatch(/[▂▃▄▅▆▇█]/);
		expect(frame.split('\n').find(row => row.startsWith('req/s'))).toMatch(/[▁▂▃▄▅▆▇█]+ +1 h /);
	});

	it('shows the wait for the rate limit apart from latency', async () => {
		const fakes = fakePorts();
		const now = Date.now();
		for (let i = 0; i < 10; i++) fakes.record({type: 'api', at: now - i * 1000, op: 'folders.list', method: 'GET', status: 200, ms: 12, queueMs: 3200, retryWaitMs: 0, bytes: 10, retries: 0, fromCache: false});
		harness = renderConsole(fakes, {pane: 'metrics', columns: 200});
		const frame = await harness.waitFor('latency');
		expect(frame).toContain('mean 12 ms');
		expect(frame).toContain('waiting for rate limit: mean 3.2 s, max 3.2 s');
	});

	it('counts the webhook deliveries and refusals when the console runs a receiver, and says nothing of webhooks when it does not', async () => {
		const fakes = withActivity();
		const now = Date.now();
		fakes.record(
			{type: 'webhook', at: now - 3000, outcome: 'accepted', event: 'file.created', dropped: 2},
			{type: 'webhook', at: now - 2000, outcome: 'accepted', event: 'file.versioned', dropped: 1},
			{type: 'webhook', at: now - 1000, outcome: 'refused', reason: 'bad_signature'},
		);
		const store = fakes.metrics;
		const metrics = {figures: (windowMs: number) => store.figures(windowMs), series: store.series.bind(store), webhookReceiver: 'http://127.0.0.1:8080/'};
		harness = renderConsole({...fakes, ports: {...fakes.ports, metrics}}, {pane: 'metrics', columns: 100});
		let frame = await harness.waitFor('webhooks:');
		expect(frame).toContain('webhooks: 2 deliveries · 1 refused in the last 5 m · at http://127.0.0.1:8080/');
		harness.cleanup();

		harness = renderConsole(withActivity(), {pane: 'metrics', columns: 100});
		frame = await harness.waitFor('latency');
		expect(frame).not.toContain('webhooks');
	});

	it('lists active and recent alerts with value against threshold', async () => {
		const fakes = withActivity();
		const at = new Date(2025, 0, 7, 14, 30, 15).getTime();
		fakes.alerts.activeList = [
			{id: 'lat', rule: 'api_latency', level: 'warning', message: 'Mean API latency 6.2 s > 5 s over 5 min', value: '6.2 s', threshold: '5 s', at, state: 'firing'},
		];
		fakes.alerts.recentList = [
			fakes.alerts.activeList[0],
			{id: 'mem', rule: 'memory', level: 'error', message: 'Process memory 410 MB ≤ 500 MB', value: '410 MB', threshold: '500 MB', at, state: 'resolved'},
		];
		harness = renderConsole(fakes, {pane: 'metrics', columns: 140});
		const frame = await harness.waitFor('active alerts: 1');
		expect(frame).toContain('WARNING  14:30:15  Mean API latency 6.2 s > 5 s over 5 min  (value 6.2 s vs threshold 5 s)');
		expect(frame).toContain('RESOLVED ERROR    14:30:15  Process memory 410 MB ≤ 500 MB  (value 410 MB vs threshold 500 MB)');
		expect(frame.split('\n')[1]).toContain('alerts 1');
	});

	it('says in words what has no data, never N/A or a made-up zero', async () => {
		harness = renderConsole(fakePorts(), {pane: 'metrics', columns: 120});
		const frame = await harness.waitFor('latency');
		const line = (label: string) => frame.split('\n').find(row => row.startsWith(label)) ?? '';
		expect(line('latency')).toContain('no API calls in this window');
		expect(line('req/s')).toContain('no API calls in this window');
		expect(line('upload MB/s')).toContain('no uploads in this window');
		expect(line('cpu %')).toContain('no samples yet');
		expect(line('rss MB')).toContain('no samples yet');
		expect(frame).toContain('cache: no lookups yet');
		expect(frame).toContain('probe not run yet');
		expect(frame).not.toContain('N/A');
	});

	it('reads an alert whole with Enter, with its host and recommended action, and the details follow the cursor', async () => {
		const fakes = withActivity();
		const at = new Date(2025, 0, 7, 14, 30, 15).getTime();
		const action = 'check the network path to api.frame.io; look at the Health tab for the probe and the breaker, and at the logs for timeouts';
		fakes.alerts.activeList = [
			{id: 'lat', rule: 'api_latency', level: 'warning', message: 'Mean API latency 6.2 s > 5 s over 5 min, measured on the wire for every call of the window', value: '6.2 s', threshold: '5 s', at, state: 'firing', host: 'render-node-07', action},
		];
		fakes.alerts.recentList = [
			fakes.alerts.activeList[0],
			{id: 'mem', rule: 'memory', level: 'error', message: 'Process memory 410 MB ≤ 500 MB', value: '410 MB', threshold: '500 MB', at: at - 60_000, state: 'resolved', host: 'render-node-07'},
		];
		harness = renderConsole(fakes, {pane: 'metrics', columns: 80, rows: 30});
		let frame = await harness.waitFor('active alerts: 1');
		// At 80 columns the line is cut…
		expect(frame).not.toContain(action);
		await harness.press(KEY.enter);
		frame = await harness.waitFor('render-node-07');
		// …and Enter shows it whole, wrapped.
		const squeezed = frame.replace(/\s+/g, '');
		expect(squeezed).toContain(action.replace(/\s+/g, ''));
		expect(squeezed).toContain('MeanAPIlatency6.2s>5sover5min,measuredonthewireforeverycallofthewindow');
		expect(frame).toMatch(/value +6\.2 s \(threshold 5 s\)/);
		expect(frame).toMatch(/state +firing now/);
		await harness.press('j', 'j');
		frame = await harness.waitFor('Process memory 410 MB');
		expect(frame).toMatch(/state +resolved/);
		expect(frame).not.toContain(action.slice(0, 40));
		await harness.press(KEY.escape);
		await harness.waitFor(text => !text.includes('Esc closes'));
	});
});
