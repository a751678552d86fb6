import {spawn} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {CLI, runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';

// The sandbox's own token is printed on purpose (it is not a user secret), so these tests do not
// register it with rememberSecret.

function startCli(args: string[]) {
	const dir = testDir('sandbox-cli');
	const child = spawn(process.execPath, [CLI, 'sandbox', ...args, '--state-dir', dir, '--logs-dir', dir], {
		env: {...process.env, FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => (stdout += chunk));
	child.stderr.on('data', chunk => (stderr += chunk));
	const exited = new Promise<number | null>(resolve => child.on('close', resolve));
	const ready = async (marker: string) => {
		const until = Date.now() + 20_000;
		while (!stdout.includes(marker)) {
			if (Date.now() > until || child.exitCode !== null) throw new Error(`sandbox did not start: ${stderr}`);
			await new Promise(resolve => setTimeout(resolve, 25));
		}
		return stdout;
	};
	return {child, exited, ready, output: () => ({stdout, stderr})};
}

describe('frameio-admin sandbox', () => {
	it('--json prints url, token and ids; the API answers; SIGTERM stops it with exit 0', async () => {
		const run = startCli(['--json', '--token', 'cli-sandbox-token-1', '--seed', 'empty']);
		try {
			const line = (await run.ready('\n')).split('\n')[0];
			const info = JSON.parse(line);
			expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(info.token).toBe('cli-sandbox-token-1');
			expect(info.export).toBe(
				`export FRAMEIO_API_URL=${info.url} FRAMEIO_IMS_URL=${info.imsUrl} FRAMEIO_TOKEN=cli-sandbox-token-1 FRAMEIO_ACCOUNT_ID=${info.ids.accountId} FRAMEIO_PROJECT_ID=${info.ids.projectId}`,
			);
			const me = await fetch(`${info.url}/v4/me`, {headers: {authorization: 'Bearer cli-sandbox-token-1'}});
			expect(me.status).toBe(200);
			expect((await me.json()).data.id).toBe(info.ids.userId);
		} finally {
			run.child.kill('SIGTERM');
		}
		expect(await run.exited).toBe(0);
	});

	it('prints a readable banner with the export line, and SIGINT stops it', async () => {
		const run = startCli(['--faults', 'flaky', '--latency', '5']);
		try {
			const text = await run.ready('Ctrl-C');
			expect(text).toContain('Frame.io v4 sandbox running (seed demo, faults flaky, +5 ms, rate limits on)');
			expect(text).toMatch(/export FRAMEIO_API_URL=http:\/\/127\.0\.0\.1:\d+ FRAMEIO_IMS_URL=\S+ FRAMEIO_TOKEN=\S+/);
			expect(text).toContain("not a Frame.io credential");
		} finally {
			run.child.kill('SIGINT');
		}
		expect(await run.exited).toBe(0);
	});

	it('exits 2 with a message on bad flag values', async () => {
		const dir = testDir('sandbox-cli-bad');
		const common = ['--state-dir', dir, '--logs-dir', dir];
		const cases: Array<[string[], RegExp]> = [
			[['--port', '70000'], /--port must be an integer/],
			[['--faults', 'chaos'], /--faults must be one of none\|flaky\|storm\|slow\|soak/],
			[['--seed', 'full'], /--seed must be demo or empty/],
			[['--latency', 'abc'], /--latency must be an integer/],
		];
		const results = await Promise.all(cases.map(([args]) => runCli(['sandbox', ...args, ...common])));
		results.forEach((result, index) => {
			const [args, message] = cases[index];
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr, args.join(' ')).toMatch(message);
		});
	});
});
