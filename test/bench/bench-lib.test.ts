// The bench helpers that decide what the results table says: percentiles, flag parsing, and the README rendering
// of pass/miss/skipped rows. Benchmarks themselves never run here (they are `npm run bench`).
import {describe, expect, it} from 'vitest';

type Figure = {metric: string; value: number | null; unit: string; budget: {op: string; value: number} | null; status: string; reason?: string; detail?: string};
type Result = {name: string; title: string; machine: Record<string, unknown>; durationS: number; figures: Figure[]; notes: string[]; failed?: boolean};
type CommonLib = {
	percentile(values: number[], p: number): number;
	median(values: number[]): number;
	parseFlags(argv: string[]): Record<string, string | number>;
};
type ReadmeLib = {renderReadme(results: Result[]): string};

// Variable specifiers: the bench helpers are plain .mjs, outside the typed sources.
const commonPath = '../../bench/lib/common.mjs';
const readmePath = '../../bench/lib/readme.mjs';
const common = (await import(commonPath)) as CommonLib;
const readme = (await import(readmePath)) as ReadmeLib;

const machine = {cpus: 2, model: 'Test CPU', memoryGiB: 4, node: 'v20.20.2', platform: 'linux', loadavg: [0.5, 0.4, 0.3], date: '2026-01-01T00:00:00.000Z'};

describe('bench statistics', () => {
	it('takes nearest-rank percentiles and medians', () => {
		const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
		expect(common.percentile(values, 95)).toBe(100);
		expect(common.percentile(values, 50)).toBe(50);
		expect(common.percentile(values, 10)).toBe(10);
		expect(common.median([3, 1, 2])).toBe(2);
		expect(common.median([4, 1, 3, 2])).toBe(2.5);
		expect(Number.isNaN(common.median([]))).toBe(true);
	});

	it('parses --name value, --name=value and bare flags', () => {
		expect(common.parseFlags(['cache', '--runs', '5', '--mode=fast', '--strict', '--seconds', '1.5'])).toEqual({runs: 5, mode: 'fast', strict: 'true', seconds: 1.5});
	});
});

describe('results README', () => {
	it('lists every figure with its budget and marks misses, skips and failed benches', () => {
		const text = readme.renderReadme([
			{
				name: 'upload',
				title: 'Upload',
				machine,
				durationS: 12,
				failed: true,
				figures: [
					{metric: 'ours / curl', value: 0.71, unit: '', budget: {op: '>=', value: 0.9}, status: 'miss'},
					{metric: 'peak RSS', value: 131, unit: 'MB', budget: {op: '<=', value: 200}, status: 'pass'},
				],
				notes: ['stopped early'],
			},
			{
				name: 'startup',
				title: 'Startup',
				machine,
				durationS: 3,
				figures: [{metric: 'first frame', value: null, unit: 'ms', budget: {op: '<=', value: 800}, status: 'skipped', reason: 'runtime not built'}],
				notes: [],
			},
		]);
		const rows = text.split('\n');
		// startup sorts before upload whatever the input order.
		expect(rows.findIndex(row => row.startsWith('| startup'))).toBeLessThan(rows.findIndex(row => row.startsWith('| upload')));
		expect(text).toContain('| upload | ours / curl | 0.71 | ≥ 0.9 | **MISS** |');
		expect(text).toContain('| upload | peak RSS | 131 MB | ≤ 200 MB | pass |');
		expect(text).toContain('| startup | first frame | skipped: runtime not built | ≤ 800 ms | skipped |');
		expect(text).toContain('| upload | the bench stopped early (see Notes) | | | **FAILED** |');
		expect(text).toContain('2 × Test CPU, 4 GiB');
		expect(text).toContain('- stopped early');
	});
});
