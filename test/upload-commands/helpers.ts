// Shared set-up of the upload command tests: a standalone sandbox in the test process (so tests can inspect what
// landed), the real CLI against it over loopback (FRAMEIO_API_URL + FRAMEIO_TOKEN), and small files.
import {spawn, type ChildProcess} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {FolderChild, FrameioFile, VersionStack} from '../../source/frameio/types.js';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../source/sandbox/index.js';
import {CLI, runCli, type CliResult} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = await startSandbox({seed: 'empty', partSize: 64 * KiB, transcodeDelayMs: 20, ...options});
	rememberSecret(sandbox.token);
	return sandbox;
}

/** A config dir with quick retries, so that failure paths do not wait seconds of back-off. */
export function fastConfigDir(): string {
	const dir = testDir('upload-config');
	writeFileSync(
		path.join(dir, 'optimization.json'),
		JSON.stringify({error_handling: {max_retries: 2, retry_delay_base: 0.01, retry_delay_max: 0.05}}),
	);
	return dir;
}

/** Environment pointing the CLI at the sandbox's project. */
export function sandboxEnv(sandbox: Sandbox, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
	return {FRAMEIO_API_URL: sandbox.url, FRAMEIO_TOKEN: sandbox.token, FRAMEIO_PROJECT_ID: sandbox.ids.projectId, ...extra};
}

export type Dirs = {state: string; logs: string; config: string};

export function freshDirs(config = fastConfigDir()): Dirs {
	return {state: testDir('upload-state'), logs: testDir('upload-logs'), config};
}

export function dirFlags(dirs: Dirs): string[] {
	return ['--state-dir', dirs.state, '--logs-dir', dirs.logs, '--config', dirs.config];
}

export function cli(args: string[], dirs: Dirs, env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<CliResult> {
	return runCli([...args, ...dirFlags(dirs)], {env, timeoutMs});
}

/** The CLI as a child process the test controls (to kill it). */
export function spawnCli(args: string[], dirs: Dirs, env: Record<string, string | undefined>): {child: ChildProcess; output: () => string; exited: Promise<number | null>} {
	const child = spawn(process.execPath, [CLI, ...args, ...dirFlags(dirs)], {
		env: {...process.env, FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined, ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout!.on('data', chunk => (output += chunk));
	child.stderr!.on('data', chunk => (output += chunk));
	const exited = new Promise<number | null>(resolve => child.on('close', resolve));
	return {child, output: () => output, exited};
}

export function makeFile(dir: string, name: string, size: number): string {
	const file = path.join(dir, name);
	writeFileSync(file, randomBytes(size));
	return file;
}

export function sha256(file: string): string {
	return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The folder at `segments` below the sandbox project's root folder, or undefined. */
export function folderAt(sandbox: Sandbox, segments: string[]): string | undefined {
	let id: string | undefined = sandbox.ids.rootFolderId;
	for (const name of segments) {
		const matches: FolderChild[] = sandbox.store.children(id!).filter(child => child.type === 'folder' && child.name === name);
		if (matches.length !== 1) return undefined;
		id = matches[0].id;
	}
	return id;
}

/** How many folders named like each segment exist along the path (1 each when nothing was duplicated). */
export function folderCounts(sandbox: Sandbox, segments: string[]): number[] {
	const counts: number[] = [];
	let parent: string | undefined = sandbox.ids.rootFolderId;
	for (const name of segments) {
		if (!parent) {
			counts.push(0);
			continue;
		}
		counts.push(sandbox.store.folderCountByName(parent, name));
		parent = sandbox.store.children(parent).find(child => child.type === 'folder' && child.name === name)?.id;
	}
	return counts;
}

export function filesIn(sandbox: Sandbox, folderId: string): FrameioFile[] {
	return sandbox.store.children(folderId).filter((child): child is FrameioFile => child.type === 'file');
}

/** The version stacks directly in a folder, each with its files' names, oldest first (the last is the head). */
export function stacksIn(sandbox: Sandbox, folderId: string): Array<{id: string; names: string[]}> {
	return sandbox.store
		.children(folderId)
		.filter((child): child is VersionStack => child.type === 'version_stack')
		.map(stack => ({id: stack.id, names: sandbox.store.stackFiles(stack.id).map(file => file.name)}));
}

/** Every file of a folder, loose or in one of its version stacks. */
export function allFilesIn(sandbox: Sandbox, folderId: string): FrameioFile[] {
	return [...filesIn(sandbox, folderId), ...stacksIn(sandbox, folderId).flatMap(stack => sandbox.store.stackFiles(stack.id))];
}

/** The name of every file anywhere in the sandbox. */
export function allFileNames(sandbox: Sandbox): string[] {
	return sandbox.store.allFolders().flatMap(folder => filesIn(sandbox, folder.id).map(file => file.name));
}

/** NDJSON lines of stdout, parsed (throws on a line that is not JSON). */
export function ndjson(stdout: string): Array<Record<string, unknown> & {event: string}> {
	return stdout
		.split('\n')
		.filter(line => line.trim().length > 0)
		.map(line => JSON.parse(line) as Record<string, unknown> & {event: string});
}

export {testDir};
