import {readFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EventBus, type AppEvent} from '../../source/events/index.js';
import {createLogging} from '../../source/log/logger.js';
import type {SamplerClock} from '../../source/metrics/sampler.js';
import {attachEventLog} from '../../source/metrics/event-log.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {figuresFromLogs} from '../../source/metrics/report/from-logs.js';
import {testDir} from '../helpers/secret-scan.js';

function manualClock() {
	let tick: (() => void) | null = null;
	const clock: SamplerClock & {fire(): void; intervalMs: number | null; cleared: boolean} = {
		intervalMs: null,
		cleared: false,
		now: () => Date.now(),
		setInterval(callback, ms) {
			tick = callback;
			clock.intervalMs = ms;
			return 1;
		},
		clearInterval() {
			clock.cleared = true;
		},
		fire: () => tick?.(),
	};
	return clock;
}

function readLines(logsDir: string): Array<Record<string, unknown>> {
	return readFileSync(path.join(logsDir, 'frameio_admin.log'), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as Record<string, unknown>);
}

const at = () => Date.now();

describe('attachEventLog', () => {
	it('writes one info line per API call with the report fields and a readable message', () => {
		const logsDir = testDir('eventlog-api');
		const logging = createLogging({logsDir, debug: false});
		const bus = new EventBus();
		const log = attachEventLog(bus, logging, {clock: manualClock()});
		bus.emit({type: 'api', at: at(), op: 'folders.children', method: 'GET', status: 200, ms: 131.6, bytes: 900, retries: 0, fromCache: false});
		bus.emit({type: 'api', at: at(), op: 'me', method: 'GET', status: 503, ms: 2104, bytes: 80, retries: 3, fromCache: false, errorKind: 'server'});
		bus.emit({type: 'api', at: at(), op: 'me', method: 'GET', status: 200, ms: 0, bytes: 0, retries: 0, fromCache: true});
		log.detach();
		logging.close();
		const lines = readLines(logsDir);
		expect(lines).toHaveLength(2); // the cached answer is a debug line only
		expect(lines[0]).toMatchObject({level: 'info', logger: 'frameio.api', event: 'api', op: 'folders.children', method: 'GET', status: 200, ms: 132, bytes: 900, retries: 0, msg: 'GET folders.children 200 132 ms'});
		expect(lines[0]).not.toHaveProperty('errorKind');
		expect(lines[1]).toMatchObject({event: 'api', status: 503, errorKind: 'server', retries: 3, msg: 'GET me 503 2104 ms (server, 3 retries)'});
	});

	it('summarises cache hits/misses and system samples once per interval, with the deltas since the last line', () => {
		const logsDir = testDir('eventlog-summary');
		const logging = createLogging({logsDir});
		const bus = new EventBus();
		const clock = manualClock();
		const log = attachEventLog(bus, logging, {clock, summaryIntervalMs: 60_000});
		expect(clock.intervalMs).toBe(60_000);
		for (let i = 0; i < 7; i++) bus.emit({type: 'cache', at: at(), op: 'hit', key: `folders_${i}`});
		bus.emit({type: 'cache', at: at(), op: 'miss', key: 'folders_x'});
		bus.emit({type: 'cache', at: at(), op: 'hit', key: 'projects_1', count: 3});
		bus.emit({type: 'cache', at: at(), op: 'set', key: 'projects_1'});
		bus.emit({type: 'system', at: at(), cpuPercent: 10, rssBytes: 100});
		bus.emit({type: 'system', at: at(), cpuPercent: 30, rssBytes: 300});
		expect(readLines(logsDir)).toHaveLength(0); // nothing until the interval ends
		clock.fire();
		bus.emit({type: 'cache', at: at(), op: 'miss', key: 'folders_y'});
		clock.fire();
		clock.fire(); // nothing new: no line
		log.detach();
		expect(clock.cleared).toBe(true);
		logging.close();
		const lines = readLines(logsDir);
		expect(lines.filter(line => line.event === 'cache_summary').map(line => [line.hits, line.misses])).toEqual([
			[10, 1],
			[0, 1],
		]);
		const system = lines.filter(line => line.event === 'system');
		expect(system).toHaveLength(1);
		expect(system[0]).toMatchObject({logger: 'frameio.app', level: 'info', samples: 2, cpuMean: 20, cpuPeak: 30, rssMean: 200, rssPeak: 300});
	});

	it('writes uploads at info, probe failures at warn, and flushes pending summaries on detach', () => {
		const logsDir = testDir('eventlog-misc');
		const logging = createLogging({logsDir});
		const bus = new EventBus();
		const log = attachEventLog(bus, logging, {clock: manualClock()});
		bus.emit({type: 'upload', at: at(), id: 'q1', name: 'A.mp4', bytes: 2 * 1048576, seconds: 0.5, mbps: 4, outcome: 'done'});
		bus.emit({type: 'upload', at: at(), id: 'q2', name: 'B.mp4', bytes: 0, seconds: 1, mbps: 0, outcome: 'failed', reason: 'part 3 failed after 4 attempts'});
		bus.emit({type: 'probe', at: at(), ok: false, ms: 10_000, status: 0, reason: 'timeout'});
		bus.emit({type: 'probe', at: at(), ok: true, ms: 40, status: 200});
		bus.emit({type: 'cache', at: at(), op: 'hit', key: 'k'});
		log.detach();
		bus.emit({type: 'api', at: at(), op: 'me', method: 'GET', status: 200, ms: 1, bytes: 1, retries: 0, fromCache: false});
		logging.close();
		const lines = readLines(logsDir);
		expect(lines.map(line => line.event)).toEqual(['upload', 'upload', 'probe', 'cache_summary']);
		expect(lines[0]).toMatchObject({level: 'info', logger: 'frameio.upload', outcome: 'done', bytes: 2 * 1048576, seconds: 0.5, mbps: 4});
		expect(lines[1]).toMatchObject({outcome: 'failed', reason: 'part 3 failed after 4 attempts'});
		expect(lines[2]).toMatchObject({level: 'warn', logger: 'frameio.api', ok: false, reason: 'timeout'});
	});

	it('a report over the logged lines has the numbers a MetricsStore fed the same events has (property)', async () => {
		const apiEvent = fc.record({
			ms: fc.integer({min: 0, max: 20_000}),
			status: fc.constantFrom(200, 201, 204, 404, 429, 500, 503, 0),
			retries: fc.integer({min: 0, max: 3}),
		});
		const uploadEvent = fc.record({outcome: fc.constantFrom('done' as const, 'failed' as const, 'cancelled' as const), mbps: fc.integer({min: 1, max: 500_000}).map(n => n / 1000)});
		const cacheEvent = fc.record({hit: fc.boolean(), count: fc.integer({min: 1, max: 5})});
		const systemEvent = fc.record({cpu: fc.integer({min: 0, max: 4000}).map(n => n / 10), rss: fc.integer({min: 1, max: 2_000_000_000})});
		await fc.assert(
			fc.asyncProperty(
				fc.array(apiEvent, {maxLength: 40}),
				fc.array(uploadEvent, {maxLength: 8}),
				fc.array(cacheEvent, {maxLength: 20}),
				fc.array(systemEvent, {maxLength: 12}),
				async (apis, uploads, caches, systems) => {
					const logsDir = testDir('eventlog-roundtrip');
					const logging = createLogging({logsDir});
					const bus = new EventBus();
					const direct = new MetricsStore({slowOperationThresholdSeconds: 5});
					direct.attach(bus);
					const log = attachEventLog(bus, logging, {clock: manualClock()});
					const events: AppEvent[] = [
						...apis.map((a): AppEvent => ({type: 'api', at: at(), op: 'me', method: 'GET', status: a.status, ms: a.ms, bytes: 10, retries: a.retries, fromCache: false})),
						...uploads.map((u, i): AppEvent => ({type: 'upload', at: at(), id: `u${i}`, name: 'F.mov', bytes: 1000, seconds: 1, mbps: u.mbps, outcome: u.outcome})),
						...caches.map((c): AppEvent => ({type: 'cache', at: at(), op: c.hit ? 'hit' : 'miss', key: 'k', count: c.count})),
						...systems.map((s): AppEvent => ({type: 'system', at: at(), cpuPercent: s.cpu, rssBytes: s.rss})),
					];
					for (const event of events) bus.emit(event);
					log.detach();
					logging.close();
					const now = Date.now() + 1000;
					const live = direct.figures(3_600_000, now);
					const {figures: replayed} = await figuresFromLogs({logsDir, windowMs: 3_600_000, now, slowOperationThresholdSeconds: 5});
					expect(replayed.api).toEqual({...live.api, ratePerSec: replayed.api.ratePerSec});
					expect(replayed.errors).toEqual(live.errors);
					expect(replayed.uploads).toEqual(live.uploads);
					expect(replayed.cache).toEqual(live.cache);
					for (const key of ['mean', 'peak'] as const) {
						for (const figure of ['cpuPercent', 'rssBytes'] as const) {
							const a = live.system[figure][key];
							const b = replayed.system[figure][key];
							if (a === null) expect(b).toBeNull();
							// the log rounds CPU to 0.001 % and RSS to the byte
							else expect(Math.abs(b! - a)).toBeLessThanOrEqual(figure === 'cpuPercent' ? 0.001 : 1);
						}
					}
				},
			),
			{numRuns: 25},
		);
	});
});
