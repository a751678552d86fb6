// Text for `health`: one line per check (status, name, duration, reason), failing first, and a summary line.
// A reason quotes the API and the disk (names, error details): each line is made printable.
import {plain, type Paint, type Tone} from '../format/colour.js';
import {printable} from '../format/printable.js';
import {summarize} from './health-service.js';
import type {HealthCheckResult} from './checks/types.js';

const LABEL = {pass: 'PASS', warn: 'WARN', fail: 'FAIL'} as const;

const TONE = {pass: 'ok', warn: 'warn', fail: 'fail'} as const satisfies Record<string, Tone>;

/**
 * `paint` colours the status words (a terminal); `problemsOnly` (--quiet) leaves out the checks that pass: what is
 * left is what needs doing, and the summary line.
 */
export function formatHealth(results: readonly HealthCheckResult[], totalMs: number, options: {paint?: Paint; problemsOnly?: boolean} = {}): string {
	const paint = options.paint ?? plain;
	const shown = options.problemsOnly ? results.filter(result => result.status !== 'pass') : results;
	const nameWidth = Math.max(...shown.map(result => result.name.length), 4);
	const msWidth = Math.max(...shown.map(result => `${result.ms} ms`.length), 4);
	const lines = shown.map(result => `${paint(LABEL[result.status], TONE[result.status])}  ${result.name.padEnd(nameWidth)}  ${`${result.ms} ms`.padStart(msWidth)}  ${printable(result.reason)}`);
	const summary = summarize(results);
	const counts = `${summary.total} checks: ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail (${(totalMs / 1000).toFixed(1)} s)`;
	if (lines.length > 0) lines.push('');
	lines.push(summary.fail > 0 ? paint(counts, 'fail') : counts);
	return `${lines.join('\n')}\n`;
}
