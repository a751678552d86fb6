// In log/, the lowest service, because the logs are the first private files any process writes; config, cache,
// notify and the report use it too.
// The state dir holds the credentials, the cache (account data) and the upload queue; the logs dir holds e-mails,
// account and host names. Whoever creates one of them (any command, the console, a test) creates it through here:
// mode 0700, set explicitly so that no umask leaves it open. A directory that already exists keeps its mode: it may
// be one the user chose and shares on purpose (--state-dir /srv/frameio).
import {chmodSync, mkdirSync} from 'node:fs';
import {chmod, mkdir} from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;

/** The directories mkdir -p would create for `dir`, outermost first, given the first one it created. */
function createdChain(dir: string, first: string | undefined): string[] {
	if (first === undefined) return [];
	const target = path.resolve(dir);
	const top = path.resolve(first);
	const chain: string[] = [];
	for (let current = target; ; current = path.dirname(current)) {
		chain.unshift(current);
		if (current === top) return chain;
		// `first` not found above `dir` (it should always be): never walk up into directories we did not create.
		if (path.dirname(current) === current) return [target];
	}
}

/** Creates `dir` and any missing parent with mode 0700. */
export function ensurePrivateDir(dir: string): void {
	const first = mkdirSync(dir, {recursive: true, mode: PRIVATE_DIR_MODE});
	for (const created of createdChain(dir, first)) chmodSync(created, PRIVATE_DIR_MODE);
}

export async function ensurePrivateDirAsync(dir: string): Promise<void> {
	const first = await mkdir(dir, {recursive: true, mode: PRIVATE_DIR_MODE});
	for (const created of createdChain(dir, first)) await chmod(created, PRIVATE_DIR_MODE);
}
