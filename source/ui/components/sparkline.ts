const BARS = '▁▂▃▄▅▆▇█';

/** `values` fitted to `width` cells: each cell the mean of the values it covers (fewer values than cells stay as they are). */
export function resample(values: readonly number[], width: number): number[] {
	if (width <= 0) return [];
	if (values.length <= width) return [...values];
	const out: number[] = [];
	for (let cell = 0; cell < width; cell++) {
		const from = Math.floor((cell * values.length) / width);
		const to = Math.max(from + 1, Math.floor(((cell + 1) * values.length) / width));
		let sum = 0;
		for (let i = from; i < to; i++) sum += values[i];
		out.push(sum / (to - from));
	}
	return out;
}

/** The last `width` values as bars scaled from 0 to their maximum; an all-zero series is a flat floor. */
export function sparkline(values: readonly number[], width: number): string {
	if (width <= 0 || values.length === 0) return '';
	const tail = values.slice(-width).map(value => (Number.isFinite(value) && value > 0 ? value : 0));
	const max = Math.max(...tail);
	if (max === 0) return BARS[0].repeat(tail.length);
	return tail.map(value => BARS[Math.min(BARS.length - 1, Math.round((value / max) * (BARS.length - 1)))]).join('');
}
