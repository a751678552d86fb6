// Every duration and interval in the config schemas has an upper bound (issue 12): a value past 2³¹ ms overflows
// Node's timers, which then fire after 1 ms (with request_timeout_seconds 3000000 every request timed out).
// A value over the bound is a ConfigError at the value's own file:line:col; the bound itself loads, and fits a timer.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/index.js';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Each duration: the file, its path, and how many ms one unit is. */
const durations: Array<{file: string; path: string[]; unitMs: number}> = [
	...['projects', 'folders', 'structure', 'nomenclature', 'files'].map(key => ({file: 'optimization.json', path: ['cache_ttl', key], unitMs: 1000})),
	{file: 'optimization.json', path: ['cache_invalidation', 'cleanup_interval_hours'], unitMs: 3_600_000},
	{file: 'optimization.json', path: ['cache_invalidation', 'max_cache_age_hours'], unitMs: 3_600_000},
	{file: 'optimization.json', path: ['upload_optimization', 'timeout_seconds'], unitMs: 1000},
	{file: 'optimization.json', path: ['upload_optimization', 'status_poll_deadline_seconds'], unitMs: 1000},
	...['system_metrics_interval', 'slow_operation_threshold', 'health_timeout_seconds', 'refresh_interval_seconds'].map(key => ({
		file: 'optimization.json',
		path: ['monitoring', key],
		unitMs: 1000,
	})),
	...['retry_delay_base', 'retry_delay_max', 'request_timeout_seconds', 'circuit_breaker_timeout'].map(key => ({file: 'optimization.json', path: ['error_handling', key], unitMs: 1000})),
	{file: 'optimization.json', path: ['alerts', 'latency_mean_max_seconds'], unitMs: 1000},
	{file: 'alerts.json', path: ['channels', 'discord', 'timeout_seconds'], unitMs: 1000},
	...['error_rate', 'api_latency', 'memory', 'cache_miss_rate', 'upload_failure_rate', 'api_unreachable', 'circuit_breaker_open'].flatMap(rule => [
		{file: 'alerts.json', path: ['rules', rule, 'window_seconds'], unitMs: 1000},
		{file: 'alerts.json', path: ['rules', rule, 'cooldown_seconds'], unitMs: 1000},
	]),
];

/** `{\n  "a": {\n    "b": VALUE\n  }\n}`: the value is on the last key's line, right after `"key": `. */
function nested(keys: string[], value: string): {text: string; line: number; column: number} {
	const lines = ['{'];
	keys.forEach((key, depth) => {
		const indent = '  '.repeat(depth + 1);
		lines.push(depth === keys.length - 1 ? `${indent}"${key}": ${value}` : `${indent}"${key}": {`);
	});
	for (let depth = keys.length - 2; depth >= 0; depth--) lines.push(`${'  '.repeat(depth + 1)}}`);
	lines.push('}');
	const line = keys.length + 1;
	const column = '  '.repeat(keys.length).length + `"${keys.at(-1)}": `.length + 1;
	return {text: lines.join('\n'), line, column};
}

function loadWith(file: string, text: string): ConfigError | null {
	const dir = testDir('bounds');
	writeFileSync(path.join(dir, file), text);
	try {
		loadConfig(dir);
		return null;
	} catch (error) {
		if (error instanceof ConfigError) return error;
		throw error;
	}
}

describe('duration bounds', () => {
	it.each(durations)('$file $path: 3000000 is refused at the value, and the bound fits a timer', ({file, path: keys, unitMs}) => {
		const {text, line, column} = nested(keys, '3000000');
		const error = loadWith(file, text);
		expect(error, `${keys.join('.')} accepted 3000000`).not.toBeNull();
		expect(error!.line).toBe(line);
		expect(error!.column).toBe(column);
		const bound = /at most (\d+(?:\.\d+)?)/.exec(error!.problem);
		expect(error!.problem).toMatch(new RegExp(`at most .*, got 3000000 at ${keys.join('\\.')}$`));
		const max = Number(bound![1]);
		expect(max * unitMs).toBeLessThanOrEqual(MAX_TIMER_MS);
		// The bound itself is valid.
		expect(loadWith(file, nested(keys, String(max)).text)).toBeNull();
	});

	it('refuses a request rate so low that the wait between two requests would overflow a timer', () => {
		const {text, line, column} = nested(['rate_limiting', 'requests_per_second'], '0.0000001');
		const error = loadWith('optimization.json', text);
		expect(error).not.toBeNull();
		expect([error!.line, error!.column]).toEqual([line, column]);
		expect(error!.problem).toMatch(/at least 0\.01.*at rate_limiting\.requests_per_second$/);
	});

	it('validate exits 2 on request_timeout_seconds 3000000, naming file:line:col, instead of timing every request out', async () => {
		const config = testDir('bounds-cli');
		writeFileSync(path.join(config, 'optimization.json'), '{\n  "error_handling": {"request_timeout_seconds": 3000000}\n}\n');
		const result = await runCli(['validate', '--sandbox', '--config', config, '--state-dir', testDir('bounds-state'), '--logs-dir', testDir('bounds-logs')]);
		expect(result.code).toBe(2);
		expect(result.stdout).toMatch(/INVALID {2}optimization {2}.*optimization\.json:2:49: expected at most 3600 s \(1 h\), got 3000000 at error_handling\.request_timeout_seconds$/m);
		expect(result.stderr).not.toContain('TimeoutOverflowWarning');
	});
});
