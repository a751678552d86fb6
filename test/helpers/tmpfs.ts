// A real small filesystem for disk-fault tests (a full disk, a read-only one): a tmpfs mounted under the test root.
// Needs root and mount(8); tests use `it.skipIf(!tmpfsAvailable)` and name the reason, so a run without them says
// what it did not test.
import {execFileSync} from 'node:child_process';
import {mkdirSync, rmSync, statSync, truncateSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {testDir} from './secret-scan.js';

function probe(): string | null {
	if (process.platform !== 'linux') return `not Linux (${process.platform})`;
	if (process.getuid?.() !== 0) return 'not root';
	const dir = testDir('tmpfs-probe');
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], {stdio: 'pipe'});
		execFileSync('umount', [dir], {stdio: 'pipe'});
		return null;
	} catch (error) {
		return `mount -t tmpfs failed: ${((error as {stderr?: Buffer}).stderr ?? '').toString().trim() || (error as Error).message}`;
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

/** Why tmpfs tests cannot run here, or null when they can. */
export const tmpfsUnavailable = probe();
export const tmpfsAvailable = tmpfsUnavailable === null;
/** For test names: "(skipped: not root)" when they cannot run. */
export const tmpfsNote = tmpfsUnavailable ? ` (skipped: ${tmpfsUnavailable})` : '';
if (tmpfsUnavailable) console.warn(`disk-fault tests skipped: ${tmpfsUnavailable}`);

export type Tmpfs = {
	dir: string;
	/** Takes every free byte but `leaveBytes` (whole 4 KiB pages) with one file. */
	fill(leaveBytes?: number): void;
	/** Gives the space back. */
	free(): void;
	readOnly(): void;
	readWrite(): void;
	unmount(): void;
};

/** Mounts a tmpfs of `size` (e.g. '1m') on a fresh directory. */
export function mountTmpfs(name: string, size = '1m'): Tmpfs {
	const dir = testDir(name);
	execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
	const filler = path.join(dir, '.filler');
	const run = (...args: string[]) => execFileSync('mount', args, {stdio: 'pipe'});
	let mounted = true;
	return {
		dir,
		fill(leaveBytes = 0) {
			// Page by page until the next page does not fit, then give back what should stay free.
			const page = Buffer.alloc(4096, 1);
			mkdirSync(dir, {recursive: true});
			writeFileSync(filler, '');
			try {
				for (;;) writeFileSync(filler, page, {flag: 'a'});
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
			}
			if (leaveBytes > 0) {
				truncateSync(filler, Math.max(0, statSync(filler).size - Math.ceil(leaveBytes / 4096) * 4096));
			}
		},
		free() {
			rmSync(filler, {force: true});
		},
		readOnly() {
			run('-o', 'remount,ro', dir);
		},
		readWrite() {
			run('-o', 'remount,rw', dir);
		},
		unmount() {
			if (!mounted) return;
			mounted = false;
			execFileSync('umount', ['-l', dir], {stdio: 'pipe'});
		},
	};
}
