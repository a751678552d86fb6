import {describe, expect, it} from 'vitest';
import {EventBus, type AppEvent, type ProbeEvent} from '../../source/events/index.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {createSampler, createUsageReader, systemClock, type ProbeResult, type SamplerClock} from '../../source/metrics/sampler.js';

function manualClock(start = 1_000_000) {
	const timers: Array<{callback: () => void; ms: number; id: number}> = [];
	let nextId = 1;
	const clock: SamplerClock & {t: number; timers: typeof timers; fire(): void} = {
		t: start,
		timers,
		now: () => clock.t,
		setInterval(callback, ms) {
			const id = nextId++;
			timers.push({callback, ms, id});
			return id;
		},
		clearInterval(handle) {
			const index = timers.findIndex(timer => timer.id === handle);
			if (index >= 0) timers.splice(index, 1);
		},
		fire() {
			for (const timer of [...timers]) timer.callback();
		},
	};
	return clock;
}

function collect() {
	const bus = new EventBus();
	const events: AppEvent[] = [];
	bus.on(event => events.push(event));
	return {bus, events};
}

const flush = () => new Promise(resolve => setImmediate(resolve));

describe('sampler', () => {
	it('runs one timer at system_metrics_interval, samples at start and at each tick, and stops', async () => {
		const clock = manualClock();
		const {bus, events} = collect();
		let reads = 0;
		const sampler = createSampler({
			bus,
			intervalSeconds: 7,
			clock,
			readUsage: async () => ({cpuPercent: 12.5, rssBytes: 1000 + reads++}),
		});
		sampler.start();
		sampler.start(); // idempotent
		expect(clock.timers).toHaveLength(1);
		expect(clock.timers[0].ms).toBe(7000);
		await flush();
		clock.t += 7000;
		clock.fire();
		await flush();
		expect(events).toEqual([
			{type: 'system', at: 1_000_000, cpuPercent: 12.5, rssBytes: 1000},
			{type: 'system', at: 1_007_000, cpuPercent: 12.5, rssBytes: 1001},
		]);
		sampler.stop();
		expect(clock.timers).toHaveLength(0);
		expect(sampler.running).toBe(false);
	});

	it('probes on the same clock: ok, HTTP error status, thrown error with status', async () => {
		const clock = manualClock();
		const {bus, events} = collect();
		const answers: Array<() => Promise<ProbeResult>> = [
			async () => {
				clock.t += 42;
				return {status: 200};
			},
			async () => ({status: 500}),
			async () => {
				throw Object.assign(new Error('Service Unavailable'), {response: {statusCode: 503}});
			},
			async () => {
				throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED'});
			},
		];
		let calls = 0;
		const sampler = createSampler({bus, intervalSeconds: 1, clock, probe: () => answers[calls++](), readUsage: async () => ({cpuPercent: 0, rssBytes: 1})});
		for (let i = 0; i < 4; i++) {
			await sampler.tick();
			await flush();
		}
		const probes = events.filter((event): event is ProbeEvent => event.type === 'probe');
		expect(probes.map(({ok, status, reason, ms}) => ({ok, status, reason, ms}))).toEqual([
			{ok: true, status: 200, reason: undefined, ms: 42},
			{ok: false, status: 500, reason: 'HTTP 500', ms: 0},
			{ok: false, status: 503, reason: 'Service Unavailable', ms: 0},
			{ok: false, status: 0, reason: 'ECONNREFUSED', ms: 0},
		]);
	});

	it('never stacks probes: a hanging probe is skipped, then reported failed each tick past its timeout', async () => {
		const clock = manualClock();
		const {bus, events} = collect();
		let started = 0;
		let release: (result: ProbeResult) => void = () => {};
		const sampler = createSampler({
			bus,
			intervalSeconds: 5,
			probeTimeoutMs: 12_000,
			clock,
			probe: () => {
				started++;
				return new Promise(resolve => (release = resolve));
			},
			readUsage: async () => ({cpuPercent: 1, rssBytes: 1}),
		});
		sampler.start();
		for (let i = 0; i < 4; i++) {
			await flush();
			clock.t += 5000;
			clock.fire();
		}
		await flush();
		expect(started).toBe(1);
		// ticks at +5 s and +10 s are within the 12 s timeout; +15 s and +20 s report the hang
		const probes = events.filter((event): event is ProbeEvent => event.type === 'probe');
		expect(probes.map(({ok, ms, reason}) => ({ok, ms, reason}))).toEqual([
			{ok: false, ms: 15_000, reason: 'timeout'},
			{ok: false, ms: 20_000, reason: 'timeout'},
		]);
		// each reported hang extends the failure streak that the api_unreachable rule reads
		const store = new MetricsStore();
		for (const event of events) store.record(event);
		expect(store.figures(60_000, clock.t).probe.consecutiveFailures).toBe(2);
		// the stale answer is dropped, and the next tick starts a fresh probe
		release({status: 200});
		await flush();
		expect(events.filter(event => event.type === 'probe')).toHaveLength(2);
		clock.t += 5000;
		clock.fire();
		expect(started).toBe(2);
		sampler.stop();
	});

	it('a probe answering after stop() emits nothing', async () => {
		const clock = manualClock();
		const {bus, events} = collect();
		let release: (result: ProbeResult) => void = () => {};
		const sampler = createSampler({bus, intervalSeconds: 1, clock, probe: () => new Promise(resolve => (release = resolve)), readUsage: async () => ({cpuPercent: 1, rssBytes: 1})});
		sampler.start();
		sampler.stop();
		release({status: 200});
		await flush();
		expect(events.filter(event => event.type === 'probe')).toHaveLength(0);
	});

	it('skips the usage read while one is in flight, and survives a failing read', async () => {
		const clock = manualClock();
		const {bus, events} = collect();
		let reads = 0;
		let finish: () => void = () => {};
		const sampler = createSampler({
			bus,
			intervalSeconds: 1,
			clock,
			readUsage: () => {
				reads++;
				if (reads === 2) return Promise.reject(new Error('ESRCH'));
				return new Promise(resolve => (finish = () => resolve({cpuPercent: 1, rssBytes: 2})));
			},
		});
		const first = sampler.tick();
		void sampler.tick(); // in flight: skipped
		expect(reads).toBe(1);
		finish();
		await first;
		await sampler.tick(); // the failing read
		expect(reads).toBe(2);
		expect(events.filter(event => event.type === 'system')).toHaveLength(1);
	});

	it('measures this process\'s own CPU between two reads, and its RSS', async () => {
		const read = createUsageReader();
		const start = process.cpuUsage();
		// Spin until this process has used 60 ms of CPU (not wall time: the machine may be busy).
		while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < 60);
		const busy = await read();
		expect(busy.cpuPercent).toBeGreaterThan(0);
		expect(busy.rssBytes).toBeGreaterThan(1024 * 1024);
		expect(Math.abs(busy.rssBytes - process.memoryUsage.rss()) / busy.rssBytes).toBeLessThan(0.5);
	});

	it('reads this process for real, on an unref\'d timer', async () => {
		const {bus, events} = collect();
		const sampler = createSampler({bus, intervalSeconds: 3600});
		await sampler.tick();
		sampler.stop();
		const sample = events.find(event => event.type === 'system');
		expect(sample).toBeDefined();
		if (sample?.type === 'system') {
			expect(sample.rssBytes).toBeGreaterThan(1024 * 1024);
			expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
		}
		const handle = systemClock.setInterval(() => {}, 60_000) as NodeJS.Timeout;
		expect(handle.hasRef()).toBe(false);
		systemClock.clearInterval(handle);
	});
});
