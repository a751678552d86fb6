import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {testDir} from './secret-scan.js';

export const CLI = path.resolve('dist/cli.js');

export type CliResult = {code: number | null; stdout: string; stderr: string};

/**
 * Runs the built CLI (`npm test` builds dist/ first) as a real process. Its output is also saved under the
 * test root, so that the end-of-run secret scan covers command output too.
 */
export async function runCli(
	args: string[],
	options: {env?: Record<string, string | undefined>; input?: string; cwd?: string; timeoutMs?: number} = {},
): Promise<CliResult> {
	const child = spawn(process.execPath, [CLI, ...args], {
		cwd: options.cwd ?? process.cwd(),
		env: {...process.env, FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined, ...options.env},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => (stdout += chunk));
	child.stderr.on('data', chunk => (stderr += chunk));
	child.stdin.end(options.input ?? '');
	const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	clearTimeout(timer);
	const outDir = testDir('cli-output');
	writeFileSync(path.join(outDir, 'command.txt'), `${args.join(' ')}\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
	return {code, stdout, stderr};
}
