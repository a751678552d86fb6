// Reading heartbeats that other processes wrote: well-formed ones come through whole, odd ones never break the view
// (a wrong type reads as unknown, never as NaN), strings are made printable and short, lists are capped.
import {describe, expect, it} from 'vitest';
import {bucketViews, cleanText, farmNodeView, farmTotals} from '../../source/app/farm-nodes.js';
import {bucketsLine, farmLine, uploadsLine} from '../../source/app/farm-lines.js';
import type {HeartbeatPayload} from '../../source/farm/heartbeat.js';

const base = {instance: 'a1b2c3d4', version: '0.1.0', startedAt: 0, uptimeMs: 90_000, sentAt: 1, ttlMs: 15_000};
const live = (fields: Record<string, unknown>) => ({heartbeat: {...base, node: 'render-01', ...fields}, ageMs: 800, expiresInMs: 14_200});

const payload: HeartbeatPayload = {
	role: 'watch',
	health: {status: 'degraded', reasons: ['alert api_latency']},
	uploads: {queued: 4, uploading: 1, verifying: 1, done: 9, failed: 1, speed: 50, active: [{name: 'a.mov', state: 'uploading', percent: 20, bytesDone: 100, size: 500, speed: 25}]},
	requests: {total: 1234, rateLimited: 7, lastMinute: 60, rateLimitedLastMinute: 2},
	breaker: {state: 'half-open', consecutiveFailures: 0, opens: 2},
	alerts: [{rule: 'api_latency', level: 'warning', message: 'Mean API latency 6.2 s > 5 s', since: 0}],
};

describe('farmNodeView', () => {
	it('reads a well-formed heartbeat whole', () => {
		const view = farmNodeView(live({...payload}));
		expect(view).toEqual({
			node: 'render-01',
			instance: 'a1b2c3d4',
			role: 'watch',
			version: '0.1.0',
			uptimeMs: 90_000,
			beatAgeMs: 800,
			health: 'degraded',
			summary: 'alert api_latency',
			requests: 1234,
			rateLimited: 7,
			requestsLastMinute: 60,
			rateLimitedLastMinute: 2,
			breaker: 'half-open',
			alerts: [{rule: 'api_latency', level: 'warning', message: 'Mean API latency 6.2 s > 5 s'}],
			uploads: {active: 2, bytesDone: 100, bytesTotal: 500, percent: 20, speed: 50, queued: 4, done: 9, failed: 1},
			files: [{node: 'render-01', name: 'a.mov', state: 'uploading', bytesDone: 100, size: 500, percent: 20, speed: 25}],
		});
	});

	it('reads a beat with no payload, or a malformed one, as unknown rather than failing', () => {
		const bare = farmNodeView(live({}));
		expect(bare).toMatchObject({role: '?', health: 'unknown', summary: '', requests: null, rateLimited: null, requestsLastMinute: null, breaker: 'unknown', alerts: [], files: []});
		expect(bare.uploads).toEqual({active: 0, bytesDone: 0, bytesTotal: 0, percent: 0, speed: 0, queued: 0, done: 0, failed: 0});
		// A process without an upload queue says uploads: null.
		expect(farmNodeView(live({...payload, uploads: null})).uploads.active).toBe(0);
		const odd = farmNodeView(live({role: 42, health: 'fine', uploads: [1, 2], requests: '12', breaker: 'OPEN', alerts: {rule: 'x'}, uptimeMs: Number.NaN, version: {v: 1}}));
		expect(odd).toMatchObject({role: '?', health: 'unknown', requests: null, rateLimited: null, breaker: 'unknown', alerts: [], uptimeMs: 0, version: null});
		const halfWrong = farmNodeView(live({requests: {total: -3, rateLimited: 'x', lastMinute: 5}, breaker: {state: 'OPEN'}, health: {status: 'failing', reasons: 'no'}}));
		expect(halfWrong).toMatchObject({requests: null, rateLimited: null, requestsLastMinute: 5, rateLimitedLastMinute: null, breaker: 'unknown', health: 'failing', summary: ''});
		const halfFiles = farmNodeView(live({uploads: {uploading: 1, active: [{name: 'x.mov', bytesDone: 'lots', size: 10}, 'junk', null]}}));
		expect(halfFiles.uploads.active).toBe(3);
		expect(halfFiles.files).toEqual([
			{node: 'render-01', name: 'x.mov', state: '?', bytesDone: 0, size: 10, percent: 0, speed: 0},
			{node: 'render-01', name: '?', state: '?', bytesDone: 0, size: 0, percent: 0, speed: 0},
			{node: 'render-01', name: '?', state: '?', bytesDone: 0, size: 0, percent: 0, speed: 0},
		]);
	});

	it('makes every string printable and short, and caps the lists', () => {
		const view = farmNodeView(
			live({
				node: 'render-\u001b[2J01',
				role: 'watch\u0007',
				health: {status: 'ok', reasons: [`evil\u202e txt.exe ${'x'.repeat(500)}`, 'second']},
				alerts: Array.from({length: 50}, (_, i) => ({rule: `r${i}\r\n`, level: 'info', message: 'm'})),
				uploads: {uploading: 100, active: Array.from({length: 100}, (_, i) => ({name: `f${i}\u009b.mov`, bytesDone: 1, size: 2, speed: 0}))},
			}),
		);
		expect(view.node).toBe('render-?[2J01');
		expect(view.role).toBe('watch?');
		expect(view.summary).not.toContain('\u202e');
		expect(view.summary.length).toBeLessThanOrEqual(200);
		expect(view.summary.endsWith('…')).toBe(true);
		expect(view.alerts).toHaveLength(20);
		expect(view.alerts[0].rule).toBe('r0??');
		expect(view.files).toHaveLength(20);
		expect(view.uploads.active).toBe(100);
		expect(view.files[0].name).toBe('f0?.mov');
		expect(view.files[0].node).toBe('render-?[2J01');
		expect(cleanText(7)).toBeNull();
	});
});

describe('farm totals and lines', () => {
	it('adds up the live heartbeats; counts nodes and processes apart', () => {
		const nodes = [
			farmNodeView(live({...payload})),
			farmNodeView(live({...payload, instance: 'console1', role: 'console', health: {status: 'failing', reasons: ['API no answer']}, alerts: []})),
			farmNodeView(live({node: 'render-02'})),
		];
		const totals = farmTotals(nodes);
		expect(totals).toEqual({
			nodes: 2,
			processes: 3,
			requests: 2468,
			rateLimited: 14,
			requestsLastMinute: 120,
			rateLimitedLastMinute: 4,
			failing: 1,
			alerts: 1,
			active: 4,
			bytesDone: 200,
			bytesTotal: 1000,
			percent: 20,
			speed: 100,
			queued: 8,
			done: 18,
			failed: 2,
		});
		expect(farmLine(totals)).toBe('2 nodes · 3 processes · 1 failing · 1 alert · 120 req/min · 4 429s/min');
		expect(uploadsLine(totals)).toBe('uploading 4 · 200 B / 1000 B · 20.0 % · 0.0 MB/s · failed 2 · queued 8 · done 18');
	});

	it('never says 100 % of a transfer whose last part is unanswered, even from a beat without percent', () => {
		const sent = {name: 'b.mov', state: 'uploading', percent: 99.9, bytesDone: 500, size: 500, speed: 0};
		const older = {name: 'c.mov', state: 'uploading', bytesDone: 300, size: 300, speed: 0};
		const view = farmNodeView(live({...payload, uploads: {...payload.uploads, active: [sent, older]}}));
		expect(view.files.map(file => file.percent)).toEqual([99.9, 99.9]);
		const totals = farmTotals([view]);
		expect(totals.percent).toBe(99.9);
		expect(uploadsLine(totals)).toContain('800 B / 800 B · 99.9 %');
		const verifying = farmNodeView(live({...payload, uploads: {...payload.uploads, active: [{...sent, state: 'verifying', percent: 100}]}}));
		expect(verifying.files[0].percent).toBe(100);
		expect(uploadsLine(farmTotals([verifying]))).toContain('100.0 %');
	});

	it('lists the buckets fullest first, clamped to their capacity; an idle farm says so', () => {
		const shapes = {'files.show': {capacity: 10, ratePerMs: 0.01}, 'folders.create': {capacity: 3, ratePerMs: 0.003}, me: {capacity: 100, ratePerMs: 0.001}};
		const views = bucketViews({'files.show': 5, 'folders.create': 3.5, me: -1}, shapes);
		expect(views).toEqual([
			{endpointClass: 'folders.create', level: 3, capacity: 3},
			{endpointClass: 'files.show', level: 5, capacity: 10},
			{endpointClass: 'me', level: 0, capacity: 100},
		]);
		expect(bucketsLine(views)).toBe('folders.create 3.0/3 · files.show 5.0/10 · 1 empty');
		expect(bucketsLine(bucketViews({}, shapes))).toBe('all 3 empty: no request waits for the rate limit');
	});
});
