// One way to write a size, on every screen and in every command's output.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** The MB of every figure: 1024 × 1024 bytes. */
export const MB = 1024 * 1024;

/**
 * 1024-based, like the metrics (MB = 1024 × 1024 bytes): `512 B`, `58.5 KB`, `1.9 MB`, `142 MB` (no decimal from
 * 100 on, so that a column keeps its width). `-` for what is not a size.
 */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '-';
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	if (unit === 0) return `${value} B`;
	return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** The unit formatBytes would pick for `bytes`, and its size in bytes: for `0.4/1.0 MB`-style pairs. */
export function sizeUnit(bytes: number): {name: string; bytes: number} {
	let unit = 0;
	let divisor = 1;
	while (bytes / divisor >= 1024 && unit < UNITS.length - 1) {
		divisor *= 1024;
		unit++;
	}
	return {name: UNITS[unit], bytes: divisor};
}

/** `0.4/1.0 MB`: done in the unit of the total, so a progress row stays short. */
export function formatBytesOf(done: number, total: number): string {
	const unit = sizeUnit(total);
	if (unit.bytes === 1) return `${done}/${total} B`;
	return `${(done / unit.bytes).toFixed(1)}/${(total / unit.bytes).toFixed(1)} ${unit.name}`;
}
