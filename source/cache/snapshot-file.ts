// File operations on the shared cache files: open if present, lock, atomic replacement written in pieces (so a
// 50 MB snapshot never sits in one string or blocks the loop while it is written), appends, setting a corrupt
// file aside. Every file is created 0600: cached API records are the account's data, like the credentials next
// to them.
import {existsSync} from 'node:fs';
import {open, readdir, rename, stat, unlink, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {lockFile} from '../config/file-lock.js';
import {ensurePrivateDirAsync} from '../log/private-dir.js';

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

/** The file opened for reading, or undefined when it does not exist. */
export async function openIfExists(file: string): Promise<FileHandle | undefined> {
	try {
		return await open(file, 'r');
	} catch (error) {
		if (isMissing(error)) return undefined;
		throw error;
	}
}

async function writeAll(handle: FileHandle, data: Buffer, position: number): Promise<void> {
	let done = 0;
	while (done < data.length) {
		const {bytesWritten} = await handle.write(data, done, data.length - done, position + done);
		done += bytesWritten;
	}
}

/**
 * Writes the pieces to `temp` (each awaited: the loop runs between them), fsyncs, and renames it over `file`: a
 * reader sees the old version or the new one, never half of one. Returns the size written.
 */
export async function replaceFile(file: string, temp: string, pieces: Iterable<string>): Promise<number> {
	await ensurePrivateDirAsync(path.dirname(file));
	const handle = await open(temp, 'w', 0o600);
	let size = 0;
	try {
		await handle.chmod(0o600);
		for (const piece of pieces) {
			const data = Buffer.from(piece, 'utf8');
			await writeAll(handle, data, size);
			size += data.length;
		}
		await handle.sync();
	} catch (error) {
		await handle.close().catch(() => {});
		await unlink(temp).catch(() => {});
		throw error;
	}
	await handle.close();
	await rename(temp, file);
	return size;
}

/** Writes `text` at `offset` of an existing file, first cutting off whatever lies past offset (a torn append). */
export async function writeAt(file: string, offset: number, text: string): Promise<number> {
	const handle = await open(file, 'r+');
	try {
		const {size} = await handle.stat();
		if (size < offset) throw new Error(`${file} is shorter (${size} B) than what was read of it (${offset} B)`);
		if (size > offset) await handle.truncate(offset);
		const data = Buffer.from(text, 'utf8');
		await writeAll(handle, data, offset);
		return offset + data.length;
	} finally {
		await handle.close();
	}
}

export type LockSettings = {staleMs: number; retries: number; onCompromised: (error: Error) => void};

/**
 * Runs fn while holding `<file>.lock` (a directory, created atomically by mkdir). A holder that died is detected
 * by the lock's mtime, which a live holder refreshes: after staleMs the lock is taken over.
 */
export async function withSnapshotLock<T>(file: string, settings: LockSettings, fn: () => Promise<T>): Promise<T> {
	await ensurePrivateDirAsync(path.dirname(file));
	const release = await lockFile(file, {
		staleMs: settings.staleMs,
		updateMs: Math.max(1000, Math.floor(settings.staleMs / 4)),
		retry: {retries: settings.retries, factor: 1.3, minTimeoutMs: 15, maxTimeoutMs: 300, randomize: true},
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

/** Moves a corrupt file to `<file>.corrupt-<UTC timestamp>` and returns where it went. */
export async function setAside(file: string, at: Date): Promise<string> {
	let target = `${file}.corrupt-${stampForFile(at)}`;
	for (let n = 1; existsSync(target); n++) target = `${file}.corrupt-${stampForFile(at)}-${n}`;
	await rename(file, target);
	return target;
}

/**
 * Removes `<file>.tmp-*` left by a writer that died while writing one. Call it under the lock: temp files are only
 * written while holding it, so any found then is a dead writer's. Returns the names removed.
 */
export async function removeStaleTemps(files: readonly string[]): Promise<string[]> {
	const removed: string[] = [];
	const byDir = new Map<string, string[]>();
	for (const file of files) byDir.set(path.dirname(file), [...(byDir.get(path.dirname(file)) ?? []), `${path.basename(file)}.tmp-`]);
	for (const [dir, prefixes] of byDir) {
		const names = await readdir(dir).catch(() => [] as string[]);
		for (const name of names) {
			if (!prefixes.some(prefix => name.startsWith(prefix))) continue;
			await unlink(path.join(dir, name)).catch(() => {});
			removed.push(name);
		}
	}
	return removed;
}
