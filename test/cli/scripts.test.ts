// The subcommands as scripts expect them: "did you mean" in one wording for commands, flags and the console's
// flags; --quiet and --verbose on every command; colour on a terminal only (not piped, not with NO_COLOR); a zero
// interval refused with the reason.
import {existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {commands} from '../../source/commands/registry.js';
import {closest} from '../../source/format/suggest.js';
import {PtySession} from '../e2e/pty-harness.js';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';

const built = existsSync('dist/cli.js');
const dirs = () => ['--state-dir', testDir('state'), '--logs-dir', testDir('logs')];
const ONE_WORDING = /^frameio-admin: unknown (command|flag|cache command) "[^"]+": did you mean "[^"]+"\?$/m;

let session: PtySession | null = null;
afterEach(() => {
	session?.dispose();
	session = null;
});

describe('did you mean', () => {
	it('finds the nearest word, or none', () => {
		expect(closest('helth', Object.keys(commands))).toBe('health');
		expect(closest('strucutre', Object.keys(commands))).toBe('structure');
		expect(closest('--patern', ['--pattern', '--expired', '--dry-run'])).toBe('--pattern');
		expect(closest('frobnicate', Object.keys(commands))).toBeNull();
	});

	it.skipIf(!built)('says it the same way for a command, a flag, a cache command and a console flag, exit 2', async () => {
		const [command, flag, sub, consoleFlag] = await Promise.all([
			runCli(['helth', ...dirs()]),
			runCli(['cache', 'clear', '--patern', 'x', ...dirs()]),
			runCli(['cache', 'stat', ...dirs()]),
			runCli(['--sandox']),
		]);
		expect(command.stderr).toContain('frameio-admin: unknown command "helth": did you mean "health"?');
		expect(flag.stderr).toContain('frameio-admin: unknown flag "--patern": did you mean "--pattern"?');
		expect(flag.stderr).toContain('frameio-admin cache --help');
		expect(sub.stderr).toContain('frameio-admin: unknown cache command "stat": did you mean "stats"?');
		expect(consoleFlag.stderr).toContain('frameio-admin: unknown flag "--sandox": did you mean "--sandbox"?');
		for (const result of [command, flag, sub, consoleFlag]) {
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(ONE_WORDING);
		}
	});
});

describe.skipIf(!built)('--quiet and --verbose', () => {
	it('every command knows both (given together, each says they ask for opposite things, not "unknown flag")', async () => {
		const results = await Promise.all(Object.keys(commands).map(name => runCli([name, '--quiet', '--verbose', ...dirs()])));
		for (const [index, result] of results.entries()) {
			expect(result.code, Object.keys(commands)[index]).toBe(2);
			expect(result.stderr, Object.keys(commands)[index]).toContain('--quiet and --verbose ask for opposite things');
		}
	});

	it('--quiet leaves out notes; health --quiet shows only what does not pass', async () => {
		const logs = testDir('quiet-logs');
		const [noisy, quiet] = await Promise.all([runCli(['logs', '--logs-dir', logs]), runCli(['logs', '-q', '--logs-dir', logs])]);
		expect(noisy.stderr).toContain('no log lines yet');
		expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
		const [full, problems] = await Promise.all([runCli(['health', '--sandbox', ...dirs()]), runCli(['health', '--sandbox', '--quiet', ...dirs()])]);
		expect(full.stdout).toMatch(/^PASS /m);
		expect(problems.stdout).not.toMatch(/^PASS /m);
		// The sandbox's alert channel is off: a warning, still shown; the summary counts every check.
		expect(problems.stdout).toMatch(/^WARN +Alert channel/m);
		expect(problems.stdout).toMatch(/\d+ checks: \d+ pass, 1 warn, 0 fail/);
		expect(problems.code).toBe(full.code);
	}, 60_000);

	it('--verbose prints the log lines on stderr, in the human form, as they are written', async () => {
		const result = await runCli(['structure', '--sandbox', '--depth', '0', '--verbose', ...dirs()], {timeoutMs: 30_000});
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - frameio\.api - INFO - GET /m);
		const plain = await runCli(['structure', '--sandbox', '--depth', '0', ...dirs()], {timeoutMs: 30_000});
		expect(plain.stderr).not.toMatch(/ - frameio\.api - INFO - /);
	}, 60_000);
});

describe.skipIf(!built)('colour', () => {
	it('colours the status words on a terminal, not when piped, not with NO_COLOR', async () => {
		const args = ['health', '--sandbox', ...dirs()];
		session = PtySession.cli(args, {env: {NO_COLOR: undefined, FRAMEIO_TOKEN: undefined}});
		await session.waitForExit(60_000);
		expect(session.raw).toContain('\u001B[32mPASS\u001B[39m');
		expect(session.raw).toContain('\u001B[33mWARN\u001B[39m');
		session.dispose();
		session = PtySession.cli(args, {env: {NO_COLOR: '1', FRAMEIO_TOKEN: undefined}});
		await session.waitForExit(60_000);
		expect(session.text()).toContain('PASS');
		expect(session.raw).not.toMatch(/\u001B\[3[1-3]m/);
		const piped = await runCli(args);
		expect(piped.stdout).toContain('PASS');
		expect(piped.stdout).not.toContain('\u001B[');
	}, 120_000);
});

describe.skipIf(!built)('zero intervals', () => {
	it('watch --interval 0s is refused with the reason, exit 2', async () => {
		const dir = testDir('watch-zero');
		mkdirSync(path.join(dir, 'renders'));
		const result = await runCli(['watch', path.join(dir, 'renders'), '--interval', '0s', '--sandbox', ...dirs()]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--interval 0s: DIR would be scanned again and again without a pause');
		const upload = await runCli(['upload', path.join(dir, 'renders'), '--stats-interval', '0s', '--sandbox', ...dirs()]);
		expect(upload.code).toBe(2);
		expect(upload.stderr).toContain('--stats-interval "0s" is zero: give a duration longer than 0');
	});
});
