// The sandbox demo's deliberate 404 shows an error in the Metrics tab now and then, but must not hold the default
// error_rate alert on: an alert that never clears teaches people to ignore alerts. Simulated over 20 minutes with
// the real MetricsStore and AlertEngine at the default rules, against the quietest traffic the console makes (its
// latency probe, one GET /v4/me every 5 s; no browsing, no uploads).
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {ApiCallEvent} from '../../source/events/index.js';
import {DEMO_ERROR_MS, startSandboxDemo} from '../../source/app/sandbox-demo.js';
import {alertsDefaults} from '../../source/config/alerts-schema.js';
import {AlertEngine} from '../../source/metrics/alert-engine.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {testDir} from '../helpers/secret-scan.js';

const PROBE_MS = 5000;
const call = (status: number): ApiCallEvent => ({type: 'api', at: Date.now(), op: status === 200 ? 'me' : 'files.show', method: 'GET', status, ms: 20, bytes: 100, retries: 0, fromCache: false});

async function simulate(errorMs: number | undefined, minutes: number) {
	const metrics = new MetricsStore();
	const engine = new AlertEngine(alertsDefaults);
	let errors = 0;
	const stop = startSandboxDemo(
		{
			async *listChildren() {},
			async missingFile() {
				errors++;
				metrics.record(call(404));
			},
			addUpload: async () => {},
			activeUploads: () => 2, // the demo adds no upload while two are active
			dir: path.join(testDir('sandbox-demo'), 'renders'),
		},
		errorMs === undefined ? {} : {errorMs},
	);
	const fired: string[] = [];
	for (let t = 0; t < minutes * 60_000; t += PROBE_MS) {
		await vi.advanceTimersByTimeAsync(PROBE_MS);
		metrics.record(call(200));
		for (const alert of engine.evaluate(metrics)) if (alert.state === 'firing') fired.push(alert.rule);
	}
	stop();
	return {errors, fired, active: engine.active().map(alert => alert.rule)};
}

describe('sandbox demo errors', () => {
	beforeEach(() => vi.useFakeTimers({now: new Date('2026-01-07T14:00:00Z')}));
	afterEach(() => vi.useRealTimers());

	it(`asks for a missing file every ${DEMO_ERROR_MS / 1000} s, and error_rate never fires`, async () => {
		const {errors, fired, active} = await simulate(undefined, 20);
		expect(errors).toBe(Math.floor((20 * 60_000) / DEMO_ERROR_MS));
		expect(fired).toEqual([]);
		expect(active).toEqual([]);
	});

	it('the old cadence (one every 11 s) held error_rate on (control: the simulation can fire)', async () => {
		const {fired, active} = await simulate(11_000, 20);
		expect(fired).toContain('error_rate');
		expect(active).toContain('error_rate');
	});
});
