import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {mean, median, percentile, percentileOfSorted, ratio} from '../../source/metrics/stats.js';

describe('percentile (linear interpolation between closest ranks, R-7)', () => {
	it('matches hand-computed values', () => {
		// h = (n - 1) p: n = 5, p = 0.4 → h = 1.6 → 20 + 0.6 · (35 - 20) = 29
		expect(percentile([15, 20, 35, 40, 50], 0.4)).toBeCloseTo(29, 10);
		// 1..20, p95: h = 19 · 0.95 = 18.05 → 19 + 0.05 · 1
		expect(percentile(Array.from({length: 20}, (_, i) => i + 1), 0.95)).toBeCloseTo(19.05, 10);
		expect(percentile([100, 200, 300, 400, 1000], 0.95)).toBeCloseTo(880, 10);
		expect(percentile([7], 0.95)).toBe(7);
		expect(percentile([3, 1, 2], 0)).toBe(1);
		expect(percentile([3, 1, 2], 1)).toBe(3);
	});

	it('median is the middle value, or the mean of the two middle values', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([1, 2, 3, 4])).toBe(2.5);
		// sorts numerically, not as strings ("10" < "100" < "9")
		expect(median([10, 9, 100])).toBe(10);
	});

	it('returns null for no samples, never 0', () => {
		expect(percentile([], 0.5)).toBeNull();
		expect(median([])).toBeNull();
		expect(mean([])).toBeNull();
		expect(ratio(3, 0)).toBeNull();
		expect(ratio(3, 4)).toBe(0.75);
		expect(mean([1, 2, 3, 10])).toBe(4);
	});

	it('rejects a percentile outside [0, 1]', () => {
		expect(() => percentileOfSorted([1, 2], 95)).toThrow(RangeError);
	});

	it('is monotonic in p and stays between min and max', () => {
		fc.assert(
			fc.property(fc.array(fc.double({min: -1e6, max: 1e6, noNaN: true}), {minLength: 1, maxLength: 50}), fc.double({min: 0, max: 1, noNaN: true}), fc.double({min: 0, max: 1, noNaN: true}), (values, a, b) => {
				const [low, high] = a <= b ? [a, b] : [b, a];
				const pLow = percentile(values, low)!;
				const pHigh = percentile(values, high)!;
				expect(pLow).toBeLessThanOrEqual(pHigh + 1e-9);
				expect(pLow).toBeGreaterThanOrEqual(Math.min(...values) - 1e-9);
				expect(pHigh).toBeLessThanOrEqual(Math.max(...values) + 1e-9);
			}),
		);
	});
});
