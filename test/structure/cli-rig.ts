// A standalone sandbox in the test process for CLI runs (FRAMEIO_API_URL + FRAMEIO_TOKEN, as a real installation
// would be set up), with fresh state, logs and config dirs per run.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {runCli, type CliResult} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

export type CliDirs = {state: string; logs: string; config: string};

/** Config for fast runs: no global ceiling worth the name, tiny retry delays; plus the test's own JSONC. */
export function cliDirs(optimization = ''): CliDirs {
	const config = testDir('cli-config');
	writeFileSync(
		path.join(config, 'optimization.json'),
		optimization ||
			`// tests: the sandbox reports its (scaled) limits; the global ceiling must not slow them down
{"rate_limiting": {"requests_per_second": 1000, "burst_size": 1000}, "error_handling": {"retry_delay_base": 0.01, "retry_delay_max": 0.05}}`,
	);
	return {state: testDir('cli-state'), logs: testDir('cli-logs'), config};
}

export function dirArgs(dirs: CliDirs): string[] {
	return ['--state-dir', dirs.state, '--logs-dir', dirs.logs, '--config', dirs.config];
}

export async function cliSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = await startSandbox({enforceRateLimits: false, rateLimitScale: 100, ...options});
	rememberSecret(sandbox.token);
	return sandbox;
}

/** The environment of an installation configured for the sandbox's demo project. */
export function sandboxEnv(sandbox: Sandbox, ids: {project?: boolean} = {project: true}): Record<string, string | undefined> {
	return {
		FRAMEIO_API_URL: sandbox.url,
		FRAMEIO_TOKEN: sandbox.token,
		FRAMEIO_ACCOUNT_ID: sandbox.ids.accountId,
		FRAMEIO_PROJECT_ID: ids.project ? sandbox.ids.projectId : undefined,
		FRAMEIO_WORKSPACE_ID: undefined,
		FRAMEIO_ROOT_FOLDER_ID: undefined,
		FRAMEIO_DISCORD_WEBHOOK: undefined,
	};
}

export function cli(args: string[], dirs: CliDirs, env: Record<string, string | undefined> = {}): Promise<CliResult> {
	return runCli([...args, ...dirArgs(dirs)], {env: {FRAMEIO_ACCOUNT_ID: undefined, FRAMEIO_PROJECT_ID: undefined, FRAMEIO_WORKSPACE_ID: undefined, FRAMEIO_ROOT_FOLDER_ID: undefined, ...env}, timeoutMs: 60_000});
}

/** Everything the run wrote to its logs dir. */
export function logsText(dirs: CliDirs): string {
	return readdirSync(dirs.logs)
		.map(name => readFileSync(path.join(dirs.logs, name), 'utf8'))
		.join('\n');
}
