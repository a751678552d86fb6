// Plain numbers as every screen and message writes them.

/** Rounds to `digits` and drops trailing zeros: 6.20 → "6.2", 5.00 → "5". */
export function trimNumber(value: number, digits: number): string {
	return String(Number(value.toFixed(digits)));
}

/** 1 234 567: thin grouping that reads the same in any locale. */
export function formatCount(value: number): string {
	return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Fixed decimals; N/A for a figure that has no data. */
export function formatNumber(value: number | null, digits = 1): string {
	return value === null || !Number.isFinite(value) ? 'N/A' : value.toFixed(digits);
}
