// The Farm tab at 80×24: without Redis it says how to turn farm mode on; with a farm of 20 nodes it shows the farm's
// totals, the shared buckets, a scrolling list of every process and the uploads in progress, Enter shows one process,
// and a failed read keeps the last view with the reason.
import {afterEach, describe, expect, it} from 'vitest';
import {formatCount} from '../../source/format/number.js';
import {farmView, renderFarm, watchBeat} from '../store/farm-fixtures.js';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
const open = (...args: Parameters<typeof renderConsole>) => (harness = renderConsole(...args));
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

function fitsTheTerminal(frame: string, columns = 80, rows = 24): void {
	const lines = frame.split('\n');
	expect(lines).toHaveLength(rows);
	for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
}

describe('Farm tab', () => {
	it('is tab 6; without Redis it says farm mode is off and how to turn it on; it reads only while shown', async () => {
		const fakes = fakePorts();
		const h = open(fakes);
		const first = await h.waitFor('CHECK');
		expect(first.split('\n')[0]).toContain('6 Farm');
		expect(first.split('\n')[0]).toContain('? help');
		expect(fakes.farm.reads).toBe(0);
		await h.press('6');
		const frame = await h.waitFor('farm mode is off');
		expect(frame).toContain('FRAMEIO_REDIS_URL');
		expect(fakes.farm.reads).toBe(1);
		fitsTheTerminal(frame);
		await h.press('1');
		await h.waitFor('CHECK');
		h.consoleStore.refreshNow();
		await h.tick(20);
		expect(fakes.farm.reads).toBe(1);
	});

	it('shows 20 nodes at 80×24: totals, buckets, the process list scrolling to the last node, the uploads in progress', async () => {
		const fakes = fakePorts();
		fakes.farm.view = renderFarm(20);
		const h = open(fakes, {pane: 'farm'});
		let frame = await h.waitFor('render-01');
		fitsTheTerminal(frame);
		const lines = frame.split('\n');
		// The tab bar, the status bar, then the pane.
		expect(lines[2]).toBe('20 nodes · 20 processes · 0 alerts · 410 req/min · 4 429s/min');
		// 7 nodes upload one file (10 of 100 MB), 7 two (10 and 20 of 100 MB each), at 2 MB/s a file.
		expect(lines[3]).toMatch(/^uploading 21 · 280 MB \/ 2\.1 GB · 13\.3 % · 42\.0 MB\/s · failed 0 · queued 210 · /);
		expect(lines[4]).toBe('buckets: files.local_upload 4.2/5 · folders.list 2.0/5 · 2 empty');
		expect(lines[5]).toMatch(/^NODE +ROLE +HEALTH +BREAKER +UP +REQ\/M +429\/M +UPL +ALR$/);
		expect(lines[6]).toMatch(/^render-01 +watch +OK +closed +3h +11 +0 +1 +0 *$/);
		expect(frame).toMatch(/^render-05 +watch +OK +closed +3h +15 +1 +2 +0 *$/m);
		expect(frame).toContain('UPLOADS IN PROGRESS: 21 (17 not shown)');
		expect(lines[22]).toBe('1 of 20 processes · redis://10.0.0.5:6379');
		expect(frame).not.toContain('render-20');

		await h.press('G');
		frame = await h.waitFor('20 of 20 processes');
		expect(frame).toMatch(/render-20 +watch +OK/);
		expect(frame).not.toMatch(/render-01 +watch/);
		fitsTheTerminal(frame);
		await h.press('k', 'k');
		await h.waitFor('18 of 20 processes');
		await h.press('g');
		await h.waitFor('1 of 20 processes');
	});

	it('Enter shows the selected process: version, health line, alerts and its uploads; Enter again the farm', async () => {
		const fakes = fakePorts();
		fakes.farm.view = farmView([
			watchBeat('render-01', 1),
			watchBeat('render-02', 2, {
				health: {status: 'degraded', reasons: ['alert api_latency', 'circuit breaker half-open']},
				breaker: {state: 'half-open', consecutiveFailures: 0, opens: 1},
				alerts: [{rule: 'api_latency', level: 'warning', message: 'Mean API latency 6.2 s > 5 s over 5 min', since: Date.now() - 60_000}],
			}),
			watchBeat('render-03', 3, {role: 'console', health: {status: 'failing', reasons: ['circuit breaker open', 'API no answer for 42 s']}, breaker: {state: 'open', consecutiveFailures: 5, opens: 1}}),
		]);
		const h = open(fakes, {pane: 'farm'});
		let frame = await h.waitFor('render-03');
		expect(frame).toContain('3 nodes · 3 processes · 1 failing · 1 alert');
		expect(frame).toMatch(/render-02 +watch +DEGRADED +half-open/);
		expect(frame).toMatch(/render-03 +console +FAILING +open/);
		await h.press('j', KEY.enter);
		frame = await h.waitFor('DEGRADED: alert api_latency; circuit breaker half-open · breaker half-open');
		expect(frame).toContain(`requests ${formatCount(1002)} (12 in the last minute) · 429s 0 (0)`);
		expect(frame).toContain('render-02 · watch · 0.1.0 · instance i002 · up 3h');
		expect(frame).toContain('alert api_latency (warning): Mean API latency 6.2 s > 5 s over 5 min');
		expect(frame).toContain('UNDLM_SEQ01_00020_v001.mov · 10 % of 100 MB · 2.0 MB/s');
		expect(frame).not.toContain('UPLOADS IN PROGRESS');
		fitsTheTerminal(frame);
		await h.press(KEY.enter);
		await h.waitFor('UPLOADS IN PROGRESS: 3');
	});

	it('keeps the last view when a read fails, and says why; r reads again', async () => {
		const fakes = fakePorts();
		fakes.farm.view = renderFarm(3);
		const h = open(fakes, {pane: 'farm'});
		await h.waitFor('render-03');
		fakes.farm.failure = 'Redis at redis://10.0.0.5:6379 is out of reach (connect ECONNREFUSED 10.0.0.5:6379)';
		await h.press('r');
		let frame = await h.waitFor('last read failed');
		expect(frame).toContain('render-03');
		expect(frame).toContain('connect ECONNREFUSED 10.0.0.5:6379)');
		fitsTheTerminal(frame);
		fakes.farm.failure = null;
		fakes.farm.view = renderFarm(4);
		await h.press('r');
		frame = await h.waitFor('render-04');
		expect(frame).not.toContain('last read failed');
	});

	it('says why when the first read fails, and when no node beats', async () => {
		const fakes = fakePorts();
		fakes.farm.failure = 'Redis at redis://10.0.0.5:6379 is out of reach (connect ETIMEDOUT)';
		const h = open(fakes, {pane: 'farm'});
		await h.waitFor('cannot read the farm: Redis at redis://10.0.0.5:6379 is out of reach');
		fakes.farm.failure = null;
		fakes.farm.view = farmView([], {});
		await h.press('r');
		const frame = await h.waitFor('no live heartbeat');
		expect(frame).toContain('0 nodes · 0 processes');
		expect(frame).toContain('buckets: all 4 empty');
	});
});
