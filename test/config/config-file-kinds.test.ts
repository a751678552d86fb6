// Hostile config files (issue 12): a FIFO or a link to /dev/zero used to block `validate` forever in a read even
// SIGTERM could not interrupt; a huge file ran out of memory; JSON nested 200 000 deep died with "Maximum call stack
// size exceeded" and no position; a UTF-8 BOM was a syntax error. Only regular files under a size limit are read,
// and every command that loads the config exits 2 with a clear message. FIFOs and devices are only ever tried
// through the built CLI, as a real process with a deadline: in this process a blocking read would hang the worker.
import {execFileSync} from 'node:child_process';
import {mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/index.js';
import {runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

function mkfifo(file: string): void {
	execFileSync('mkfifo', [file]);
}

function configDirWith(make: (file: string) => void, name = 'optimization.json'): string {
	const dir = testDir('hostile-config');
	make(path.join(dir, name));
	return dir;
}

function loadError(dir: string): ConfigError {
	try {
		loadConfig(dir);
	} catch (error) {
		if (error instanceof ConfigError) return error;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

const dirFlags = (config: string) => ['--config', config, '--state-dir', testDir('hostile-state'), '--logs-dir', testDir('hostile-logs')];

/** The CLI, timed; killed after 15 s, so a hang shows as a null exit code and a long time. */
async function timed(args: string[], env: Record<string, string | undefined> = {}) {
	const started = performance.now();
	const result = await runCli(args, {timeoutMs: 15_000, env});
	return {...result, ms: performance.now() - started};
}

describe('config files that are not plain, small, regular JSON', () => {
	it('reads a file that starts with a UTF-8 BOM', () => {
		const dir = configDirWith(file => writeFileSync(file, '\uFEFF{"cache_ttl": {"folders": 60}}\n'));
		expect(loadConfig(dir).optimization.cache_ttl.folders).toBe(60);
	});

	it('reads a symbolic link to a regular file', () => {
		const target = path.join(testDir('hostile-target'), 'real.json');
		writeFileSync(target, '{"cache_ttl": {"files": 42}}');
		const dir = configDirWith(file => symlinkSync(target, file));
		expect(loadConfig(dir).optimization.cache_ttl.files).toBe(42);
	});

	it('refuses a file over 1 MiB without parsing it, saying how large it is', () => {
		const dir = configDirWith(file => writeFileSync(file, `{"cache_ttl": {}, "padding": "${'x'.repeat(2 * 1024 * 1024)}"}`));
		const error = loadError(dir);
		expect(error.message).toMatch(/optimization\.json:1:1: too large \(2\.0 MiB\): a config file may be at most 1 MiB$/);
	});

	it('refuses JSON nested deeper than 64 levels at the bracket that goes too deep, without overflowing the stack', () => {
		const dir = configDirWith(file => writeFileSync(file, `{\n  "cache_ttl": ${'['.repeat(200_000)}${']'.repeat(200_000)}\n}`));
		const error = loadError(dir);
		// The opening brace is level 1; the 64th "[" (column 16 + 63) opens level 65.
		expect(error.message).toMatch(/optimization\.json:2:79: nested deeper than 64 levels$/);
	});

	it('refuses a directory where the file should be', () => {
		const dir = configDirWith(file => mkdirSync(file));
		expect(loadError(dir).message).toMatch(/optimization\.json:1:1: not a regular file but a directory$/);
	});
});

describe('every command that loads the config, on a hostile file (built CLI)', () => {
	it('validate: a FIFO is refused at once, exit 2, instead of blocking forever', async () => {
		const config = configDirWith(mkfifo);
		const result = await timed(['validate', '--sandbox', ...dirFlags(config)]);
		expect(result.code).toBe(2);
		expect(result.ms).toBeLessThan(5000);
		expect(result.stdout).toMatch(/^ {2}INVALID {2}optimization {2}.*optimization\.json:1:1: not a regular file but a FIFO \(named pipe\)$/m);
	});

	it('structure: a link to /dev/zero is refused at once, exit 2, naming the link target', async () => {
		const config = configDirWith(file => symlinkSync('/dev/zero', file), 'nomenclature.json');
		const result = await timed(['structure', '--sandbox', ...dirFlags(config)]);
		expect(result.code).toBe(2);
		expect(result.ms).toBeLessThan(5000);
		expect(result.stderr).toMatch(/^frameio-admin: .*nomenclature\.json:1:1: not a regular file but a character device \(a link to \/dev\/zero\)$/m);
	});

	it('health: a FIFO fails the configuration check and exits 2 within its deadline', async () => {
		const config = configDirWith(mkfifo, 'alerts.json');
		const result = await timed(['health', '--sandbox', ...dirFlags(config)]);
		expect(result.code).toBe(2);
		expect(result.ms).toBeLessThan(8000);
		expect(result.stdout).toMatch(/^FAIL {2}Configuration valid .*alerts\.json:1:1: not a regular file but a FIFO \(named pipe\)/m);
	});

	it('cache stats: JSON nested 200 000 deep is a position, exit 2, not a stack overflow', async () => {
		const config = configDirWith(file => writeFileSync(file, `${'['.repeat(200_000)}${']'.repeat(200_000)}`));
		const result = await timed(['cache', 'stats', ...dirFlags(config)]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^frameio-admin: .*optimization\.json:1:65: nested deeper than 64 levels$/m);
		expect(result.stderr).not.toContain('Maximum call stack');
	});

	it('validate: a 150 MB file is refused by its size, exit 2, without reading it', async () => {
		const config = configDirWith(file => writeFileSync(file, `{"x": "${'a'.repeat(150 * 1024 * 1024)}"}`));
		const result = await timed(['validate', '--sandbox', ...dirFlags(config)]);
		rmSync(config, {recursive: true});
		expect(result.code).toBe(2);
		expect(result.ms).toBeLessThan(5000);
		expect(result.stdout).toMatch(/optimization\.json:1:1: too large \(150\.0 MiB\): a config file may be at most 1 MiB$/m);
	});

	it('whoami: a credentials file that is a FIFO is refused at once, exit 2', async () => {
		const state = testDir('hostile-state');
		mkfifo(path.join(state, 'credentials.json'));
		const result = await timed(['whoami', '--state-dir', state, '--logs-dir', testDir('hostile-logs')], {FRAMEIO_API_URL: 'http://127.0.0.1:9', FRAMEIO_TOKEN: undefined});
		expect(result.code).toBe(2);
		expect(result.ms).toBeLessThan(5000);
		expect(result.stderr).toMatch(/credentials\.json is not a regular file but a FIFO \(named pipe\)/);
	});

	it('whoami: credentials.json with a BOM still reads', async () => {
		const state = testDir('hostile-state');
		const token = rememberSecret(`bom-token-${Math.random().toString(36).slice(2)}-abcdef`);
		const credentials = {kind: 'user', clientId: 'c', accessToken: token, expiresAt: Date.now() + 3_600_000, obtainedAt: Date.now(), imsUrl: 'http://127.0.0.1:9', scopes: []};
		writeFileSync(path.join(state, 'credentials.json'), `\uFEFF${JSON.stringify(credentials)}`, {mode: 0o600});
		const config = testDir('hostile-config');
		writeFileSync(path.join(config, 'optimization.json'), '{"error_handling": {"max_retries": 0}}');
		// The API is down: whoami gets as far as calling it, which means the file was read.
		const result = await timed(['whoami', ...dirFlags(config).slice(0, 2), '--state-dir', state, '--logs-dir', testDir('hostile-logs')], {FRAMEIO_API_URL: 'http://127.0.0.1:9'});
		// The file holds a token: it must not outlive the test (the end-of-run scan looks for it everywhere).
		rmSync(state, {recursive: true});
		expect(result.stderr).not.toMatch(/not valid JSON/);
		expect(result.stderr).toMatch(/127\.0\.0\.1:9/);
	});
});
