import {describe, expect, it} from 'vitest';
import {EventBus, type AppEvent} from '../../source/events/index.js';
import {CircuitBreaker} from '../../source/frameio/circuit-breaker.js';
import {fakeClock} from './fake-clock.js';

function setup(threshold = 3, timeoutMs = 1000) {
	const clock = fakeClock();
	const bus = new EventBus();
	const events: AppEvent[] = [];
	bus.on(event => events.push(event));
	const breaker = new CircuitBreaker({threshold, timeoutMs, bus, now: clock.now});
	const changes: string[] = [];
	breaker.on((state, previous) => changes.push(`${previous}->${state}`));
	const fail = () => breaker.failure(breaker.tryAcquire()!);
	const succeed = () => breaker.success(breaker.tryAcquire()!);
	return {clock, breaker, events, changes, fail, succeed};
}

describe('CircuitBreaker', () => {
	it('opens after threshold consecutive failures, not before', () => {
		const {breaker, fail, succeed} = setup(3);
		fail();
		fail();
		succeed(); // resets the streak
		fail();
		fail();
		expect(breaker.state).toBe('closed');
		fail();
		expect(breaker.state).toBe('open');
		expect(breaker.stats()).toMatchObject({opens: 1, consecutiveFailures: 3, threshold: 3});
	});

	it('refuses calls while open, then lets exactly one probe through after the timeout', () => {
		const {clock, breaker, fail, changes, events} = setup(2, 1000);
		fail();
		fail();
		expect(breaker.tryAcquire()).toBeNull();
		expect(breaker.retryInMs()).toBe(1000);
		clock.advance(999);
		expect(breaker.tryAcquire()).toBeNull();
		clock.advance(1);
		expect(breaker.state).toBe('half-open');
		const probe = breaker.tryAcquire();
		expect(probe).toEqual({probe: true});
		expect(breaker.tryAcquire()).toBeNull(); // a second caller waits for the probe's verdict
		breaker.success(probe!);
		expect(breaker.state).toBe('closed');
		expect(breaker.tryAcquire()).toEqual({probe: false});
		expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
		expect(events.map(event => (event.type === 'breaker' ? event.state : '?'))).toEqual(['open', 'half-open', 'closed']);
		expect(breaker.stats().rejected).toBe(3);
	});

	it('reopens when the probe fails, for another full timeout', () => {
		const {clock, breaker, fail} = setup(1, 500);
		fail();
		clock.advance(500);
		const probe = breaker.tryAcquire()!;
		breaker.failure(probe);
		expect(breaker.state).toBe('open');
		expect(breaker.stats().opens).toBe(2);
		clock.advance(499);
		expect(breaker.tryAcquire()).toBeNull();
		clock.advance(1);
		expect(breaker.tryAcquire()).toEqual({probe: true});
	});

	it('is not closed by a late success of a call sent before it opened', () => {
		const {breaker, fail} = setup(2);
		const early = breaker.tryAcquire()!;
		fail();
		fail();
		breaker.success(early);
		expect(breaker.state).toBe('open');
	});

	it('frees the probe slot when the probe ends without a verdict', () => {
		const {clock, breaker, fail} = setup(1, 100);
		fail();
		clock.advance(100);
		breaker.release(breaker.tryAcquire()!);
		expect(breaker.tryAcquire()).toEqual({probe: true});
	});
});
