import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EventBus, type AppEvent} from '../../source/events/index.js';
import {PUBLISHED_LIMITS, type EndpointClass} from '../../source/frameio/endpoint-classes.js';
import {RateLimiter, readRateLimitHeaders} from '../../source/frameio/rate-limiter.js';
import {fakeClock, type FakeClock} from './fake-clock.js';

/** Frame.io's side, as the sandbox models it: a bucket of floor(limit) requests draining at limit/window, 429 when full. */
function serverBucket(exactLimit: number, windowMs: number) {
	const limit = Math.max(1, Math.floor(exactLimit));
	let level = 0;
	let at = 0;
	let rejected = 0;
	return {
		arrive(time: number) {
			level = Math.max(0, level - ((time - at) * exactLimit) / windowMs);
			at = time;
			if (level + 1 > limit + 1e-9) rejected++;
			else level += 1;
		},
		get rejected() {
			return rejected;
		},
	};
}

const generous = {requestsPerSecond: 1e6, burstSize: 1e6};

/**
 * Drives `count` concurrent requests through the limiter. Each one reaches the server at a random point of its
 * latency (connection set-up, queues) and is answered at the end of it. Returns the arrival times and the
 * release times.
 */
async function drive(limiter: RateLimiter, clock: FakeClock, endpointClass: EndpointClass, count: number, latency: (index: number) => number, arrival: (index: number) => number) {
	const arrivals: number[] = [];
	const released: number[] = [];
	await Promise.all(
		Array.from({length: count}, async (_, index) => {
			const ticket = await limiter.acquire(endpointClass);
			released.push(ticket.sentAt);
			const ms = latency(index);
			arrivals.push(ticket.sentAt + arrival(index) * ms);
			await clock.sleep(ms);
			limiter.complete(ticket, {sent: true, status: 200});
		}),
	);
	return {arrivals: arrivals.sort((a, b) => a - b), released};
}

function replay(server: ReturnType<typeof serverBucket>, arrivals: number[]): number {
	for (const time of arrivals) server.arrive(time);
	return server.rejected;
}

describe('RateLimiter', () => {
	it('keeps a burst inside the published limit of its class, and close to it', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({...generous, now: clock.now, sleep: clock.sleep});
		const {limit, windowMs} = PUBLISHED_LIMITS['folders.create']; // 3 per second
		const start = clock.now();
		const {arrivals, released} = await drive(limiter, clock, 'folders.create', 60, () => 40, () => 0.5);
		expect(replay(serverBucket(limit, windowMs), arrivals)).toBe(0);
		const elapsed = Math.max(...released) - start;
		// 60 requests at 3/s need at least (60 - 3) / 3 s; we aim for 95 % of the rate.
		expect(elapsed).toBeGreaterThanOrEqual(((60 - limit) / limit) * 1000);
		expect(elapsed).toBeLessThanOrEqual(((60 - limit + 1) / (limit * 0.9)) * 1000);
	});

	it('never overflows the server bucket, whatever the limit, scale, burst and delivery delays (property)', async () => {
		const classes = Object.keys(PUBLISHED_LIMITS) as EndpointClass[];
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...classes),
				fc.constantFrom(0.05, 0.5, 1, 5),
				fc.integer({min: 1, max: 150}),
				fc.array(fc.integer({min: 0, max: 400}), {minLength: 1, maxLength: 20}),
				fc.array(fc.double({min: 0, max: 1, noNaN: true}), {minLength: 1, maxLength: 20}),
				async (endpointClass, scale, count, latencies, fractions) => {
					const clock = fakeClock();
					const limiter = new RateLimiter({...generous, scale, now: clock.now, sleep: clock.sleep});
					const published = PUBLISHED_LIMITS[endpointClass];
					const {arrivals, released} = await drive(
						limiter,
						clock,
						endpointClass,
						count,
						index => latencies[index % latencies.length],
						index => fractions[index % fractions.length],
					);
					expect(replay(serverBucket(published.limit * scale, published.windowMs), arrivals)).toBe(0);
					expect(released).toHaveLength(count);
				},
			),
			{numRuns: 80},
		);
	});

	it('applies the global requests_per_second and burst_size over every class', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({requestsPerSecond: 5, burstSize: 2, scale: 1000, now: clock.now, sleep: clock.sleep});
		const start = clock.now();
		const times = await Promise.all(
			Array.from({length: 12}, (_, index) =>
				limiter.acquire(index % 2 ? 'me' : 'folders.show').then(ticket => {
					limiter.complete(ticket, {sent: true, status: 200});
					return ticket.sentAt - start;
				}),
			),
		);
		expect(times.slice(0, 2)).toEqual([0, 0]);
		// Then one per 200 ms.
		for (let index = 2; index < times.length; index++) expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(199);
		expect(times[11]).toBeGreaterThanOrEqual(1800);
		expect(limiter.snapshot().global.limit).toBe(2);
	});

	it('fills up after a 429 and waits one request of drain', async () => {
		const clock = fakeClock();
		const bus = new EventBus();
		const events: AppEvent[] = [];
		bus.on(event => events.push(event));
		const limiter = new RateLimiter({...generous, bus, now: clock.now, sleep: clock.sleep});
		const ticket = await limiter.acquire('files.show'); // 10 per second
		expect(limiter.snapshot()['files.show']).toMatchObject({remaining: 9, inflight: 1});
		limiter.complete(ticket, {sent: true, status: 429, headers: {limit: 10, remaining: 0, windowMs: 1000}});
		expect(limiter.snapshot()['files.show']).toMatchObject({remaining: 0, inflight: 0, serverRemaining: 0});
		const before = clock.now();
		const next = await limiter.acquire('files.show');
		// One request's drain at 95 % of 10/s.
		expect(next.sentAt - before).toBeGreaterThanOrEqual(100);
		expect(next.sentAt - before).toBeLessThanOrEqual(110);
		expect(events).toContainEqual(expect.objectContaining({type: 'ratelimit', endpointClass: 'files.show', limit: 10, remaining: 0, windowMs: 1000}));
	});

	it('takes a lower remaining from the server as the truth (another process shares the token)', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({...generous, now: clock.now, sleep: clock.sleep});
		const ticket = await limiter.acquire('me'); // 100 per minute
		limiter.complete(ticket, {sent: true, status: 200, headers: {limit: 100, remaining: 3, windowMs: 60_000}});
		expect(limiter.snapshot().me.remaining).toBe(3);
	});

	it('never sends more than the bucket holds while answers are outstanding, however long they take', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({...generous, now: clock.now, sleep: clock.sleep});
		const first = await Promise.all([1, 2, 3].map(() => limiter.acquire('folders.create'))); // 3 per second
		let fourth: number | undefined;
		const pending = limiter.acquire('folders.create').then(ticket => (fourth = ticket.sentAt));
		await clock.sleep(10_000);
		expect(fourth).toBeUndefined();
		expect(limiter.snapshot()['folders.create']).toMatchObject({inflight: 3, queued: 1, remaining: 0});
		const answeredAt = clock.now();
		limiter.complete(first[0], {sent: true, status: 201});
		await pending;
		// Counted as arriving when answered: one request's drain (1 / (0.95 · 3/s)) after the answer.
		expect(fourth! - answeredAt).toBeGreaterThanOrEqual(350);
		expect(fourth! - answeredAt).toBeLessThanOrEqual(360);
	});

	it('does not count a request that never left', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({...generous, now: clock.now, sleep: clock.sleep});
		const ticket = await limiter.acquire('folders.create');
		limiter.complete(ticket, {sent: false});
		limiter.complete(ticket, {sent: true}); // a second completion is ignored
		expect(limiter.snapshot()['folders.create']).toMatchObject({remaining: 3, inflight: 0});
	});

	it('paces a class while the server says little is left, and bursts again once it recovers', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({...generous, now: clock.now, sleep: clock.sleep});
		const ticket = await limiter.acquire('files.show');
		limiter.complete(ticket, {sent: true, status: 200, headers: {limit: 10, remaining: 1, windowMs: 1000}}); // 10 % left
		expect(limiter.snapshot()['files.show'].paced).toBe(true);
		clock.advance(5000); // the bucket drains, but the class stays paced until the server says otherwise
		const start = clock.now();
		const paced = await Promise.all(
			Array.from({length: 4}, () =>
				limiter.acquire('files.show').then(t => {
					limiter.complete(t, {sent: true, status: 200});
					return t.sentAt - start;
				}),
			),
		);
		for (let index = 1; index < paced.length; index++) expect(paced[index] - paced[index - 1]).toBeGreaterThanOrEqual(100);

		const last = await limiter.acquire('files.show');
		limiter.complete(last, {sent: true, status: 200, headers: {limit: 10, remaining: 9, windowMs: 1000}});
		expect(limiter.snapshot()['files.show'].paced).toBe(false);
		clock.advance(5000);
		const burstStart = clock.now();
		const burst = await Promise.all(Array.from({length: 4}, () => limiter.acquire('files.show').then(t => t.sentAt - burstStart)));
		expect(burst).toEqual([0, 0, 0, 0]);
	});

	it('adopts the limit and window the server announces', async () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({...generous, now: clock.now, sleep: clock.sleep});
		const ticket = await limiter.acquire('me');
		expect(limiter.snapshot().me).toMatchObject({limit: 100, windowMs: 60_000});
		limiter.complete(ticket, {sent: true, status: 200, headers: {limit: 4, remaining: 3, windowMs: 1000}});
		expect(limiter.snapshot().me).toMatchObject({limit: 4, windowMs: 1000});
	});

	it('scales the published limits and reports queued requests', () => {
		const clock = fakeClock();
		const limiter = new RateLimiter({...generous, scale: 0.5, now: clock.now, sleep: () => new Promise(() => undefined)});
		expect(limiter.snapshot()['files.show'].limit).toBe(5);
		for (let index = 0; index < 10; index++) void limiter.acquire('files.show');
		expect(limiter.snapshot()['files.show'].queued).toBe(10);
	});

	it('reads x-ratelimit-* headers and ignores garbage', () => {
		expect(readRateLimitHeaders({'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '7', 'x-ratelimit-window': '60000'})).toEqual({limit: 100, remaining: 7, windowMs: 60_000});
		expect(readRateLimitHeaders({'x-ratelimit-limit': 'lots'})).toEqual({limit: undefined, remaining: undefined, windowMs: undefined});
	});
});
