// The engine's small parts, without the network: part slicing, back-off, speed, coalescing, pause, polling, settings.
import fc from 'fast-check';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import {backoffDelay, sleep} from '../../source/upload/backoff.js';
import {PauseGate} from '../../source/upload/pause-gate.js';
import {PartPlanError, planRanges} from '../../source/upload/part-ranges.js';
import {ProgressThrottle} from '../../source/upload/progress-throttle.js';
import {urlForLog} from '../../source/upload/safe-url.js';
import {etaSeconds, SpeedMeter} from '../../source/upload/speed-meter.js';
import {pollUntil, UploadVerifyError, waitForUploadComplete} from '../../source/upload/status-poller.js';
import {uploadSettingsFrom} from '../../source/upload/upload-settings.js';

afterEach(() => {
	vi.useRealTimers();
});

describe('planRanges', () => {
	it('slices contiguously at the given sizes, in order, covering the file exactly', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({min: 1, max: 1_000_000}), {minLength: 1, maxLength: 50}), sizes => {
				const total = sizes.reduce((sum, size) => sum + size, 0);
				const ranges = planRanges(sizes.map((size, index) => ({size, url: `http://h/p/${index}`})), total);
				expect(ranges.map(range => range.size)).toEqual(sizes);
				expect(ranges[0].start).toBe(0);
				expect(ranges.at(-1)!.end).toBe(total - 1);
				ranges.forEach((range, index) => {
					expect(range.number).toBe(index + 1);
					expect(range.end - range.start + 1).toBe(range.size);
					if (index > 0) expect(range.start).toBe(ranges[index - 1].end + 1);
				});
			}),
		);
	});

	it('refuses sizes that do not add up, or are not positive integers', () => {
		expect(() => planRanges([{size: 10, url: 'http://h/1'}], 11)).toThrow('the 1 part sizes add up to 10 bytes, but the file has 11');
		expect(() => planRanges([{size: 0, url: 'http://h/1'}], 0)).toThrow(PartPlanError);
		expect(() => planRanges([{size: 1.5, url: 'http://h/1'}], 1.5)).toThrow(/not a positive integer/);
		expect(() => planRanges([], 1)).toThrow(/no upload_urls/);
	});
});

describe('backoff', () => {
	const retry = {maxRetries: 3, baseMs: 1000, factor: 2, maxMs: 5000};
	it('is full jitter under base·factor^attempt, capped', () => {
		expect(backoffDelay(0, retry, () => 0.999999)).toBe(1000);
		expect(backoffDelay(2, retry, () => 0.5)).toBe(2000);
		expect(backoffDelay(10, retry, () => 0.999999)).toBe(5000);
		expect(backoffDelay(3, retry, () => 0)).toBe(0);
	});

	it('sleep stops early when aborted', async () => {
		const controller = new AbortController();
		const pending = sleep(10_000, controller.signal);
		controller.abort(new Error('stop'));
		await expect(pending).rejects.toThrow('stop');
	});
});

describe('SpeedMeter', () => {
	it('averages the byte rate and decays when idle', () => {
		let now = 0;
		const meter = new SpeedMeter(1000, 100, () => now);
		meter.add(0);
		for (let step = 0; step < 20; step++) {
			now += 100;
			meter.add(100_000); // 1 MB/s
		}
		expect(meter.value).toBeCloseTo(1_000_000, -3);
		now += 3000;
		meter.sample();
		expect(meter.value).toBeLessThan(100_000);
		expect(etaSeconds(2_000_000, 1_000_000)).toBe(2);
		expect(etaSeconds(10, 0)).toBeNull();
		expect(etaSeconds(0, 0)).toBe(0);
	});
});

describe('ProgressThrottle', () => {
	it('emits at most once per interval per key, the last change included', () => {
		vi.useFakeTimers();
		const emitted: string[] = [];
		const throttle = new ProgressThrottle<string>(200, key => emitted.push(key), () => Date.now());
		for (let index = 0; index < 50; index++) {
			throttle.touch('a');
			throttle.touch('b');
			vi.advanceTimersByTime(10);
		}
		// 500 ms of changes: at t=0, 200, 400 for each key, and a trailing one at 600.
		vi.advanceTimersByTime(1000);
		expect(emitted.filter(key => key === 'a')).toHaveLength(4);
		expect(emitted.filter(key => key === 'b')).toHaveLength(4);
		throttle.markEmitted('a');
		throttle.touch('a');
		expect(emitted.filter(key => key === 'a')).toHaveLength(4);
		vi.advanceTimersByTime(200);
		expect(emitted.filter(key => key === 'a')).toHaveLength(5);
	});
});

describe('PauseGate', () => {
	it('holds waiters while paused and lets them go on resume or abort', async () => {
		const gate = new PauseGate();
		await gate.wait();
		gate.pause();
		let passed = false;
		const waiting = gate.wait().then(() => (passed = true));
		const controller = new AbortController();
		const aborted = gate.wait(controller.signal);
		await new Promise(resolve => setTimeout(resolve, 10));
		expect(passed).toBe(false);
		controller.abort(new Error('cancelled'));
		await expect(aborted).rejects.toThrow('cancelled');
		gate.resume();
		await waiting;
		expect(passed).toBe(true);
	});
});

describe('status polling', () => {
	const poll = {initialMs: 1, factor: 2, maxMs: 5};

	it('rides out transient errors and stops at upload_complete', async () => {
		let calls = 0;
		let transient = 0;
		const status = await waitForUploadComplete(
			async () => {
				calls++;
				if (calls === 2) throw Object.assign(new Error('503'), {status: 503});
				return {id: 'f', upload_complete: calls >= 4, upload_failed: false, uploaded_at: null, upload_completed_at: null};
			},
			{poll, deadlineMs: 5000, signal: new AbortController().signal, onTransientError: () => transient++},
		);
		expect(status.upload_complete).toBe(true);
		expect(calls).toBe(4);
		expect(transient).toBe(1);
	});

	it('ends at once on upload_failed or a 404, and at the deadline otherwise', async () => {
		const signal = new AbortController().signal;
		const failed = waitForUploadComplete(async () => ({id: 'f', upload_complete: false, upload_failed: true, uploaded_at: null, upload_completed_at: null}), {
			poll,
			deadlineMs: 5000,
			signal,
		});
		await expect(failed).rejects.toMatchObject({name: 'UploadVerifyError', serverFailed: true});
		let calls = 0;
		const gone = pollUntil('x', async () => {
			calls++;
			throw Object.assign(new Error('not found'), {status: 404});
		}, {poll, deadlineMs: 5000, signal});
		await expect(gone).rejects.toThrow('not found');
		expect(calls).toBe(1);
		const slow = pollUntil('upload not complete', async () => undefined, {poll, deadlineMs: 50, signal});
		await expect(slow).rejects.toThrow(UploadVerifyError);
		await expect(pollUntil('upload not complete', async () => undefined, {poll, deadlineMs: 50, signal})).rejects.toThrow('upload not complete after 0 s');
	});
});

describe('settings', () => {
	it('come from config/optimization.json: every upload number is used', () => {
		const config = {
			...optimizationDefaults,
			rate_limiting: {...optimizationDefaults.rate_limiting, backoff_factor: 3},
			upload_optimization: {
				chunk_size: 123_456,
				max_concurrent_uploads: 7,
				parts_concurrency: 9,
				timeout_seconds: 42,
				status_poll_deadline_seconds: 77,
				wait_for_transcode: true,
			},
			error_handling: {...optimizationDefaults.error_handling, max_retries: 5, retry_delay_base: 0.5, retry_delay_max: 8},
		};
		expect(uploadSettingsFrom(config)).toMatchObject({
			maxConcurrentUploads: 7,
			partsConcurrency: 9,
			partTimeoutMs: 42_000,
			readBufferBytes: 123_456,
			statusDeadlineMs: 77_000,
			waitForTranscode: true,
			retry: {maxRetries: 5, baseMs: 500, factor: 3, maxMs: 8000},
		});
	});
});

describe('urlForLog', () => {
	it('keeps scheme, host and path of a presigned URL, never its query', () => {
		expect(urlForLog('https://bucket.s3.amazonaws.com/parts/abc/part_1?X-Amz-Signature=deadbeef&X-Amz-Expires=86400')).toBe(
			'https://bucket.s3.amazonaws.com/parts/abc/part_1',
		);
		expect(urlForLog('::')).toBe('<invalid url>');
	});
});
