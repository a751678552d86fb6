import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {deepEqual} from '../../source/store/equality.js';
import {Store} from '../../source/store/store.js';

type State = {count: number; list: number[]; other: {name: string}};

const initial = (): State => ({count: 0, list: [], other: {name: 'x'}});

describe('Store', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('coalesces many pushes into at most one snapshot per 100 ms window, ending on the last value', () => {
		const store = new Store<State>(initial(), {minIntervalMs: 100});
		const publishedAt: number[] = [];
		store.subscribe(() => publishedAt.push(Date.now()));
		const start = Date.now();
		for (let i = 1; i <= 1000; i++) {
			store.set('count', i);
			vi.advanceTimersByTime(1);
		}
		vi.advanceTimersByTime(200);
		expect(store.get().count).toBe(1000);
		// 1000 pushes over one second: about one snapshot per window, never more.
		expect(publishedAt.length).toBeGreaterThanOrEqual(9);
		expect(publishedAt.length).toBeLessThanOrEqual(11);
		for (let i = 1; i < publishedAt.length; i++) expect(publishedAt[i] - publishedAt[i - 1]).toBeGreaterThanOrEqual(100);
		expect(publishedAt[0] - start).toBeLessThan(100);
	});

	it('publishes a burst of synchronous pushes to several slices as one snapshot', () => {
		const store = new Store<State>(initial());
		const snapshots: State[] = [];
		store.subscribe(snapshot => snapshots.push(snapshot));
		store.set('count', 1);
		store.set('count', 2);
		store.set('list', [1]);
		vi.advanceTimersByTime(0);
		expect(snapshots).toHaveLength(1);
		expect(snapshots[0]).toMatchObject({count: 2, list: [1]});
	});

	it('publishes nothing when a push does not change anything', () => {
		const store = new Store<State>(initial(), {equality: {list: deepEqual}});
		const listener = vi.fn();
		store.subscribe(listener);
		expect(store.set('count', 0)).toBe(false);
		expect(store.set('list', [])).toBe(false); // equal by the slice's own equality
		vi.advanceTimersByTime(1000);
		expect(listener).not.toHaveBeenCalled();
		expect(store.publishCount).toBe(0);
	});

	it('drops a change that is reverted before the window ends', () => {
		const store = new Store<State>(initial());
		const listener = vi.fn();
		store.subscribe(listener);
		store.set('count', 5);
		vi.advanceTimersByTime(0);
		expect(listener).toHaveBeenCalledTimes(1);
		store.set('count', 6);
		store.set('count', 5);
		vi.advanceTimersByTime(1000);
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it('keeps the identity of untouched slices and freezes snapshots', () => {
		const store = new Store<State>(initial());
		const before = store.get();
		store.set('count', 1);
		store.flush();
		const after = store.get();
		expect(after).not.toBe(before);
		expect(after.other).toBe(before.other);
		expect(Object.isFrozen(after)).toBe(true);
	});

	it('peek sees pending pushes, get only published ones', () => {
		const store = new Store<State>(initial());
		store.update('count', count => count + 1);
		store.update('count', count => count + 1);
		expect(store.peek('count')).toBe(2);
		expect(store.get().count).toBe(0);
		store.flush();
		expect(store.get().count).toBe(2);
	});

	it('stops publishing after dispose', () => {
		const store = new Store<State>(initial());
		const listener = vi.fn();
		store.subscribe(listener);
		store.set('count', 1);
		store.dispose();
		vi.advanceTimersByTime(1000);
		expect(listener).not.toHaveBeenCalled();
	});
});
