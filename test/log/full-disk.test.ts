// A full logs disk (issue 12): with 16 KB free an upload died with an uncaught SonicBoom ENOSPC stack trace and
// files were reported failed with "ENOSPC"; with 0 KB free `structure` never ended. Logging failures now cost one
// warning on stderr per log file, the work goes on, and logging starts again once there is room. A real full disk:
// a tmpfs filled with one file.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ADMIN_LOG, createLogging, ERRORS_LOG} from '../../source/log/logger.js';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';
import {mountTmpfs, tmpfsAvailable, tmpfsNote, type Tmpfs} from '../helpers/tmpfs.js';
import {makeFile} from '../upload-commands/helpers.js';

let disk: Tmpfs | undefined;
afterEach(() => {
	disk?.unmount();
	disk = undefined;
});

/** The JSON lines of a log; a line the full disk cut short may stand alone on its line, and only one. */
function jsonLines(file: string): Array<{msg: string; level: string}> {
	const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
	const parsed = lines.flatMap(line => {
		try {
			return [JSON.parse(line) as {msg: string; level: string}];
		} catch {
			return [];
		}
	});
	expect(lines.length - parsed.length).toBeLessThanOrEqual(1);
	return parsed;
}

describe('logging on a full disk', () => {
	it.skipIf(!tmpfsAvailable)(`never throws, warns once per file, and writes again (saying what it dropped) once there is room${tmpfsNote}`, () => {
		disk = mountTmpfs('logs-full', '64k');
		const warnings: string[] = [];
		let now = 1_000_000;
		const logging = createLogging({logsDir: disk.dir, onWriteError: message => warnings.push(message), retryMs: 10_000, now: () => now});
		const log = logging.get('frameio.upload');
		log.info('before the disk filled');
		disk.fill();
		for (let i = 0; i < 50; i++) {
			expect(() => log.warn(`line ${i} ${'x'.repeat(200)}`)).not.toThrow();
		}
		expect(warnings).toHaveLength(2);
		warnings.sort();
		expect(warnings[0]).toMatch(/^logs: cannot write .*frameio_admin\.log: ENOSPC \(no space left on device\); going on without it$/);
		expect(warnings[1]).toMatch(/^logs: cannot write .*frameio_errors\.log: ENOSPC \(no space left on device\); going on without it$/);

		disk.free();
		log.warn('still within the retry interval: dropped');
		now += 10_000;
		log.warn('after the disk was freed');
		logging.close();
		expect(warnings).toHaveLength(2);

		const admin = jsonLines(path.join(disk.dir, ADMIN_LOG));
		expect(admin[0]!.msg).toBe('before the disk filled');
		expect(admin.at(-2)!.msg).toMatch(/^logs: \d+ lines dropped since .*: ENOSPC \(no space left on device\)$/);
		expect(admin.at(-1)!.msg).toBe('after the disk was freed');
		// The errors log had no page of its own on the full disk: all 50 lines and the one in the retry interval.
		const errors = jsonLines(path.join(disk.dir, ERRORS_LOG));
		expect(errors.at(-2)!.msg).toMatch(/^logs: 51 lines dropped since /);
		expect(errors.at(-1)!.msg).toBe('after the disk was freed');
	});
});

describe('commands with a full logs disk (built CLI)', () => {
	it.skipIf(!tmpfsAvailable)(`structure --sandbox with 0 KB free: the tree, exit 0, one warning for the log file it writes${tmpfsNote}`, async () => {
		disk = mountTmpfs('logs-full', '64k');
		disk.fill();
		const started = performance.now();
		const result = await runCli(['structure', '--sandbox', '--state-dir', testDir('full-state'), '--logs-dir', disk.dir], {timeoutMs: 20_000});
		expect(result.code, result.stderr).toBe(0);
		expect(performance.now() - started).toBeLessThan(10_000);
		expect(result.stdout).toContain('UNDLM_DOCU');
		// structure logs at info only: the errors log is never written, so never found full.
		const warnings = result.stderr.split('\n').filter(line => line.startsWith('logs: '));
		expect(warnings).toEqual([expect.stringMatching(/^logs: cannot write .*frameio_admin\.log: ENOSPC \(no space left on device\); going on without it$/)]);
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	it.skipIf(!tmpfsAvailable)(`upload --sandbox with 4 KB free: every file done, exit 0, no stack trace${tmpfsNote}`, async () => {
		disk = mountTmpfs('logs-full', '64k');
		disk.fill(4096);
		const files = testDir('full-files');
		const names = ['UNDLM_SEQ01_00042_v001.mp4', 'UNDLM_SEQ01_00043_v001.mp4', 'UNDLM_SEQ02_00007_v003.mov'];
		const args = names.map(name => makeFile(files, name, 10_000));
		const result = await runCli(['upload', '--sandbox', ...args, '--state-dir', testDir('full-state'), '--logs-dir', disk.dir], {timeoutMs: 30_000});
		expect(result.code, result.stderr).toBe(0);
		for (const name of names) expect(result.stdout).toMatch(new RegExp(`^done +${name.replace('.', '\\.')}`, 'm'));
		expect(result.stdout).not.toContain('ENOSPC');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(result.stderr.split('\n').filter(line => line.startsWith('logs: ')).length).toBeLessThanOrEqual(2);
	});
});
