import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {commands} from '../../source/commands/registry.js';
import {noTtyMessage, parseConsoleArgs, startConsole} from '../../source/ui/start-console.js';
import {runCli} from '../helpers/run-cli.js';
import {bundledSources} from '../helpers/bundled-sources.js';
import {testDir} from '../helpers/secret-scan.js';

function pipes(tty: {stdout: boolean; stdin: boolean}) {
	const stdout = Object.assign(new PassThrough(), {isTTY: tty.stdout});
	const stderr = new PassThrough();
	const stdin = Object.assign(new PassThrough(), {isTTY: tty.stdin});
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += chunk));
	stderr.on('data', chunk => (err += chunk));
	return {io: {stdout, stderr, stdin}, out: () => out, err: () => err};
}

describe('startConsole', () => {
	it('parses the console flags', () => {
		const args = parseConsoleArgs(['--sandbox', '--readonly', '--config', 'cfg', '--state-dir', 'st', '--logs-dir', 'lg'], {});
		expect(args).toEqual({sandbox: true, readonly: true, configDir: path.resolve('cfg'), stateDir: path.resolve('st'), logsDir: path.resolve('lg')});
		expect(parseConsoleArgs([], {})).toMatchObject({sandbox: false, readonly: false, configDir: path.resolve('config')});
	});

	it('parses --webhook-port and --webhook-host, and refuses a bad port or a host without a port (exit 2)', async () => {
		expect(parseConsoleArgs(['--webhook-port', '8765', '--webhook-host', '0.0.0.0'], {})).toMatchObject({webhookPort: 8765, webhookHost: '0.0.0.0'});
		expect(parseConsoleArgs([], {})).not.toHaveProperty('webhookPort');
		const cases: Array<[string[], string]> = [
			[['--webhook-port', 'http'], '--webhook-port must be a TCP port'],
			[['--webhook-port', '65536'], '--webhook-port must be a TCP port'],
			[['--webhook-host', '0.0.0.0'], '--webhook-host goes with --webhook-port'],
		];
		for (const [argv, message] of cases) {
			const {io, err} = pipes({stdout: true, stdin: true});
			expect(await startConsole(argv, io)).toBe(2);
			expect(err()).toContain(message);
		}
	});

	it('rejects an unknown flag with exit 2', async () => {
		const {io, err} = pipes({stdout: true, stdin: true});
		expect(await startConsole(['--bogus'], io)).toBe(2);
		expect(err()).toContain('unknown flag "--bogus"');
	});

	it.each([
		['stdout piped', {stdout: false, stdin: true}],
		['stdin piped', {stdout: true, stdin: false}],
	])('without a TTY (%s) says to use the subcommands and exits 2', async (_name, tty) => {
		const {io, out, err} = pipes(tty);
		expect(await startConsole([], io, Object.keys(commands))).toBe(2);
		expect(out()).toBe('');
		expect(err()).toBe(noTtyMessage(Object.keys(commands)));
		expect(err()).toContain('frameio-admin --help');
		for (const name of Object.keys(commands)) expect(err()).toContain(name);
	});

	it.skipIf(!existsSync('dist/cli.js'))('refuses before loading Ink or React', () => {
		const log = path.join(testDir('console-imports'), 'imports.log');
		const result = spawnSync(process.execPath, ['--import', path.resolve('test/ui/fixtures/record-imports.mjs'), 'dist/cli.js'], {
			env: {...process.env, IMPORT_LOG: log, FRAMEIO_TOKEN: undefined},
			input: '',
			encoding: 'utf8',
		});
		expect(result.status).toBe(2);
		const urls = readFileSync(log, 'utf8').split('\n');
		const sources = bundledSources(urls);
		expect(sources).toContain('source/ui/start-console.ts'); // the hook saw the console start
		expect(sources.filter(source => /node_modules\/(ink|react|react-reconciler|yoga-layout)\//.test(source))).toEqual([]);
		expect(urls.filter(url => /\/node_modules\/(ink|react|yoga-layout)\//.test(url))).toEqual([]);
	});

	it('the real binary, piped as under cron, exits 2 with that message', async () => {
		const result = await runCli(['--state-dir', testDir('console-state'), '--logs-dir', testDir('console-logs')]);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('the console needs an interactive terminal');
		expect(result.stderr).toContain('frameio-admin --help');
	});
});
