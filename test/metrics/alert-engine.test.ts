import os from 'node:os';
import {describe, expect, it} from 'vitest';
import type {AlertRuleName} from '../../source/config/alerts-schema.js';
import {AlertEngine, type AlertRecord} from '../../source/metrics/alert-engine.js';
import {MIN_SAMPLES} from '../../source/metrics/alert-rules.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {distinctAlertsConfig} from './alert-config.js';
import {api, MiB, probe, system, upload} from './events.js';

const T = 1_700_000_000_000;
const NOW = T + 10_000;
const at = NOW - 1000;

const repeat = (n: number, make: (i: number) => void) => {
	for (let i = 0; i < n; i++) make(i);
};

/** A store whose value for `rule` is `value`, every other rule having no data or a quiet value. */
const feeders: Record<AlertRuleName, {below: (s: MetricsStore) => void; at?: (s: MetricsStore) => void; above: (s: MetricsStore) => void; message: string}> = {
	error_rate: {
		below: s => repeat(100, i => s.record(api(at, 10, i < 6 ? 500 : 200))),
		at: s => repeat(100, i => s.record(api(at, 10, i < 7 ? 500 : 200))),
		above: s => repeat(100, i => s.record(api(at, 10, i < 8 ? 500 : 200))),
		message: 'API error rate 8 % > 7 % over 5 min',
	},
	api_latency: {
		below: s => repeat(10, () => s.record(api(at, 1900))),
		at: s => repeat(10, () => s.record(api(at, 2000))),
		above: s => repeat(10, () => s.record(api(at, 2100))),
		message: 'Mean API latency 2.1 s > 2 s over 2 min',
	},
	memory: {
		below: s => s.record(system(at, 299 * MiB)),
		at: s => s.record(system(at, 300 * MiB)),
		above: s => s.record(system(at, 301 * MiB)),
		message: 'Process memory 301 MB > 300 MB over 1 min',
	},
	cache_miss_rate: {
		below: s => repeat(100, i => s.record({type: 'cache', at, op: i < 39 ? 'miss' : 'hit', key: 'k'})),
		at: s => repeat(100, i => s.record({type: 'cache', at, op: i < 40 ? 'miss' : 'hit', key: 'k'})),
		above: s => repeat(100, i => s.record({type: 'cache', at, op: i < 41 ? 'miss' : 'hit', key: 'k'})),
		message: 'Cache miss rate 41 % > 40 % over 10 min',
	},
	upload_failure_rate: {
		below: s => repeat(25, i => s.record(upload(at, i < 6 ? 'failed' : 'done'))),
		at: s => repeat(20, i => s.record(upload(at, i < 5 ? 'failed' : 'done'))),
		above: s => repeat(50, i => s.record(upload(at, i < 13 ? 'failed' : 'done'))),
		message: 'Upload failure rate 26 % > 25 % over 1 h',
	},
	api_unreachable: {
		below: s => [true, false, false, false].forEach((ok, i) => s.record(probe(T + i * 1000, ok))),
		above: s => [true, false, false, false, false].forEach((ok, i) => s.record(probe(T + i * 1000, ok))),
		message: 'API unreachable: 4 consecutive failed probes (≥ 4)',
	},
	circuit_breaker_open: {
		below: s => {
			s.record({type: 'breaker', at: T, state: 'open'});
			s.record({type: 'breaker', at: T + 1, state: 'closed'});
		},
		above: s => s.record({type: 'breaker', at: T, state: 'open'}),
		message: 'Circuit breaker open: API calls are short-circuited',
	},
};

function evaluateWith(feed: (s: MetricsStore) => void, config = distinctAlertsConfig()) {
	const store = new MetricsStore();
	feed(store);
	return new AlertEngine(config).evaluate(store, NOW);
}

describe('each rule compares its own value with its own threshold', () => {
	for (const [rule, feeder] of Object.entries(feeders) as Array<[AlertRuleName, (typeof feeders)[AlertRuleName]]>) {
		it(`${rule}: quiet just below its threshold${feeder.at ? ' and at it' : ''}, fires just above`, () => {
			expect(evaluateWith(feeder.below)).toEqual([]);
			if (feeder.at) expect(evaluateWith(feeder.at)).toEqual([]);
			const fired = evaluateWith(feeder.above);
			expect(fired.map(alert => [alert.rule, alert.state])).toEqual([[rule, 'firing']]);
			const config = distinctAlertsConfig().rules[rule];
			expect(fired[0]).toMatchObject({level: config.level, threshold: config.threshold, windowSeconds: config.window_seconds, at: NOW, message: feeder.message});
		});
	}

	it('the shipped defaults stay quiet where the test thresholds fire (thresholds are really per rule)', () => {
		const defaults = distinctAlertsConfig({
			error_rate: {enabled: true, threshold: 0.09, level: 'error', window_seconds: 300, cooldown_seconds: 1},
			memory: {enabled: true, threshold: 500, level: 'warning', window_seconds: 60, cooldown_seconds: 1},
		});
		expect(evaluateWith(feeders.error_rate.above, defaults)).toEqual([]);
		expect(evaluateWith(feeders.memory.above, defaults)).toEqual([]);
	});

	it('half-open still counts as the breaker being open', () => {
		const fired = evaluateWith(s => {
			s.record({type: 'breaker', at: T, state: 'open'});
			s.record({type: 'breaker', at: T + 1, state: 'half-open'});
		});
		expect(fired.map(alert => alert.rule)).toEqual(['circuit_breaker_open']);
		expect(fired[0].display.value).toBe('half-open');
	});
});

describe('sample minimums and windows', () => {
	it(`ratios need ${MIN_SAMPLES.apiCalls} API calls / ${MIN_SAMPLES.cacheLookups} lookups before they fire`, () => {
		expect(evaluateWith(s => repeat(MIN_SAMPLES.apiCalls - 1, () => s.record(api(at, 9000, 500))))).toEqual([]);
		expect(evaluateWith(s => repeat(MIN_SAMPLES.cacheLookups - 1, () => s.record({type: 'cache', at, op: 'miss', key: 'k'})))).toEqual([]);
		const fired = evaluateWith(s => repeat(MIN_SAMPLES.apiCalls, () => s.record(api(at, 9000, 500))));
		expect(fired.map(alert => alert.rule).sort()).toEqual(['api_latency', 'error_rate']);
	});

	it('uses the rule\'s own window: failures older than 5 min do not count', () => {
		const old = T - 400_000;
		expect(evaluateWith(s => repeat(100, () => s.record(api(old, 10, 500))))).toEqual([]);
		// the same failures are inside upload_failure_rate's 1 h window when they are uploads
		expect(evaluateWith(s => repeat(4, () => s.record(upload(old, 'failed')))).map(alert => alert.rule)).toEqual(['upload_failure_rate']);
	});

	it('a disabled rule never fires', () => {
		const config = distinctAlertsConfig({memory: {enabled: false, threshold: 300, level: 'warning', window_seconds: 60, cooldown_seconds: 1}});
		expect(evaluateWith(feeders.memory.above, config)).toEqual([]);
	});
});

describe('cooldown, resolved notices, active and recent', () => {
	const memoryAt = (store: MetricsStore, time: number, mb: number) => store.record(system(time, mb * MiB));
	const states = (alerts: AlertRecord[]) => alerts.map(alert => `${alert.rule}:${alert.state}`);

	it('fires once, not again within its cooldown, again after it; one resolved notice when it clears', () => {
		const store = new MetricsStore();
		const engine = new AlertEngine(distinctAlertsConfig()); // memory cooldown 1800 s
		const step = (offsetSeconds: number, mb: number) => {
			const time = T + offsetSeconds * 1000;
			memoryAt(store, time, mb);
			return states(engine.evaluate(store, time));
		};
		expect(step(0, 400)).toEqual(['memory:firing']);
		expect(step(60, 400)).toEqual([]);
		expect(step(1799, 400)).toEqual([]);
		expect(step(1800, 400)).toEqual(['memory:firing']); // still firing after the cooldown: a reminder
		expect(step(1860, 100)).toEqual(['memory:resolved']);
		expect(step(1900, 100)).toEqual([]); // resolved once
		// a new episode inside the cooldown of the last firing stays silent, and so does its end
		expect(step(1960, 400)).toEqual([]);
		expect(engine.active().map(alert => alert.rule)).toEqual(['memory']);
		expect(step(2000, 100)).toEqual([]);
		expect(engine.active()).toEqual([]);
		// past the cooldown, a new episode fires
		expect(step(3600, 400)).toEqual(['memory:firing']);
	});

	it('each rule keeps its own cooldown', () => {
		const store = new MetricsStore();
		const engine = new AlertEngine(distinctAlertsConfig()); // error_rate 600 s, memory 1800 s
		const step = (offsetSeconds: number) => {
			const time = T + offsetSeconds * 1000;
			memoryAt(store, time, 400);
			repeat(20, () => store.record(api(time, 10, 500)));
			return states(engine.evaluate(store, time)).sort();
		};
		expect(step(0)).toEqual(['error_rate:firing', 'memory:firing']);
		expect(step(300)).toEqual([]);
		expect(step(600)).toEqual(['error_rate:firing']);
		expect(step(1200)).toEqual(['error_rate:firing']);
		expect(step(1800)).toEqual(['error_rate:firing', 'memory:firing']);
	});

	it('a cooldown of 0 fires once per episode, without reminders', () => {
		const store = new MetricsStore();
		const engine = new AlertEngine(distinctAlertsConfig({memory: {enabled: true, threshold: 300, level: 'warning', window_seconds: 60, cooldown_seconds: 0}}));
		memoryAt(store, T, 400);
		expect(states(engine.evaluate(store, T))).toEqual(['memory:firing']);
		memoryAt(store, T + 5000, 400);
		expect(states(engine.evaluate(store, T + 5000))).toEqual([]);
		memoryAt(store, T + 6000, 100);
		expect(states(engine.evaluate(store, T + 6000))).toEqual(['memory:resolved']);
		memoryAt(store, T + 7000, 400);
		expect(states(engine.evaluate(store, T + 7000))).toEqual(['memory:firing']);
	});

	it('resolves with the value it cleared at, or when its window runs out of data', () => {
		const store = new MetricsStore();
		const engine = new AlertEngine(distinctAlertsConfig());
		memoryAt(store, T, 400);
		engine.evaluate(store, T);
		memoryAt(store, T + 1000, 120);
		const [resolved] = engine.evaluate(store, T + 1000);
		expect(resolved).toMatchObject({rule: 'memory', state: 'resolved', value: 120, message: 'Process memory 120 MB ≤ 300 MB over 1 min'});

		const outage = new MetricsStore();
		repeat(20, () => outage.record(api(T, 10, 500)));
		expect(states(engine.evaluate(outage, T))).toEqual(['error_rate:firing']);
		// five minutes later nothing was called: the window is empty, the alert resolves (value unknown)
		const [cleared] = engine.evaluate(outage, T + 301_000);
		expect(cleared).toMatchObject({rule: 'error_rate', state: 'resolved', value: null});
	});

	it('active() shows current values, most severe first; recent() is newest first and bounded; listeners hear every transition', () => {
		const store = new MetricsStore();
		const engine = new AlertEngine(distinctAlertsConfig(), {historySize: 3});
		const heard: string[] = [];
		engine.onAlert(() => {
			throw new Error('a broken channel');
		});
		const unsubscribe = engine.onAlert(alert => heard.push(`${alert.rule}:${alert.state}`));
		memoryAt(store, T, 400);
		store.record({type: 'breaker', at: T, state: 'open'});
		engine.evaluate(store, T);
		memoryAt(store, T + 1000, 450);
		engine.evaluate(store, T + 1000);
		expect(engine.active().map(alert => [alert.rule, alert.value, alert.at])).toEqual([
			['circuit_breaker_open', 1, T],
			['memory', 450, T],
		]);
		store.record({type: 'breaker', at: T + 2000, state: 'closed'});
		memoryAt(store, T + 2000, 10);
		engine.evaluate(store, T + 2000);
		expect(heard.sort()).toEqual(['circuit_breaker_open:firing', 'circuit_breaker_open:resolved', 'memory:firing', 'memory:resolved']);
		expect(engine.recent()).toHaveLength(3);
		expect(engine.recent(1)[0].at).toBe(T + 2000);
		expect(engine.recent(10).map(alert => alert.state)).toEqual(['resolved', 'resolved', 'firing']);
		unsubscribe();
		memoryAt(store, T + 1_810_000, 999);
		expect(states(engine.evaluate(store, T + 1_810_000))).toEqual(['memory:firing']);
		expect(heard).toHaveLength(4);
	});
});

describe('a window as long as the sampling interval', () => {
	// monitoring.system_metrics_interval = 5 s and the memory rule's window_seconds = 5 s.
	const interval = 5;
	const config = distinctAlertsConfig({memory: {enabled: true, threshold: 300, level: 'warning', window_seconds: interval, cooldown_seconds: 0}});
	const rules = (alerts: AlertRecord[]) => alerts.map(alert => `${alert.rule}:${alert.state}`);

	/**
	 * The sampler and the evaluation run on two timers of the same period. When the evaluation's timer fires just
	 * before the sampler's (the console starts it first), the newest sample it sees is almost one interval old.
	 */
	function run(engine: AlertEngine, store: MetricsStore, mb: number, ticks: number, evaluationLateMs = 1) {
		const heard: string[] = [];
		for (let tick = 0; tick < ticks; tick++) {
			store.record(system(T + tick * interval * 1000 + 3, mb * MiB));
			heard.push(...rules(engine.evaluate(store, T + (tick + 1) * interval * 1000 + evaluationLateMs)));
		}
		return heard;
	}

	it('fires on the newest sample, one interval old, and holds while the samples keep coming', () => {
		const store = new MetricsStore();
		const engine = new AlertEngine(config, {samplingIntervalSeconds: interval});
		expect(run(engine, store, 400, 6)).toEqual(['memory:firing']);
		expect(engine.active().map(alert => alert.rule)).toEqual(['memory']);
	});

	it('holds when the evaluation runs most of a second late and the next sample later still (a busy event loop)', () => {
		const engine = new AlertEngine(config, {samplingIntervalSeconds: interval});
		expect(run(engine, new MetricsStore(), 400, 6, 990)).toEqual(['memory:firing']);
	});

	it('stays quiet below the threshold, and resolves once the samples stop for two intervals', () => {
		const engine = new AlertEngine(config, {samplingIntervalSeconds: interval});
		expect(run(engine, new MetricsStore(), 200, 3)).toEqual([]);
		const store = new MetricsStore();
		expect(run(engine, store, 400, 1)).toEqual(['memory:firing']);
		const last = T + 3;
		expect(rules(engine.evaluate(store, last + 2 * interval * 1000 - 1))).toEqual([]);
		expect(rules(engine.evaluate(store, last + 3 * interval * 1000))).toEqual(['memory:resolved']);
	});

	it('a window shorter than the interval is read over the same span', () => {
		const short = distinctAlertsConfig({memory: {enabled: true, threshold: 300, level: 'warning', window_seconds: 1, cooldown_seconds: 0}});
		const engine = new AlertEngine(short, {samplingIntervalSeconds: interval});
		expect(run(engine, new MetricsStore(), 400, 3)).toEqual(['memory:firing']);
	});
});

describe('where an alert fired, and what to do about it', () => {
	it('every alert names its host; FRAMEIO_NODE_NAME wins over the host name', () => {
		const store = new MetricsStore();
		store.record(system(at, 400 * MiB));
		const named = new AlertEngine(distinctAlertsConfig(), {host: 'render-07'}).evaluate(store, NOW);
		expect(named.map(alert => [alert.rule, alert.host])).toEqual([['memory', 'render-07']]);

		const previous = process.env.FRAMEIO_NODE_NAME;
		try {
			process.env.FRAMEIO_NODE_NAME = ' farm-node-12 ';
			expect(new AlertEngine(distinctAlertsConfig()).evaluate(store, NOW)[0].host).toBe('farm-node-12');
			delete process.env.FRAMEIO_NODE_NAME;
			expect(new AlertEngine(distinctAlertsConfig()).evaluate(store, NOW)[0].host).toBe(os.hostname());
			// A name from the environment reaches terminals and Discord: control characters are shown as escapes.
			process.env.FRAMEIO_NODE_NAME = 'node\u001b[31m-3';
			expect(new AlertEngine(distinctAlertsConfig()).evaluate(store, NOW)[0].host).toBe('node\\x1b[31m-3');
		} finally {
			if (previous === undefined) delete process.env.FRAMEIO_NODE_NAME;
			else process.env.FRAMEIO_NODE_NAME = previous;
		}
	});

	it('each rule carries its own concrete recommended action, on the firing and on the resolved notice', () => {
		const actions = new Map<AlertRuleName, string>();
		for (const [rule, feeder] of Object.entries(feeders) as Array<[AlertRuleName, (typeof feeders)[AlertRuleName]]>) {
			const [fired] = evaluateWith(feeder.above);
			expect(fired.rule).toBe(rule);
			expect(fired.action.length).toBeGreaterThan(30);
			actions.set(rule, fired.action);
		}
		expect(new Set(actions.values()).size).toBe(actions.size);
		expect(actions.get('api_latency')).toBe('check the network path to api.frame.io; see the queue-wait figure before raising TTLs');

		const store = new MetricsStore();
		const engine = new AlertEngine(distinctAlertsConfig(), {host: 'render-07'});
		store.record(system(T, 400 * MiB));
		engine.evaluate(store, T);
		store.record(system(T + 1000, 100 * MiB));
		const [resolved] = engine.evaluate(store, T + 1000);
		expect(resolved).toMatchObject({state: 'resolved', host: 'render-07', action: actions.get('memory')});
	});
});
