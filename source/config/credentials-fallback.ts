// Where credentials go when the state dir cannot take them (full, read-only). IMS rotates the refresh token on every
// refresh and the old one dies at once: a rotated token that is not saved anywhere is a lost login. So a save that
// fails in the state dir is made on another filesystem, preferably RAM-backed and private to the user:
//   $XDG_RUNTIME_DIR/frameio-admin/<key>/credentials.json      (a tmpfs of the user's own, when the session has one)
//   <tmpdir>/frameio-admin-<uid>/<key>/credentials.json          (TMPDIR, else /tmp; what cron jobs have)
// <key> names the state dir (a hash of its path), so that two state dirs never share a fallback. The reader looks
// at every location and takes the newest login; the next save that reaches the state dir removes the fallbacks.
// /tmp is shared: a directory found there is used only when it is ours, a real directory, and closed to others
// (someone else could have created it first to read or plant credentials).
import {createHash} from 'node:crypto';
import {lstatSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ensurePrivateDir} from '../log/private-dir.js';

function stateDirKey(stateDir: string): string {
	return createHash('sha256').update(path.resolve(stateDir)).digest('hex').slice(0, 16);
}

/** The fallback directories for a state dir, in the order they are tried. */
export function fallbackCredentialDirs(stateDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
	const key = stateDirKey(stateDir);
	const uid = process.getuid?.() ?? 'user';
	const dirs: string[] = [];
	const runtime = env.XDG_RUNTIME_DIR?.trim();
	if (runtime && path.isAbsolute(runtime)) dirs.push(path.join(runtime, 'frameio-admin', key));
	dirs.push(path.join(env.TMPDIR?.trim() || os.tmpdir(), `frameio-admin-${uid}`, key));
	return dirs;
}

/** Why `dir` must not hold credentials (not ours, open to others, a link), or null when it may. */
export function untrustedReason(dir: string): string | null {
	let stats;
	try {
		stats = lstatSync(dir);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
	}
	if (stats.isSymbolicLink()) return `${dir} is a symbolic link`;
	if (!stats.isDirectory()) return `${dir} is not a directory`;
	const uid = process.getuid?.();
	if (uid !== undefined && stats.uid !== uid) return `${dir} belongs to another user (uid ${stats.uid})`;
	if ((stats.mode & 0o077) !== 0) return `${dir} is open to others (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')})`;
	return null;
}

/**
 * Creates the fallback dir (and its per-user parent) 0700 and checks both, since a parent in /tmp may have been
 * created by someone else. Throws when they cannot be used.
 */
export function prepareFallbackDir(dir: string): void {
	ensurePrivateDir(dir);
	for (const each of [path.dirname(dir), dir]) {
		const reason = untrustedReason(each);
		if (reason) throw new Error(`not used for credentials: ${reason}`);
	}
}

/** Whether credentials found in `dir` may be trusted (read without creating anything). */
export function isTrustedFallbackDir(dir: string): boolean {
	return untrustedReason(path.dirname(dir)) === null && untrustedReason(dir) === null;
}
