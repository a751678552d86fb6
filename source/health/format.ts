// Text for `health`: one line per check (status, name, duration, reason), failing first, and a summary line.
// A reason quotes the API and the disk (names, error details): each line is made printable.
import {printable} from '../format/printable.js';
import {summarize} from './health-service.js';
import type {HealthCheckResult} from './checks/types.js';

const LABEL = {pass: 'PASS', warn: 'WARN', fail: 'FAIL'} as const;

export function formatHealth(results: readonly HealthCheckResult[], totalMs: number): string {
	const nameWidth = Math.max(...results.map(result => result.name.length), 4);
	const msWidth = Math.max(...results.map(result => `${result.ms} ms`.length), 4);
	const lines = results.map(result => `${LABEL[result.status]}  ${result.name.padEnd(nameWidth)}  ${`${result.ms} ms`.padStart(msWidth)}  ${printable(result.reason)}`);
	const summary = summarize(results);
	lines.push('', `${summary.total} checks: ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail (${(totalMs / 1000).toFixed(1)} s)`);
	return `${lines.join('\n')}\n`;
}
