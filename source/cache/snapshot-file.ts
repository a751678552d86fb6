// File operations on the shared snapshot: read with the identity of what was read, lock, atomic write,
// setting a corrupt file aside.
import {existsSync} from 'node:fs';
import {mkdir, open, rename, stat} from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';

/** What identifies one version of the file. An atomic write is a rename, so a new version has a new inode. */
export type FileSignature = {ino: number; size: number; mtimeMs: number};

export function sameSignature(a: FileSignature | undefined, b: FileSignature | undefined): boolean {
	if (!a || !b) return a === b;
	return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export async function statSignature(file: string): Promise<FileSignature | undefined> {
	try {
		const info = await stat(file);
		return {ino: info.ino, size: info.size, mtimeMs: info.mtimeMs};
	} catch (error) {
		if (isMissing(error)) return undefined;
		throw error;
	}
}

/** Reads the file and the signature of exactly the version read (fstat on the same descriptor). */
export async function readSnapshotFile(file: string): Promise<{text: string; signature: FileSignature} | undefined> {
	let handle;
	try {
		handle = await open(file, 'r');
	} catch (error) {
		if (isMissing(error)) return undefined;
		throw error;
	}
	try {
		const info = await handle.stat();
		const text = await handle.readFile('utf8');
		return {text, signature: {ino: info.ino, size: info.size, mtimeMs: info.mtimeMs}};
	} finally {
		await handle.close();
	}
}

/** Temp file + fsync + rename: a reader sees the old version or the new one, never half of one. */
export async function writeSnapshotFile(file: string, text: string): Promise<FileSignature> {
	await mkdir(path.dirname(file), {recursive: true});
	// 0600: cached API records are the account's data, like the credentials next to them.
	await writeFileAtomic(file, text, {mode: 0o600});
	const signature = await statSignature(file);
	if (!signature) throw new Error(`cache snapshot vanished right after it was written: ${file}`);
	return signature;
}

export type LockSettings = {staleMs: number; retries: number; onCompromised: (error: Error) => void};

/**
 * Runs fn while holding `<file>.lock` (a directory, created atomically by mkdir). A holder that died is detected
 * by the lock's mtime, which a live holder refreshes: after staleMs the lock is taken over.
 */
export async function withSnapshotLock<T>(file: string, settings: LockSettings, fn: () => Promise<T>): Promise<T> {
	await mkdir(path.dirname(file), {recursive: true});
	const release = await lockfile.lock(file, {
		realpath: false,
		stale: settings.staleMs,
		update: Math.max(1000, Math.floor(settings.staleMs / 4)),
		retries: {retries: settings.retries, factor: 1.3, minTimeout: 15, maxTimeout: 300, randomize: true},
		onCompromised: settings.onCompromised,
	});
	try {
		return await fn();
	} finally {
		await release().catch(() => {
			// Already released or taken over as stale: nothing left to undo.
		});
	}
}

function stampForFile(at: Date): string {
	return at.toISOString().replace(/[-:]/g, '').replace('.', '');
}

/** Moves a corrupt snapshot to `<file>.corrupt-<UTC timestamp>` and returns where it went. */
export async function setAside(file: string, at: Date): Promise<string> {
	let target = `${file}.corrupt-${stampForFile(at)}`;
	for (let n = 1; existsSync(target); n++) target = `${file}.corrupt-${stampForFile(at)}-${n}`;
	await rename(file, target);
	return target;
}
