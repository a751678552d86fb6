/**
 * Summary statistics over plain number arrays.
 *
 * Percentiles use linear interpolation between the two closest ranks (the "R-7" / NumPy default /
 * Excel PERCENTILE.INC definition): for n sorted values, rank h = (n - 1) · p, and the result is
 * v[floor(h)] + (h - floor(h)) · (v[floor(h) + 1] - v[floor(h)]). So p = 0 is the minimum, p = 1 the
 * maximum, and p = 0.5 is the usual median (the mean of the two middle values when n is even).
 * Every function returns null for an empty input, never 0, so that a report can print N/A.
 */

/** p in [0, 1]; `sorted` must be sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
	const n = sorted.length;
	if (n === 0) return null;
	if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be within [0, 1], got ${p}`);
	const h = (n - 1) * p;
	const low = Math.floor(h);
	const high = Math.min(low + 1, n - 1);
	return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

/** Sorts a copy, then interpolates (see the file comment). */
export function percentile(values: readonly number[], p: number): number | null {
	return percentileOfSorted(sortedCopy(values), p);
}

export function median(values: readonly number[]): number | null {
	return percentile(values, 0.5);
}

export function mean(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	let sum = 0;
	for (const value of values) sum += value;
	return sum / values.length;
}

export function sortedCopy(values: readonly number[]): Float64Array {
	// A typed array sorts numerically (Array#sort would compare as strings).
	return Float64Array.from(values).sort();
}

/** null-safe ratio: null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
	return whole > 0 ? part / whole : null;
}
