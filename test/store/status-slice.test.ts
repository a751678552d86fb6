// The status bar's slice publishes only what the bar draws: no clock, headroom as "ok" until it runs low, and
// "stale"/"down" once the API stops answering.
import {describe, expect, it} from 'vitest';
import type {StatusView} from '../../source/store/ports.js';
import {sliceHandle} from '../../source/store/slice-handle.js';
import {connectStatus, initialStatus, rateDisplay, RATE_LOW_SHARE, statusSliceEqual, type StatusSlice} from '../../source/store/status-slice.js';
import {Store} from '../../source/store/store.js';
import {createConsoleStore} from '../../source/store/console-store.js';
import {FakeAlerts, FakeStatus, fakePorts} from './fakes.js';

function rig(view: Partial<StatusView> = {}, options: {intervalMs?: number; minStaleMs?: number} = {}) {
	let now = 1_000_000;
	const store = new Store<{status: StatusSlice}>({status: initialStatus}, {minIntervalMs: 0, equality: {status: statusSliceEqual}});
	const status = new FakeStatus();
	status.view = {...status.view, ...view};
	const alerts = new FakeAlerts();
	const actions = connectStatus(sliceHandle(store, 'status'), status, alerts, {
		intervalMs: () => options.intervalMs ?? 2000,
		minStaleMs: options.minStaleMs ?? 15_000,
		now: () => now,
	});
	store.flush();
	return {
		store,
		status,
		actions,
		advance(ms: number) {
			now += ms;
		},
		get now() {
			return now;
		},
		/** One clock tick; → whether it published a new snapshot. */
		tick(): boolean {
			const before = store.publishCount;
			actions.refresh();
			store.flush();
			return store.publishCount !== before;
		},
	};
}

describe('rate-limit headroom', () => {
	it(`reads "ok" at or above ${RATE_LOW_SHARE * 100} % of the limit, the numbers below it`, () => {
		expect(rateDisplay(null)).toBe('unknown');
		expect(rateDisplay({endpointClass: 'me', remaining: 100, limit: 100})).toBe('ok');
		expect(rateDisplay({endpointClass: 'me', remaining: 25, limit: 100})).toBe('ok');
		expect(rateDisplay({endpointClass: 'me', remaining: 24, limit: 100})).toEqual({endpointClass: 'me', remaining: 24, limit: 100});
		expect(rateDisplay({endpointClass: 'me', remaining: 0, limit: 5})).toEqual({endpointClass: 'me', remaining: 0, limit: 5});
	});

	it('does not publish when the headroom moves between 99 and 100 of 100', () => {
		const r = rig({rateLimit: {endpointClass: 'me', remaining: 100, limit: 100}});
		expect(r.store.get().status.rate).toBe('ok');
		for (const remaining of [99, 100, 98, 100, 99]) {
			r.status.view = {...r.status.view, rateLimit: {endpointClass: 'me', remaining, limit: 100}};
			expect(r.tick()).toBe(false);
		}
		r.status.view = {...r.status.view, rateLimit: {endpointClass: 'me', remaining: 10, limit: 100}};
		expect(r.tick()).toBe(true);
		expect(r.store.get().status.rate).toEqual({endpointClass: 'me', remaining: 10, limit: 100});
	});
});

describe('staleness', () => {
	it('stays quiet while the API answers, then says "stale" past the threshold and counts up', () => {
		const r = rig({lastAnswerAt: 1_000_000}, {intervalMs: 2000, minStaleMs: 15_000});
		for (let i = 0; i < 7; i++) {
			r.advance(2000);
			expect(r.tick()).toBe(false);
		}
		expect(r.store.get().status.stale).toBeNull();
		r.advance(2000); // 16 s since the last answer, past max(3 × 2 s, 15 s)
		expect(r.tick()).toBe(true);
		expect(r.store.get().status.stale).toEqual({seconds: 16, down: null});
		r.advance(2000);
		expect(r.tick()).toBe(true);
		expect(r.store.get().status.stale).toEqual({seconds: 18, down: null});
		// An answer makes it fresh again.
		r.status.view = {...r.status.view, lastAnswerAt: r.now};
		expect(r.tick()).toBe(true);
		expect(r.store.get().status.stale).toBeNull();
	});

	it('uses 3 refresh intervals when they are longer than the minimum', () => {
		const r = rig({lastAnswerAt: 1_000_000}, {intervalMs: 10_000, minStaleMs: 15_000});
		r.advance(29_000);
		r.tick();
		expect(r.store.get().status.stale).toBeNull();
		r.advance(2000);
		r.tick();
		expect(r.store.get().status.stale?.seconds).toBe(31);
	});

	it('shows "down" at once when the source says the API is not answering', () => {
		const r = rig({lastAnswerAt: 1_000_000});
		r.advance(3000);
		r.status.change({down: 'no answer'});
		r.store.flush();
		expect(r.store.get().status.stale).toEqual({seconds: 3, down: 'no answer'});
	});

	it('never says stale for a source that does not track answers', () => {
		const r = rig();
		r.advance(10 * 60_000);
		expect(r.tick()).toBe(false);
		expect(r.store.get().status.stale).toBeNull();
	});
});

describe('the first frame', () => {
	it('knows the mode before anything is published: a sandbox session never starts on LIVE', () => {
		const fakes = fakePorts();
		fakes.status.view = {...fakes.status.view, mode: 'sandbox', cacheOf: 'the built-in sandbox'};
		// The very first state, before the store's first publish (timers that never fire).
		const consoleStore = createConsoleStore(fakes.ports, {refreshIntervalMs: 60_000, minPublishMs: 60_000, timers: {now: () => Date.now(), setTimeout: () => 0, clearTimeout: () => undefined}});
		expect(consoleStore.store.get().status).toMatchObject({mode: 'sandbox', cacheOf: 'the built-in sandbox'});
		consoleStore.dispose();
	});
});

describe('farm mode', () => {
	it('shows nothing when off, the processes counted when joined, and LOST at once when Redis goes away', async () => {
		const {farmText} = await import('../../source/ui/components/status-bar.js');
		const {store, status, tick} = rig();
		expect(store.get().status.farm).toBeNull();
		expect(farmText(store.get().status.farm)).toBeNull();
		status.view = {...status.view, farm: {state: 'joined', nodes: 4}};
		expect(tick()).toBe(true);
		expect(farmText(store.get().status.farm)).toBe('farm 4');
		// The same state again publishes nothing.
		expect(tick()).toBe(false);
		status.view = {...status.view, farm: {state: 'lost', nodes: 4}};
		expect(tick()).toBe(true);
		expect(farmText(store.get().status.farm)).toBe('farm LOST');
	});
});
