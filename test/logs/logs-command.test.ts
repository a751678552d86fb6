// `frameio-admin logs` as a user runs it: the built CLI in a real process, on log files this test writes.
import {spawn} from 'node:child_process';
import {renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';
import {textLine, writeLines} from '../report/log-lines.js';

const MIN = 60_000;
const pad = (n: number) => String(n).padStart(2, '0');
/** The seed's timestamp, in local time as the viewer prints it. */
const stamp = (at: number) => {
	const d = new Date(at);
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

function seeded() {
	const logsDir = testDir('logs-cmd');
	const now = Date.now();
	const at = {old: now - 3 * 60 * MIN, hit: now - 30 * MIN, retry: now - 20 * MIN, failed: now - 5 * MIN, done: now - 2 * MIN};
	writeLines(path.join(logsDir, 'frameio_admin.log.1'), [
		textLine(at.old, 'frameio.app', 'info', 'started long ago'),
		textLine(at.hit, 'frameio.structure', 'info', 'Cache hit: projects_123456'),
	]);
	writeLines(path.join(logsDir, 'frameio_admin.log'), [
		textLine(at.retry, 'frameio.api', 'warn', 'Retrying GET me after 503 (retry 1/3 in 900 ms)'),
		'this line is not json',
		textLine(at.failed, 'frameio.upload', 'error', 'upload failed: A.mov: part 2 failed'),
		textLine(at.done, 'frameio.upload', 'info', 'upload done: B.mov'),
	]);
	return {logsDir, at, args: ['--logs-dir', logsDir, '--state-dir', testDir('logs-cmd-state')]};
}

describe('frameio-admin logs', () => {
	it('prints every file oldest first in the seed human format; filters by level, logger, since and count', async () => {
		const {at, args} = seeded();
		const all = await runCli(['logs', ...args]);
		expect(all.code).toBe(0);
		expect(all.stdout.trimEnd().split('\n')).toEqual([
			`${stamp(at.old)} - frameio.app - INFO - started long ago`,
			`${stamp(at.hit)} - frameio.structure - INFO - Cache hit: projects_123456`,
			`${stamp(at.retry)} - frameio.api - WARNING - Retrying GET me after 503 (retry 1/3 in 900 ms)`,
			`${stamp(at.failed)} - frameio.upload - ERROR - upload failed: A.mov: part 2 failed`,
			`${stamp(at.done)} - frameio.upload - INFO - upload done: B.mov`,
		]);
		expect(all.stderr).toContain('1 malformed line skipped');

		const filtered = await runCli(['logs', '--level', 'warn', '--logger', 'frameio.upload', '--since', '1h', ...args]);
		expect(filtered.stdout.trimEnd().split('\n')).toEqual([`${stamp(at.failed)} - frameio.upload - ERROR - upload failed: A.mov: part 2 failed`]);

		const recent = await runCli(['logs', '--since', '25m', '-n', '2', '--json', ...args]);
		const lines = recent.stdout.trimEnd().split('\n').map(line => JSON.parse(line));
		expect(lines.map(line => line.msg)).toEqual(['upload failed: A.mov: part 2 failed', 'upload done: B.mov']);
	});

	it('a bad level or logger exits 2 and lists the valid values', async () => {
		const {args} = seeded();
		const level = await runCli(['logs', '--level', 'loud', ...args]);
		expect(level.code).toBe(2);
		expect(level.stderr).toContain('--level "loud" is not a level; use one of: debug, info, warn, warning, error, fatal, critical');
		const logger = await runCli(['logs', '--logger', 'frameio.nope', ...args]);
		expect(logger.code).toBe(2);
		expect(logger.stderr).toContain('frameio.api, frameio.cache, frameio.structure, frameio.upload, frameio.alerts, frameio.app');
	});

	it('-f prints the last lines, then lines appended after start, across a rotation, until SIGINT', async () => {
		const {logsDir, at, args} = seeded();
		const file = path.join(logsDir, 'frameio_admin.log');
		const child = spawn(process.execPath, [CLI, 'logs', '-f', '-n', '1', '--level', 'info', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		const exited = new Promise<number | null>(resolve => child.on('close', resolve));
		const waitFor = async (text: string) => {
			const deadline = Date.now() + 15_000;
			while (!stdout.includes(text)) {
				if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; got:\n${stdout}\n${stderr}`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		};
		try {
			await waitFor('upload done: B.mov');
			const later = Date.now();
			writeLines(file, [textLine(later, 'frameio.cache', 'info', 'appended after start'), textLine(later, 'frameio.cache', 'debug', 'below the level')]);
			await waitFor('appended after start');
			renameSync(file, `${file}.1`);
			writeFileSync(file, `${JSON.stringify(textLine(later, 'frameio.alerts', 'warn', 'after the rotation'))}\n`);
			await waitFor('after the rotation');
			child.kill('SIGINT');
			expect(await exited).toBe(0);
		} finally {
			child.kill('SIGKILL');
			writeFileSync(path.join(testDir('logs-follow-output'), 'output.txt'), `${stdout}\n--- stderr\n${stderr}`);
		}
		const lines = stdout.trimEnd().split('\n');
		expect(lines[0]).toBe(`${stamp(at.done)} - frameio.upload - INFO - upload done: B.mov`);
		expect(lines.slice(1).map(line => line.replace(/^.{19} /, ''))).toEqual([
			'- frameio.cache - INFO - appended after start',
			'- frameio.alerts - WARNING - after the rotation',
		]);
	});
});
