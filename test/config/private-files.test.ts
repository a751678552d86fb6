// Who can read what we write (issue 12): the state dir (credentials, cache, upload queue) is created 0700 by every
// command, not only by `login`; logs, alerts.log and reports (e-mails, account and host names) are 0600 whatever the
// umask; a credentials file others can read is fixed with a warning, or refused when it cannot be fixed, and
// `health` says so. Commands run as real processes under `umask 000`, the worst case.
import {spawn} from 'node:child_process';
import {chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ensurePrivateDir} from '../../source/log/private-dir.js';
import {createLogging} from '../../source/log/logger.js';
import {createAlertsLog} from '../../source/notify/alerts-log.js';
import {writeReportFile} from '../../source/metrics/report/write-report.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {CLI, type CliResult} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {mountTmpfs, tmpfsAvailable, tmpfsNote} from '../helpers/tmpfs.js';

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8).padStart(4, '0');

/** The built CLI under `umask 000`, so that only the modes the code sets explicitly can keep files private. */
function cliUmask0(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
	const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$@"', 'sh', process.execPath, CLI, ...args], {
		env: {...process.env, FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined, ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => (stdout += chunk));
	child.stderr.on('data', chunk => (stderr += chunk));
	const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
	return new Promise(resolve =>
		child.on('close', code => {
			clearTimeout(timer);
			writeFileSync(path.join(testDir('cli-output'), 'command.txt'), `${args.join(' ')}\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
			resolve({code, stdout, stderr});
		}),
	);
}

/** A config with quick failures: no retries, a short health deadline. */
function fastConfig(): string {
	const dir = testDir('private-config');
	writeFileSync(path.join(dir, 'optimization.json'), '{"error_handling": {"max_retries": 0, "request_timeout_seconds": 2}, "monitoring": {"health_timeout_seconds": 3}}');
	return dir;
}

function makeVideo(dir: string, name: string): string {
	const file = path.join(dir, name);
	writeFileSync(file, Buffer.alloc(8192, 7));
	return file;
}

describe('the state dir and the logs, created by any command', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false});
		rememberSecret(sandbox.token);
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it.each([
		['structure --sandbox', ['structure', '--sandbox']],
		['health --sandbox', ['health', '--sandbox']],
		['upload --sandbox', ['upload', '--sandbox', 'FILES']],
	])('%s: the state dir and sandbox/ are 0700, the log files 0600', async (_name, args) => {
		const root = testDir('private');
		const state = path.join(root, 'state', 'nested');
		const logs = path.join(root, 'logs');
		const files = testDir('private-files');
		const argv = args.flatMap(arg => (arg === 'FILES' ? [makeVideo(files, 'UNDLM_SEQ01_00042_v001.mp4'), makeVideo(files, 'UNDLM_SEQ01_00043_v001.mp4')] : [arg]));
		const result = await cliUmask0([...argv, '--state-dir', state, '--logs-dir', logs, '--config', fastConfig()]);
		expect(result.code, result.stderr).toBe(0);
		expect(modeOf(path.join(root, 'state'))).toBe('0700');
		expect(modeOf(state)).toBe('0700');
		expect(modeOf(path.join(state, 'sandbox'))).toBe('0700');
		expect(modeOf(logs)).toBe('0700');
		for (const name of readdirSync(logs)) expect([name, modeOf(path.join(logs, name))]).toEqual([name, '0600']);
		expect(readdirSync(logs)).toContain('frameio_admin.log');
	});

	it('upload against an API host (not the sandbox profile): the state dir is 0700 before the queue is written', async () => {
		const root = testDir('private');
		const state = path.join(root, 'state');
		const files = testDir('private-files');
		const env = {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: sandbox.token, FRAMEIO_PROJECT_ID: sandbox.ids.projectId};
		const result = await cliUmask0(['upload', makeVideo(files, 'UNDLM_SEQ02_00007_v001.mp4'), '--state-dir', state, '--logs-dir', path.join(root, 'logs'), '--config', fastConfig()], env);
		expect(result.code, result.stderr).toBe(0);
		expect(modeOf(state)).toBe('0700');
	});

	it('report: the report file is 0600', async () => {
		const logs = testDir('private-logs');
		const result = await cliUmask0(['report', '--state-dir', testDir('private-state'), '--logs-dir', logs, '--config', fastConfig()]);
		expect(result.code, result.stderr).toBe(0);
		const report = readdirSync(logs).find(name => name.startsWith('frameio_optimization_report_'));
		expect(report).toBeDefined();
		expect(modeOf(path.join(logs, report!))).toBe('0600');
	});
});

describe('log, alert and report files, in this process under umask 000', () => {
	function withUmask0<T>(fn: () => T): T {
		const saved = process.umask(0);
		try {
			return fn();
		} finally {
			process.umask(saved);
		}
	}

	it('ensurePrivateDir makes what it creates 0700 and leaves existing directories alone, through a symbolic link too', () => {
		const root = testDir('private-dirs');
		const shared = path.join(root, 'shared');
		mkdirSync(shared, {mode: 0o755});
		chmodSync(shared, 0o755);
		symlinkSync(shared, path.join(root, 'link'));
		withUmask0(() => ensurePrivateDir(path.join(root, 'link', 'a', 'b')));
		expect([modeOf(shared), modeOf(path.join(shared, 'a')), modeOf(path.join(shared, 'a', 'b'))]).toEqual(['0755', '0700', '0700']);
		withUmask0(() => ensurePrivateDir(shared));
		expect(modeOf(shared)).toBe('0755');
	});

	it('log files are created 0600, and an existing 0644 one is tightened', () => {
		const dir = testDir('private-logs');
		writeFileSync(path.join(dir, 'frameio_errors.log'), '', {mode: 0o644});
		chmodSync(path.join(dir, 'frameio_errors.log'), 0o644);
		withUmask0(() => {
			const logging = createLogging({logsDir: dir, maxBytes: 300, keep: 2});
			for (let i = 0; i < 10; i++) logging.get('frameio.app').warn(`line ${i} for rotation`);
			logging.close();
		});
		const names = readdirSync(dir).sort();
		expect(names).toEqual(expect.arrayContaining(['frameio_admin.log', 'frameio_admin.log.1', 'frameio_errors.log', 'frameio_errors.log.1']));
		for (const name of names) expect([name, modeOf(path.join(dir, name))]).toEqual([name, '0600']);
	});

	it('alerts.log and reports are created 0600', () => {
		const dir = testDir('private-logs');
		withUmask0(() => {
			const logging = createLogging({logsDir: dir});
			const alerts = createAlertsLog({logsDir: dir, fileName: 'alerts.log', logger: logging.get('frameio.alerts')});
			alerts.write({rule: 'memory', state: 'firing', level: 'warning', at: Date.now(), value: 1, threshold: 0, windowSeconds: 60, message: 'm', display: {summary: 's'}} as never);
			writeReportFile(dir, new Date(), 'report');
			logging.close();
		});
		for (const name of readdirSync(dir)) expect([name, modeOf(path.join(dir, name))]).toEqual([name, '0600']);
	});
});

describe('a credentials file others can read', () => {
	function storeCredentials(state: string, mode: number): string {
		const token = rememberSecret(`private-token-${Math.random().toString(36).slice(2)}-0123456789`);
		const file = path.join(state, 'credentials.json');
		const credentials = {kind: 'user', clientId: 'c', accessToken: token, expiresAt: Date.now() + 3_600_000, obtainedAt: Date.now(), imsUrl: 'http://127.0.0.1:9', scopes: []};
		writeFileSync(file, JSON.stringify(credentials));
		chmodSync(file, mode);
		return file;
	}

	it('is set to 0600 with a warning on stderr and in the log, and health warns about it', async () => {
		const state = testDir('private-state');
		const logs = testDir('private-logs');
		const file = storeCredentials(state, 0o644);
		try {
			const result = await cliUmask0(['health', '--json', '--state-dir', state, '--logs-dir', logs, '--config', fastConfig()], {FRAMEIO_API_URL: 'http://127.0.0.1:9'});
			expect(modeOf(file)).toBe('0600');
			expect(result.stderr).toContain(`frameio-admin: warning: ${file} was readable by others (mode 0644): set it to 0600`);
			const report = JSON.parse(result.stdout) as {checks: Array<{id: string; status: string; reason: string}>};
			const check = report.checks.find(each => each.id === 'credentials')!;
			expect(check.status).toBe('warn');
			expect(check.reason).toContain('was readable by others (mode 0644)');
			expect(readFileSync(path.join(logs, 'frameio_admin.log'), 'utf8')).toContain('was readable by others (mode 0644)');
		} finally {
			rmSync(state, {recursive: true, force: true});
		}
	});

	it.skipIf(!tmpfsAvailable)(`is refused when it cannot be fixed (read-only): commands exit 2, health fails naming the file and its mode${tmpfsNote}`, async () => {
		const disk = mountTmpfs('private-ro');
		try {
			const file = storeCredentials(disk.dir, 0o644);
			disk.readOnly();
			const logs = testDir('private-logs');
			const whoami = await cliUmask0(['whoami', '--state-dir', disk.dir, '--logs-dir', logs, '--config', fastConfig()], {FRAMEIO_API_URL: 'http://127.0.0.1:9'});
			expect(whoami.code).toBe(2);
			expect(whoami.stderr).toMatch(/credentials\.json is readable by others \(mode 0644\) and cannot be made private \(EROFS\)/);

			const health = await cliUmask0(['health', '--json', '--state-dir', disk.dir, '--logs-dir', logs, '--config', fastConfig()], {FRAMEIO_API_URL: 'http://127.0.0.1:9'});
			expect(health.code).toBe(1);
			const report = JSON.parse(health.stdout) as {checks: Array<{id: string; status: string; reason: string}>};
			const check = report.checks.find(each => each.id === 'credentials')!;
			expect(check.status).toBe('fail');
			expect(check.reason).toContain(`${file} is readable by others (mode 0644)`);
			expect(modeOf(file)).toBe('0644');
		} finally {
			disk.readWrite();
			rmSync(path.join(disk.dir, 'credentials.json'), {force: true});
			disk.unmount();
		}
	});
});
