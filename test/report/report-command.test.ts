// `frameio-admin report --since` as a user runs it: the built CLI in a real process, on log files this test writes.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {EXIT, UsageError, type Io} from '../../source/commands/kit/command.js';
import reportCommand from '../../source/commands/report.js';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';
import {apiLine, cacheLine, MiB, systemLine, uploadLine, writeLines} from './log-lines.js';
import {dirs, reportFiles} from './report-dirs.js';

const MIN = 60_000;

/** A recent hour of activity: 4 calls (one 503), 42 % cache hits, 2 uploads, 2 system summaries; plus noise. */
function writeRecentLogs(logsDir: string) {
	const now = Date.now();
	writeLines(path.join(logsDir, 'frameio_admin.log.1'), [apiLine(now - 3 * 60 * MIN, 50_000), apiLine(now - 40 * MIN, 100), apiLine(now - 30 * MIN, 300)]);
	writeLines(path.join(logsDir, 'frameio_admin.log'), [
		apiLine(now - 20 * MIN, 500),
		apiLine(now - 10 * MIN, 900, 503, {errorKind: 'server'}),
		'{"broken": ',
		cacheLine(now - 9 * MIN, 21, 29),
		uploadLine(now - 8 * MIN, 'done', 3),
		uploadLine(now - 7 * MIN, 'done', 5),
		systemLine(now - 6 * MIN, 3, 2, 4, 80 * MiB, 90 * MiB),
		systemLine(now - 5 * MIN, 1, 8, 8, 120 * MiB, 120 * MiB),
	]);
}

describe('report --since (from the structured logs)', () => {
	it('prints and writes the report with the expected numbers, sections in order', async () => {
		const {logsDir, args} = dirs('report-since');
		writeRecentLogs(logsDir);
		const result = await runCli(['report', '--since', '1h', ...args]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const files = reportFiles(logsDir);
		expect(files).toHaveLength(1);
		const text = readFileSync(path.join(logsDir, files[0]), 'utf8');
		expect(result.stdout).toContain(text.trimEnd());
		expect(result.stdout).toContain(`Report written to ${path.join(logsDir, files[0])}`);

		const sections = ['SESSION', 'API CALLS', 'UPLOADS', 'CACHE', 'SYSTEM', 'ERRORS', 'RECOMMENDATIONS'].map(title => text.indexOf(`\n${title}`));
		expect(sections.every(index => index > 0)).toBe(true);
		expect([...sections].sort((a, b) => a - b)).toEqual(sections);

		expect(text).toContain('Lines:          11 read, 9 in the window, 9 with metrics, 1 malformed (skipped)');
		expect(text).toContain('Total:          4 (');
		expect(text).toContain('Success rate:   75 % (3 ok, 1 failed)');
		expect(text).toContain('Latency mean:   450 ms');
		expect(text).toContain('Latency median: 400 ms');
		expect(text).toContain('Latency max:    900 ms');
		expect(text).toContain('Speed mean:     4 MB/s');
		expect(text).toContain('Hit rate:       42 %');
		expect(text).toContain('Hits:           21');
		expect(text).toContain('Memory peak:    120 MB');
		expect(text).toContain('CPU mean:       3.5 %');
		expect(text).toContain('By kind:        server (5xx) 1');
		// defaults: 70 % hit rate, 5 % errors, 5 MB/s
		expect(text).toContain('cache hit rate 42 % < 70 %: raise cache_ttl.folders, now 900 s');
		expect(text).toContain('error rate 25 % > 5 %');
		expect(text).toContain('mean upload speed 4 MB/s < 5 MB/s: raise upload_optimization.parts_concurrency, now 4');
		expect(text).not.toContain('Optimal performance');
	});

	it('recommendations follow config/optimization.json: changed thresholds change the text', async () => {
		const {logsDir, configDir, args} = dirs('report-config');
		writeRecentLogs(logsDir);
		writeFileSync(
			path.join(configDir, 'optimization.json'),
			`{
  // partial file: merged over the defaults
  "cache_ttl": {"folders": 1234},
  "upload_optimization": {"parts_concurrency": 7},
  "alerts": {"cache_hit_rate_min": 0.5, "upload_speed_min_mbps": 3}
}`,
		);
		const strict = await runCli(['report', ...args]);
		expect(strict.code).toBe(0);
		expect(strict.stdout).toContain('cache hit rate 42 % < 50 %: raise cache_ttl.folders, now 1234 s');
		expect(strict.stdout).not.toContain('upload speed 4 MB/s <');

		writeFileSync(path.join(configDir, 'optimization.json'), '{"alerts": {"cache_hit_rate_min": 0.4, "upload_speed_min_mbps": 4.5}, "upload_optimization": {"parts_concurrency": 7}}');
		const lax = await runCli(['report', ...args]);
		expect(lax.stdout).not.toContain('cache hit rate 42 % <');
		expect(lax.stdout).toContain('mean upload speed 4 MB/s < 4.5 MB/s: raise upload_optimization.parts_concurrency, now 7');
	});

	it('--json prints the report object alone and writes no file; --json --write writes the .txt it names, and says where', async () => {
		const {logsDir, args} = dirs('report-json');
		writeRecentLogs(logsDir);
		const only = await runCli(['report', '--json', '--since', '30m', ...args]);
		expect(only.code).toBe(0);
		expect(JSON.parse(only.stdout).reportFile).toBeNull();
		expect(reportFiles(logsDir)).toHaveLength(0);
		expect(only.stderr).toBe('');
		const result = await runCli(['report', '--json', '--write', '--since', '30m', ...args]);
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout);
		expect(report.reportFile).toBe(path.join(logsDir, reportFiles(logsDir)[0]));
		expect(existsSync(report.reportFile)).toBe(true);
		expect(result.stderr).toBe(`Report written to ${report.reportFile}\n`);
		// --write without --json has nothing to add: said, exit 2.
		const alone = await runCli(['report', '--write', ...args]);
		expect(alone.code).toBe(2);
		expect(alone.stderr).toContain('--write goes with --json');
		expect(report.session.window.label).toBe('30m');
		expect(report.session.source).toMatchObject({kind: 'logs', malformed: 1});
		// 30 minutes: the calls at 40 and 30 minutes ago fall out (the one at 30 is at the edge, so allow both)
		expect([2, 3]).toContain(report.figures.api.total);
		expect(report.figures.cache).toEqual({hits: 21, misses: 29, hitRate: 0.42});
		expect(report.verdict).toBe('action_needed');
		expect(report.checks.find((check: {id: string}) => check.id === 'cache_hit_rate')).toMatchObject({status: 'breach', value: 0.42, threshold: 0.7});
	});

	it('empty logs: N/A everywhere, exit 0, a report all the same', async () => {
		const {logsDir, args} = dirs('report-empty');
		const result = await runCli(['report', ...args]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Latency mean:   N/A');
		expect(result.stdout).toContain('Hit rate:       N/A');
		expect(result.stdout).toContain('Memory peak:    N/A');
		expect(result.stdout).not.toMatch(/\b0 ms\b/);
		expect(result.stdout).toContain('not enough data');
		expect(reportFiles(logsDir)).toHaveLength(1);
	});

	it('--since 5x exits 2 with a clear message', async () => {
		const {args} = dirs('report-usage');
		const badSince = await runCli(['report', '--since', '5x', ...args]);
		expect(badSince.code).toBe(2);
		expect(badSince.stderr).toContain('--since "5x" is not a duration: use a number and a unit s, m, h or d');
	});

	it('other flag mistakes are usage errors (exit 2), found before anything runs', async () => {
		const {logsDir, stateDir, configDir} = dirs('report-usage-inproc');
		const base = {json: false, sandbox: false, probe: false, keepUpload: false, logsDir, stateDir, config: configDir};
		const usage = async (flags: Record<string, unknown>) => {
			try {
				await reportCommand.run({input: [], flags: {...base, ...flags}} as never, {} as Io);
			} catch (error) {
				expect(error).toBeInstanceOf(UsageError);
				expect((error as UsageError).exitCode).toBe(EXIT.usage);
				return (error as Error).message;
			}
			throw new Error('no usage error');
		};
		expect(await usage({upload: 'x.mov'})).toBe('--upload belongs to --probe');
		expect(await usage({duration: '3s'})).toBe('--duration belongs to --probe');
		expect(await usage({probe: true, since: '1h'})).toContain('use one of them');
		expect(await usage({probe: true, duration: '2h'})).toContain('too long for a probe');
		expect(await usage({probe: true, duration: '0s'})).toContain('is zero: give a duration longer than 0');
		expect(await usage({probe: true, folderId: 'f'})).toBe('--folder-id and --keep-upload need --upload FILE');
		expect(await usage({probe: true, upload: path.join(testDir('nofile'), 'none.mov')})).toContain('cannot read it (ENOENT)');
		expect(reportFiles(logsDir)).toHaveLength(0);
	});
});
