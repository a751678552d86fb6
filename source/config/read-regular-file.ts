// Reads a small file the user controls (config files, stored credentials) without trusting what it is. A FIFO or a
// link to /dev/zero would block a plain readFileSync forever, in a read that not even SIGTERM interrupts; a huge
// file would fill memory. So: stat first and refuse anything but a regular file (a link to one is fine), open with
// O_NONBLOCK (a FIFO swapped in after the stat cannot block the open) and check again on the open descriptor, and
// read at most the size limit.
import {closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats} from 'node:fs';

/** The file exists but must not be read; `problem` says why, without the file name. */
export class UnreadableFileError extends Error {
	constructor(readonly problem: string) {
		super(problem);
		this.name = 'UnreadableFileError';
	}
}

function kindOf(stats: Stats): string {
	if (stats.isDirectory()) return 'a directory';
	if (stats.isFIFO()) return 'a FIFO (named pipe)';
	if (stats.isCharacterDevice()) return 'a character device';
	if (stats.isBlockDevice()) return 'a block device';
	if (stats.isSocket()) return 'a socket';
	return 'not a file';
}

function linkNote(file: string): string {
	try {
		return lstatSync(file).isSymbolicLink() ? ` (a link to ${readlinkSync(file)})` : '';
	} catch {
		return '';
	}
}

function mebibytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** "1 MiB", "64 KiB": limits are round numbers. */
function limit(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

function check(file: string, stats: Stats, maxBytes: number, what: string): void {
	if (!stats.isFile()) throw new UnreadableFileError(`not a regular file but ${kindOf(stats)}${linkNote(file)}`);
	if (stats.size > maxBytes) throw new UnreadableFileError(`too large (${mebibytes(stats.size)}): ${what} may be at most ${limit(maxBytes)}`);
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The file's text (UTF-8, a leading BOM dropped), or null when it does not exist. Throws UnreadableFileError for
 * anything that is not a regular file of at most `maxBytes`, and the fs error when it cannot be read.
 * `what` names the kind of file in the size message ("a config file").
 */
export function readRegularFile(file: string, options: {maxBytes: number; what: string}): string | null {
	return readRegularFileWithStats(file, options)?.text ?? null;
}

/** readRegularFile, with the stats of the file that was read (its mode, its owner). */
export function readRegularFileWithStats(file: string, options: {maxBytes: number; what: string}): {text: string; stats: Stats} | null {
	const {maxBytes, what} = options;
	let stats: Stats;
	try {
		stats = statSync(file);
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
	check(file, stats, maxBytes, what);
	let fd: number;
	try {
		fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
	try {
		const opened = fstatSync(fd);
		check(file, opened, maxBytes, what);
		// Read to the end rather than to the size seen: the file may grow meanwhile, and must stay under the limit.
		const chunks: Buffer[] = [];
		let length = 0;
		for (;;) {
			const chunk = Buffer.allocUnsafe(64 * 1024);
			const read = readSync(fd, chunk, 0, chunk.length, null);
			if (read === 0) break;
			chunks.push(chunk.subarray(0, read));
			length += read;
			if (length > maxBytes) throw new UnreadableFileError(`too large (it grew while being read): ${what} may be at most ${limit(maxBytes)}`);
		}
		const text = Buffer.concat(chunks, length).toString('utf8');
		return {text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, stats: opened};
	} finally {
		closeSync(fd);
	}
}
