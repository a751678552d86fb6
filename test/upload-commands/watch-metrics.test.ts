// `watch --metrics-port 0` as a real process: it says where /metrics is, and a scrape after it uploaded a file to the
// sandbox (real API calls over loopback) parses with a Prometheus text-format parser and counts what it did,
// labelled with the node. A bad port is a usage error.
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {histogram, scrape, series, value} from '../helpers/prometheus-text.js';
import {cli, freshDirs, KiB, makeFile, sandboxEnv, spawnCli, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

async function until(check: () => boolean, what: string, output: () => string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`${what} did not happen: ${output()}`);
		await new Promise(resolve => setTimeout(resolve, 25));
	}
}

describe('watch --metrics-port', () => {
	it('serves /metrics while it runs: the API calls and the upload it made, labelled with the node', async () => {
		const dir = testDir('watch-metrics');
		const name = 'UNDLM_SEQ04_00040_v001.mp4';
		const size = 300 * KiB;
		makeFile(dir, name, size);
		const run = spawnCli(['watch', dir, '--metrics-port', '0', '--interval', '0.2s', '--stable', '0.1s'], freshDirs(), sandboxEnv(sandbox, {FRAMEIO_NODE_NAME: 'render-77'}));
		try {
			let url: string | undefined;
			await until(() => (url = /serving Prometheus metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(run.output())?.[1]) !== undefined, 'the metrics URL', run.output);
			await until(() => run.output().includes(`done     ${name}`), 'the upload', run.output);

			// Bytes on the wire reach the bus a few times a second (upload/bytes-on-the-wire.ts): the last ones may come
			// just after the file's result line.
			let scraped = await scrape(url!);
			for (let tries = 0; value(scraped.metrics, 'frameio_admin_upload_bytes_total') !== size && tries < 40; tries++) {
				await new Promise(resolve => setTimeout(resolve, 50));
				scraped = await scrape(url!);
			}
			const {status, contentType, metrics} = scraped;
			expect(status).toBe(200);
			expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
			const node = {node: 'render-77', role: 'watch'};
			expect(value(metrics, 'frameio_admin_api_requests_total', {...node, op: 'files.local_upload'})).toBe(1);
			expect(value(metrics, 'frameio_admin_api_requests_total', {...node, op: 'me', status: '200'})).toBeGreaterThanOrEqual(1);
			const requests = value(metrics, 'frameio_admin_api_requests_total', node)!;
			expect(requests).toBeGreaterThanOrEqual(4);
			expect(series(metrics, 'frameio_admin_api_requests_total', node).every(entry => /^\d{3}$/.test(entry.labels.status))).toBe(true);
			expect(histogram(metrics, 'frameio_admin_api_wire_seconds', node)?.count).toBe(requests);
			expect(histogram(metrics, 'frameio_admin_rate_limit_wait_seconds', node)?.count).toBe(requests);
			expect(value(metrics, 'frameio_admin_rate_limited_total', node)).toBe(0);
			expect(value(metrics, 'frameio_admin_upload_bytes_total', node)).toBe(size);
			expect(value(metrics, 'frameio_admin_uploads_total', {...node, result: 'done'})).toBe(1);
			expect(value(metrics, 'frameio_admin_uploads_total', {...node, result: 'failed'})).toBe(0);
			expect(value(metrics, 'frameio_admin_cache_lookups_total', {...node, result: 'miss'})).toBeGreaterThanOrEqual(1);
			expect(value(metrics, 'frameio_admin_breaker_open', node)).toBe(0);
			expect(value(metrics, 'process_resident_memory_bytes', node)).toBeGreaterThan(1024 * 1024);
			expect(value(metrics, 'frameio_admin_build_info', node)).toBe(1);
			for (const [metricName, metric] of Object.entries(metrics)) {
				for (const entry of metric.data) expect(entry.labels, metricName).toMatchObject(node);
			}
		} finally {
			run.child.kill('SIGINT');
		}
		expect(await run.exited).toBe(0);
	});

	it('refuses a port that is not one', async () => {
		const result = await cli(['watch', path.join(testDir('watch-metrics-usage')), '--once', '--metrics-port', '99999'], freshDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--metrics-port must be a TCP port from 1 to 65535 (0: any free port), got "99999"');
	});
});
