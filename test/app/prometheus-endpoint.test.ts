// Prometheus /metrics of a long-running process (openLiveMonitoring): real API calls to an in-process sandbox over
// loopback show up in the scrape, labelled with the node; metrics.port and metrics.host come from the config, a
// --metrics-port wins over them, a port in use is an error for the flag and a warning for the config.
import {writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {openLiveMonitoring, type LiveMonitoring} from '../../source/app/live-monitoring.js';
import {openApp, type App} from '../../source/app/open-app.js';
import {loadConfig} from '../../source/config/index.js';
import {histogram, scrape, value} from '../helpers/prometheus-text.js';
import {testDir} from '../helpers/secret-scan.js';

let app: App | undefined;
let live: LiveMonitoring | undefined;
const blockers: net.Server[] = [];
afterEach(async () => {
	live?.stop();
	await live?.flush(100);
	await app?.close();
	app = live = undefined;
	for (const server of blockers.splice(0)) server.close();
});

async function open(metrics?: {port?: number | null; host?: string}): Promise<App> {
	const configDir = testDir('prometheus-config');
	writeFileSync(path.join(configDir, 'optimization.json'), JSON.stringify({monitoring: {system_metrics_interval: 600}, ...(metrics ? {metrics} : {})}));
	app = await openApp({paths: {configDir, stateDir: testDir('prometheus-state'), logsDir: testDir('prometheus-logs')}, sandbox: true, sandboxOptions: {seed: 'empty'}});
	return app;
}

/** A port something else holds. */
async function takenPort(): Promise<number> {
	const server = net.createServer();
	blockers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as net.AddressInfo).port;
}

describe('openLiveMonitoring: Prometheus /metrics', () => {
	it('counts the real API calls of the process, labelled with the node and the role', async () => {
		const app = await open();
		live = await openLiveMonitoring(app, {role: 'watch', port: 0}, {env: {FRAMEIO_NODE_NAME: 'render-42'}, probe: false});
		expect(live.prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
		const accounts = await app.client.accounts();
		expect(accounts.length).toBeGreaterThan(0);
		await app.client.me();
		await app.client.me();
		await app.structure.accounts(); // a miss, then a hit from the cache
		await app.structure.accounts();

		const {metrics} = await scrape(live.prometheus.url!);
		const node = {node: 'render-42', role: 'watch'};
		expect(value(metrics, 'frameio_admin_api_requests_total', {...node, op: 'me', status: '200'})).toBe(2);
		expect(value(metrics, 'frameio_admin_api_requests_total', {...node, op: 'accounts.index', status: '200'})).toBeGreaterThanOrEqual(2);
		const wire = histogram(metrics, 'frameio_admin_api_wire_seconds', node)!;
		expect(wire.count).toBe(value(metrics, 'frameio_admin_api_requests_total', node));
		expect(wire.sum).toBeGreaterThan(0);
		expect(value(metrics, 'frameio_admin_cache_lookups_total', {...node, result: 'hit'})).toBeGreaterThanOrEqual(1);
		expect(value(metrics, 'frameio_admin_cache_lookups_total', {...node, result: 'miss'})).toBeGreaterThanOrEqual(1);
		expect(value(metrics, 'frameio_admin_breaker_open', node)).toBe(0);
		expect(value(metrics, 'process_resident_memory_bytes', node)).toBeGreaterThan(0);

		const url = live.prometheus.url!;
		live.stop();
		await expect(fetch(url)).rejects.toThrow();
	});

	it('serves nothing without a port; metrics.port from the config; --metrics-port wins', async () => {
		const configured = await takenPort();
		blockers.pop()!.close(); // free again: the config's port
		const app = await open({port: configured});
		live = await openLiveMonitoring(app, {role: 'upload'}, {probe: false});
		expect(live.prometheus.url).toBe(`http://127.0.0.1:${configured}/metrics`);
		expect((await scrape(live.prometheus.url!)).status).toBe(200);
		live.stop();
		await app.close();

		const other = await open({port: configured});
		live = await openLiveMonitoring(other, {role: 'upload', port: 0}, {probe: false});
		expect(live.prometheus.url).not.toBe(`http://127.0.0.1:${configured}/metrics`);
		live.stop();
		await other.close();

		const off = await open();
		live = await openLiveMonitoring(off, {role: 'console'}, {probe: false});
		expect(live.prometheus).toEqual({url: null, warning: null});
	});

	it('a --metrics-port in use fails the start; a metrics.port in use is a warning and the process goes on', async () => {
		const port = await takenPort();
		const app = await open({port});
		await expect(openLiveMonitoring(app, {role: 'watch', port}, {probe: false})).rejects.toThrow(`cannot serve /metrics on 127.0.0.1:${port}: the port is in use`);
		live = await openLiveMonitoring(app, {role: 'watch'}, {probe: false});
		expect(live.prometheus.url).toBeNull();
		expect(live.prometheus).toMatchObject({warning: expect.stringContaining(`127.0.0.1:${port}: the port is in use; this watch serves no /metrics`)});
	});

	it('binds metrics.host', async () => {
		const app = await open({host: 'localhost'});
		live = await openLiveMonitoring(app, {role: 'console', port: 0}, {probe: false});
		expect(live.prometheus.url).toMatch(/^http:\/\/localhost:\d+\/metrics$/);
		expect((await scrape(live.prometheus.url!)).status).toBe(200);
	});
});

describe('metrics config', () => {
	it('refuses a port or a host out of bounds, naming the key', () => {
		for (const [metrics, message] of [
			[{port: 70_000}, /at metrics\.port$/],
			[{port: 0}, /at metrics\.port$/],
			[{port: 9464.5}, /at metrics\.port$/],
			[{host: '0.0.0.0; rm'}, /expected an address or a host name.* at metrics\.host$/],
			[{host: ''}, /at metrics\.host$/],
		] as const) {
			const configDir = testDir('prometheus-bad-config');
			writeFileSync(path.join(configDir, 'optimization.json'), JSON.stringify({metrics}));
			expect(() => loadConfig(configDir), JSON.stringify(metrics)).toThrow(message);
		}
		const configDir = testDir('prometheus-good-config');
		writeFileSync(path.join(configDir, 'optimization.json'), '{"metrics": {"port": 9464, "host": "0.0.0.0"}}');
		expect(loadConfig(configDir).optimization.metrics).toEqual({port: 9464, host: '0.0.0.0'});
	});
});
