// Shared by the farm's process tests: the real CLI (dist/cli.js) as several nodes of one farm, each with its own state
// and logs dirs (as separate machines would have), against one sandbox with Frame.io's limits and one real
// redis-server.
import {readFileSync, existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Sandbox, SandboxStats} from '../../source/sandbox/index.js';
import {freshDirs, makeFile, sandboxEnv, sha256, spawnCli, testDir, type Dirs} from '../upload-commands/helpers.js';

export {makeFile, sha256, spawnCli, testDir, type Dirs};

/** A config dir: quick ordinary retries, no version stacking (its 10-a-minute class is not under test), the test's farm settings. */
export function farmConfigDir(extra: Record<string, unknown> = {}): string {
	const dir = testDir('farm-config');
	const farm = (extra.farm as Record<string, unknown> | undefined) ?? {};
	writeFileSync(
		path.join(dir, 'optimization.json'),
		JSON.stringify({
			error_handling: {max_retries: 2, retry_delay_base: 0.01, retry_delay_max: 0.05},
			uploads: {version_stacking: false},
			...extra,
			farm: {heartbeat_interval_seconds: 1, ...farm},
		}),
	);
	return dir;
}

/** One node's dirs: its own state and logs, the shared config. */
export function nodeDirs(config: string): Dirs {
	return freshDirs(config);
}

/** The environment of a node: the sandbox's API, the farm's Redis (or none), the node's name. */
export function nodeEnv(sandbox: Sandbox, node: string, redisUrl: string | null, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
	return sandboxEnv(sandbox, {FRAMEIO_NODE_NAME: node, FRAMEIO_REDIS_URL: redisUrl ?? undefined, FRAMEIO_DISCORD_WEBHOOK: undefined, ...extra});
}

/** GET /sandbox/stats over HTTP, as any outside observer would read it. */
export async function sandboxStats(sandbox: Sandbox): Promise<SandboxStats> {
	const response = await fetch(`${sandbox.url}/sandbox/stats`);
	if (!response.ok) throw new Error(`GET /sandbox/stats: ${response.status}`);
	return (await response.json()) as SandboxStats;
}

/** Files under `dir` named as the nomenclature maps them: UNDLM_SEQss_0000n_vvvv.mp4 → WIP_BYSHOT/SCss_SEQss/UNDLM_0000n. */
export function shotFile(dir: string, sequence: number, shot: number, version: string, size: number): {file: string; name: string; folder: string[]} {
	const seq = String(sequence).padStart(2, '0');
	const shotId = String(shot).padStart(5, '0');
	const name = `UNDLM_SEQ${seq}_${shotId}_${version}.mp4`;
	return {file: makeFile(dir, name, size), name, folder: ['WIP_BYSHOT', `SC${seq}_SEQ${seq}`, `UNDLM_${shotId}`]};
}

/** JSON lines of a node's frameio_admin.log. */
export function logLines(dirs: Dirs): Array<Record<string, unknown> & {msg: string; time: string}> {
	const file = path.join(dirs.logs, 'frameio_admin.log');
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(line => line.startsWith('{'))
		.map(line => JSON.parse(line) as Record<string, unknown> & {msg: string; time: string});
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, detail: () => string = () => ''): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms\n${detail()}`);
		await new Promise(resolve => setTimeout(resolve, 25));
	}
}
