import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {RefreshClock} from '../../source/store/refresh-clock.js';

describe('RefreshClock', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('ticks once per interval with a single timer', () => {
		const clock = new RefreshClock({intervalMs: 2000});
		const ticks: string[] = [];
		clock.onRefresh(reason => ticks.push(reason));
		clock.start();
		expect(vi.getTimerCount()).toBe(1);
		vi.advanceTimersByTime(6000);
		expect(ticks).toEqual(['tick', 'tick', 'tick']);
		clock.stop();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('runs no timer at all while paused, and r still refreshes', () => {
		const clock = new RefreshClock({intervalMs: 1000});
		const ticks: string[] = [];
		clock.onRefresh(reason => ticks.push(reason));
		clock.start();
		clock.togglePause();
		expect(clock.state().paused).toBe(true);
		expect(vi.getTimerCount()).toBe(0);
		vi.advanceTimersByTime(5000);
		expect(ticks).toEqual([]);
		clock.refreshNow();
		expect(ticks).toEqual(['manual']);
		clock.togglePause();
		vi.advanceTimersByTime(1000);
		expect(ticks).toEqual(['manual', 'tick']);
	});

	it('steps the interval with + and - within its bounds', () => {
		const clock = new RefreshClock({intervalMs: 2000});
		const states: number[] = [];
		clock.onChange(state => states.push(state.intervalMs));
		clock.slower();
		clock.slower();
		expect(clock.state().intervalMs).toBe(10_000);
		clock.faster();
		clock.faster();
		clock.faster();
		clock.faster();
		expect(clock.state().intervalMs).toBe(1000);
		expect(states).toEqual([5000, 10_000, 5000, 2000, 1000]);
		for (let i = 0; i < 20; i++) clock.slower();
		expect(clock.state().intervalMs).toBe(60_000);
	});

	it('animates frames only while something loads, without refreshing faster', () => {
		const clock = new RefreshClock({intervalMs: 2000, frameMs: 100});
		const ticks: string[] = [];
		const frames: number[] = [];
		clock.onRefresh(reason => ticks.push(reason));
		clock.onChange(state => frames.push(state.frame));
		clock.start();
		clock.setAnimating('structure', true);
		expect(vi.getTimerCount()).toBe(1);
		vi.advanceTimersByTime(1000);
		expect(frames.filter(frame => frame > 0).length).toBeGreaterThanOrEqual(9);
		expect(ticks).toEqual([]);
		vi.advanceTimersByTime(1000);
		expect(ticks).toEqual(['tick']);
		clock.setAnimating('structure', false);
		const count = frames.length;
		vi.advanceTimersByTime(1000);
		expect(frames.length).toBe(count);
		expect(vi.getTimerCount()).toBe(1);
	});
});
