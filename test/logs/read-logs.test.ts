import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {formatTypedDuration, parseDuration} from '../../source/format/duration.js';
import {emptyReadStats, logFiles, parseLogLine, readLogLines} from '../../source/log/read-logs.js';
import {testDir} from '../helpers/secret-scan.js';

describe('log files and lines', () => {
	it('lists rotations oldest first, numerically (.10 before .9), then the current file; ignores other files', () => {
		const dir = testDir('read-logs-list');
		for (const name of ['frameio_admin.log', 'frameio_admin.log.1', 'frameio_admin.log.2', 'frameio_admin.log.10', 'frameio_admin.log.9', 'frameio_errors.log', 'frameio_admin.log.bak', 'alerts.log']) {
			writeFileSync(path.join(dir, name), '');
		}
		expect(logFiles(dir).map(file => path.basename(file))).toEqual(['frameio_admin.log.10', 'frameio_admin.log.9', 'frameio_admin.log.2', 'frameio_admin.log.1', 'frameio_admin.log']);
		expect(logFiles(path.join(dir, 'missing'))).toEqual([]);
	});

	it('parses pino lines (label or numeric level) and refuses anything else', () => {
		expect(parseLogLine('{"level":"info","time":"2025-01-07T14:30:15.000Z","logger":"frameio.api","msg":"x"}')?.at).toBe(Date.parse('2025-01-07T14:30:15.000Z'));
		expect(parseLogLine('{"level":40,"time":1736260215000,"msg":"x"}')?.record.level).toBe('warn');
		for (const bad of ['', 'plain text', '{"level":"info"}', '{"time":"2025-01-07T14:30:15Z"}', '{"level":"info","time":"soon"}', '[1,2]', '{"level":"info","time":"2025-01-07T14:30:15Z"']) {
			expect(parseLogLine(bad)).toBeNull();
		}
	});

	it('streams a window across files, counting malformed lines', async () => {
		const dir = testDir('read-logs-window');
		const line = (iso: string, msg: string) => JSON.stringify({level: 'info', time: iso, msg});
		writeFileSync(path.join(dir, 'frameio_admin.log.1'), [line('2025-01-07T10:00:00Z', 'early'), 'junk', line('2025-01-07T12:00:00Z', 'a')].join('\n') + '\n');
		writeFileSync(path.join(dir, 'frameio_admin.log'), ['', line('2025-01-07T13:00:00Z', 'b'), '{"cut', line('2025-01-07T15:00:00Z', 'late')].join('\n'));
		const stats = emptyReadStats();
		const seen: string[] = [];
		for await (const parsed of readLogLines(logFiles(dir), {fromMs: Date.parse('2025-01-07T11:00:00Z'), toMs: Date.parse('2025-01-07T14:00:00Z'), stats})) {
			seen.push(String(parsed.record.msg));
		}
		expect(seen).toEqual(['a', 'b']);
		expect(stats).toMatchObject({lines: 6, malformed: 2, inWindow: 2});
		expect(stats.files).toHaveLength(2);
	});
});

describe('durations', () => {
	it('accepts s/m/h/d and rejects the rest with the accepted forms', () => {
		expect(parseDuration('30s')).toBe(30_000);
		expect(parseDuration('10m')).toBe(600_000);
		expect(parseDuration('1h')).toBe(3_600_000);
		expect(parseDuration('2d')).toBe(172_800_000);
		expect(parseDuration('1.5h')).toBe(5_400_000);
		for (const bad of ['5x', '', 'h', '-1h', '10', '1 hour']) expect(() => parseDuration(bad, 'since')).toThrow(/--since ".*" is not a duration: use a number and a unit s, m, h or d/);
		// A well-formed zero is a duration, refused for being zero.
		for (const zero of ['0s', '0m', '0.0h']) expect(() => parseDuration(zero, 'since')).toThrow(/--since ".*" is zero: give a duration longer than 0/);
		expect(['30s', '10m', '1h', '2d', '90m'].map(text => formatTypedDuration(parseDuration(text)))).toEqual(['30s', '10m', '1h', '2d', '90m']);
	});
});
