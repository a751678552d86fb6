// `frameio-admin report --probe` as a user runs it: the built CLI probing the sandbox over loopback HTTP.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {startSandbox} from '../../source/sandbox/index.js';
import {spawn} from 'node:child_process';
import {CLI, runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {MiB} from './log-lines.js';
import {dirs, reportFiles} from './report-dirs.js';

describe('report --probe (against the sandbox over loopback)', () => {
	it('--sandbox: a short probe has non-zero, plausible figures and logs its calls', async () => {
		const {logsDir, args} = dirs('report-probe');
		const result = await runCli(['report', '--probe', '--sandbox', '--duration', '2s', '--json', '--write', ...args], {timeoutMs: 30_000});
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout);
		const {api, system, errors} = report.figures;
		expect(report.session.api.kind).toBe('sandbox');
		expect(report.session.source).toMatchObject({kind: 'probe', project: {name: 'UNDLM_DOCU'}, interrupted: false});
		expect(report.session.source.rounds).toBeGreaterThanOrEqual(1);
		expect(report.session.frameioUser.email).toContain('@');
		// setup (me, accounts, workspaces, projects) plus at least one round of me, projects, two folder listings
		expect(api.total).toBeGreaterThanOrEqual(6);
		// polite: at most 4 calls a second (+ the 4 setup calls and the page of a listing)
		expect(api.total).toBeLessThanOrEqual(4 * Math.ceil(report.figures.window.ms / 1000) + 8);
		expect(api.successRate).toBe(1);
		expect(api.latencyMs.mean).toBeGreaterThan(0);
		expect(api.latencyMs.max).toBeGreaterThanOrEqual(api.latencyMs.median);
		expect(system.rssBytes.peak).toBeGreaterThan(10 * MiB);
		expect(system.cpuPercent.mean).not.toBeNull();
		expect(errors.total).toBe(0);
		expect(report.figures.cache.hitRate).toBeNull();
		expect(existsSync(report.reportFile)).toBe(true);
		expect(result.stderr).toContain('Probing http://127.0.0.1:');

		const logged = readFileSync(path.join(logsDir, 'frameio_admin.log'), 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line));
		expect(logged.filter(line => line.event === 'api')).toHaveLength(api.total);
		expect(logged.some(line => line.event === 'system')).toBe(true);
	});

	it('FRAMEIO_API_URL + FRAMEIO_TOKEN: probe with a test upload; no token in the report, the logs or the output', async () => {
		const token = rememberSecret(`sbx_report_${Math.random().toString(36).slice(2)}_secret_token`);
		const sandbox = await startSandbox({token, partSize: 256 * 1024, transcodeDelayMs: 10});
		try {
			const {logsDir, stateDir, args} = dirs('report-probe-env');
			const file = path.join(testDir('report-upload'), 'UNDLM_SEQ01_00042_v002.mp4');
			writeFileSync(file, Buffer.alloc(700 * 1024, 7));
			const env = {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: token};
			const result = await runCli(['report', '--probe', '--duration', '1s', '--upload', file, '--json', '--write', ...args], {env, timeoutMs: 30_000});
			expect(result.stderr).not.toContain('frameio-admin:');
			expect(result.code).toBe(0);
			const report = JSON.parse(result.stdout);
			expect(report.session.api).toEqual({kind: 'custom', url: sandbox.url});
			expect(report.session.source.upload).toMatchObject({outcome: 'done', deleted: true, name: 'UNDLM_SEQ01_00042_v002.mp4'});
			expect(report.figures.uploads).toMatchObject({count: 1, done: 1, bytes: 700 * 1024});
			expect(report.figures.uploads.mbps.mean).toBeGreaterThan(0);
			// the test file was deleted again
			expect(sandbox.requests.some(request => request.method === 'DELETE' && request.path.endsWith(report.session.source.upload.fileId))).toBe(true);
			for (const written of [report.reportFile, path.join(logsDir, 'frameio_admin.log')]) expect(readFileSync(written, 'utf8')).not.toContain(token);
			expect(result.stdout + result.stderr).not.toContain(token);
			expect(readdirSync(stateDir)).not.toContain('uploads.json');

			// A refused token is an API failure: exit 1, nothing written
			const refused = rememberSecret(`sbx_refused_${Math.random().toString(36).slice(2)}_token`);
			const bad = await runCli(['report', '--probe', '--duration', '1s', ...args], {env: {...env, FRAMEIO_TOKEN: refused}, timeoutMs: 30_000});
			expect(bad.code).toBe(1);
			expect(bad.stderr).toContain('cannot probe the API');
			expect(bad.stderr).not.toContain(refused);
			expect(reportFiles(logsDir)).toHaveLength(1);
		} finally {
			await sandbox.close();
		}
	});

	it('Ctrl-C ends a probe early and still writes the report on what ran (exit 0)', async () => {
		const {logsDir, args} = dirs('report-probe-sigint');
		const child = spawn(process.execPath, [CLI, 'report', '--probe', '--sandbox', '--duration', '10m', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		const exited = new Promise<number | null>(resolve => child.on('close', resolve));
		try {
			const deadline = Date.now() + 20_000;
			while (!stderr.includes('Probing')) {
				if (Date.now() > deadline) throw new Error(`no probe started: ${stderr}`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
			await new Promise(resolve => setTimeout(resolve, 700));
			child.kill('SIGINT');
			expect(await exited).toBe(0);
		} finally {
			child.kill('SIGKILL');
			writeFileSync(path.join(testDir('report-sigint-output'), 'output.txt'), `${stdout}\n--- stderr\n${stderr}`);
		}
		expect(stdout).toContain('(interrupted)');
		expect(stdout).toMatch(/Total: +[1-9]\d* \(/);
		expect(reportFiles(logsDir)).toHaveLength(1);
	});
});
