// The Health table follows real changes only: a re-run on the clock whose statuses and wording are the same (the
// figures inside a reason and the durations always move) replaces nothing; `r` always shows the fresh run.
import {describe, expect, it} from 'vitest';
import type {HealthCheckResult} from '../../source/store/ports.js';
import {sliceHandle} from '../../source/store/slice-handle.js';
import {connectHealth, healthChanged, initialHealth, reasonShape, type HealthSlice} from '../../source/store/health-slice.js';
import {Store} from '../../source/store/store.js';
import {FakeHealth} from './fakes.js';

const check = (id: string, status: HealthCheckResult['status'], reason: string, ms = 10): HealthCheckResult => ({id, name: id, status, reason, ms});

function rig() {
	let now = 5_000_000;
	const store = new Store<{health: HealthSlice}>({health: initialHealth}, {minIntervalMs: 0});
	const source = new FakeHealth();
	const actions = connectHealth(sliceHandle(store, 'health'), source, {minPeriodMs: 30_000, now: () => now});
	return {
		store,
		source,
		actions,
		get: () => store.peek('health'),
		advance(ms: number) {
			now += ms;
		},
		get now() {
			return now;
		},
	};
}

describe('reasonShape / healthChanged', () => {
	it('masks the figures of a reason and nothing else', () => {
		expect(reasonShape('47 ms; user Camille <c@x.io>')).toBe(reasonShape('1203 ms; user Camille <c@x.io>'));
		expect(reasonShape('hit rate 81.2 % (123/456 lookups)')).toBe('hit rate # % (#/# lookups)');
		expect(reasonShape('hit rate 81.2 %, too few lookups to judge')).not.toBe(reasonShape('hit rate 81.2 %'));
	});

	it('sees a new status, a warning with another reason, another check; not new figures', () => {
		const shown = [check('a', 'pass', '47 ms; user A'), check('b', 'warn', '2.1 GiB free, under 1 GiB')];
		expect(healthChanged(shown, [check('a', 'pass', '52 ms; user A', 99), check('b', 'warn', '2.0 GiB free, under 1 GiB', 1)])).toBe(false);
		expect(healthChanged(shown, [check('a', 'fail', '52 ms; user A'), check('b', 'warn', '2.0 GiB free, under 1 GiB')])).toBe(true);
		expect(healthChanged(shown, [check('a', 'pass', '47 ms; user A'), check('b', 'warn', 'statfs failed: EACCES')])).toBe(true);
		expect(healthChanged(shown, [check('a', 'pass', '47 ms; user A')])).toBe(true);
		expect(healthChanged(null, [])).toBe(true);
	});

	it("a passing check's reason is news too when it says something else, or a figure in it moved a lot", () => {
		const shown = [check('cache', 'pass', 'cache.json: not written yet, hit rate 0.0 %')];
		// The file exists now at 89.9 %: shown by the next automatic run, not minutes later.
		expect(healthChanged(shown, [check('cache', 'pass', 'cache.json 12 KB, hit rate 89.9 %')])).toBe(true);
		expect(healthChanged([check('cache', 'pass', 'hit rate 0.0 % (0/120 lookups)')], [check('cache', 'pass', 'hit rate 89.9 % (108/120 lookups)')])).toBe(true);
		// A drift is not news: an idle console writes nothing.
		expect(healthChanged([check('cache', 'pass', 'hit rate 81.2 % (123/456 lookups)')], [check('cache', 'pass', 'hit rate 83.0 % (130/460 lookups)')])).toBe(false);
		expect(healthChanged([check('api.me', 'pass', '12 ms; user A')], [check('api.me', 'pass', '19 ms; user A')])).toBe(false);
	});
});

describe('health slice', () => {
	it('a clock re-run with the same statuses keeps the shown run; its time is still recorded', async () => {
		const r = rig();
		r.source.results = [check('api.me', 'pass', '47 ms; user A', 47), check('disk', 'pass', '77.9 GiB free', 3)];
		r.actions.tick();
		await r.actions.run().catch(() => undefined); // joins the run in flight
		const first = r.get();
		expect(first.checks?.map(c => c.reason)).toEqual(['47 ms; user A', '77.9 GiB free']);
		// `r` joined the first run, so it was shown whatever it said.
		expect(first.shownAt).toBe(r.now);

		r.advance(30_000);
		r.source.results = [check('api.me', 'pass', '61 ms; user A', 61), check('disk', 'pass', '77.8 GiB free', 9)];
		r.actions.tick();
		await new Promise(resolve => setTimeout(resolve, 5));
		const second = r.get();
		expect(second.checks).toBe(first.checks);
		expect(second.shownAt).toBe(first.shownAt);
		expect(second.lastRunAt).toBe(r.now);
		expect(second.running).toBe(false);
		expect(r.source.runs).toBe(2);
	});

	it('a clock re-run with a changed status replaces the shown run', async () => {
		const r = rig();
		r.source.results = [check('api.me', 'pass', '47 ms; user A')];
		await r.actions.run();
		r.advance(30_000);
		r.source.results = [check('api.me', 'fail', 'ECONNREFUSED 127.0.0.1')];
		r.actions.tick();
		await new Promise(resolve => setTimeout(resolve, 5));
		expect(r.get().checks?.[0].status).toBe('fail');
		expect(r.get().shownAt).toBe(r.now);
	});

	it('`r` shows the fresh figures even when nothing else changed', async () => {
		const r = rig();
		r.source.results = [check('api.me', 'pass', '47 ms; user A')];
		await r.actions.run();
		r.advance(1000);
		r.source.results = [check('api.me', 'pass', '52 ms; user A')];
		await r.actions.run();
		expect(r.get().checks?.[0].reason).toBe('52 ms; user A');
		expect(r.get().shownAt).toBe(r.now);
	});

	it('marks only a run that was asked for as manual (the pane says "re-running…" for those alone)', async () => {
		const r = rig();
		let open!: () => void;
		r.source.gate = new Promise<void>(resolve => (open = resolve));
		r.actions.tick();
		expect(r.get()).toMatchObject({running: true, manual: false});
		const manual = r.actions.run();
		expect(r.get()).toMatchObject({running: true, manual: true});
		open();
		await manual;
		expect(r.get()).toMatchObject({running: false, manual: false});
		expect(r.source.runs).toBe(1);
	});
});
