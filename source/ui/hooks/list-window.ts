/** The first visible row: scrolls as little as possible to keep `index` within `height` rows. */
export function windowStart(index: number, previousStart: number, height: number, count: number): number {
	if (height <= 0 || count <= height) return 0;
	let start = Math.min(Math.max(0, previousStart), count - height);
	if (index < start) start = index;
	else if (index >= start + height) start = index - height + 1;
	return Math.max(0, start);
}

export function clampIndex(index: number, count: number): number {
	return count === 0 ? 0 : Math.min(count - 1, Math.max(0, index));
}
