// Plain-text rendering of cache stats, for `cache stats` (and any text report that wants the same table).
import {formatBytes} from '../format/bytes.js';
import {formatSeconds} from '../format/duration.js';
import type {CacheStats} from './cache-stats.js';


/** TTL in seconds as the config writes it, with a readable form: "1800 s (30m)". */
export function formatTtl(seconds: number | undefined): string {
	if (seconds === undefined) return '-';
	const short = seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : formatSeconds(seconds);
	return `${seconds} s (${short})`;
}

/** One row per type (the given ones first, then any other type present) and a total row. */
export function formatStatsTable(stats: CacheStats, types: readonly string[]): string {
	const order = [...types, ...Object.keys(stats.byType).filter(type => !types.includes(type)).sort()];
	const rows: string[][] = [['TYPE', 'ENTRIES', 'VALID', 'EXPIRED', 'BYTES', 'TTL']];
	for (const type of order) {
		const row = stats.byType[type] ?? {count: 0, valid: 0, expired: 0, bytes: 0};
		rows.push([type, String(row.count), String(row.valid), String(row.expired), formatBytes(row.bytes), formatTtl(stats.ttlByType[type])]);
	}
	rows.push(['total', String(stats.total), String(stats.valid), String(stats.expired), formatBytes(stats.bytes), '']);
	const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
	return rows
		.map(row =>
			row
				.map((cell, column) => (column === 0 || column === row.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
				.join('  ')
				.trimEnd(),
		)
		.join('\n');
}
