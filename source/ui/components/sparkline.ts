const BARS = '▁▂▃▄▅▆▇█';

/** The last `width` values as bars scaled from 0 to their maximum; an all-zero series is a flat floor. */
export function sparkline(values: readonly number[], width: number): string {
	if (width <= 0 || values.length === 0) return '';
	const tail = values.slice(-width).map(value => (Number.isFinite(value) && value > 0 ? value : 0));
	const max = Math.max(...tail);
	if (max === 0) return BARS[0].repeat(tail.length);
	return tail.map(value => BARS[Math.min(BARS.length - 1, Math.round((value / max) * (BARS.length - 1)))]).join('');
}
