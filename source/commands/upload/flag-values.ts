// The upload commands' own flag values, checked before anything opens: a bad one is a usage error (exit 2).
import {printable} from '../../format/printable.js';
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {UsageError} from '../kit/command.js';
import {DurationError, parseDuration} from '../../format/duration.js';
import {folderNameProblem} from '../../nomenclature/index.js';
import {parsePort} from '../../format/port.js';

/**
 * `--stable 0s` is allowed (no wait); other durations must be positive. `zeroReason` says why a zero is refused
 * (what it would do), instead of the generic "give a duration longer than 0".
 */
export function durationFlag(value: string, flag: string, options: {allowZero?: boolean; zeroReason?: string} = {}): number {
	const zero = /^\s*0+(\.0+)?\s*[smhd]?\s*$/i.test(value);
	if (options.allowZero && zero) return 0;
	if (zero && options.zeroReason) throw new UsageError(`--${flag} ${value.trim()}: ${options.zeroReason}`);
	try {
		return parseDuration(value, flag);
	} catch (error) {
		if (error instanceof DurationError) throw new UsageError(error.message);
		throw error;
	}
}

export function parallelFlag(value: number | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isInteger(value) || value < 1 || value > 64) throw new UsageError(`--parallel must be a whole number from 1 to 64, got ${value}`);
	return value;
}

/** --metrics-port N: 1-65535, or 0 for any free port (the URL is printed). */
export function metricsPortFlag(value: string | undefined): number | undefined {
	try {
		return parsePort(value, '--metrics-port');
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}

/** The help of --metrics-port, the same in upload and watch. */
export const METRICS_PORT_HELP = `  --metrics-port N      Serve Prometheus metrics on http://127.0.0.1:N/metrics while it runs (metrics.port in
                        config/optimization.json does the same; metrics.host sets the address; 0: any free port)`;

/** How a refused scene or shot folder is created anyway (the same flag on test-upload and upload). */
export const CREATE_FOLDERS_HINT = '--create-folders creates it as given';

/** --scene and --shot go together, and each must be a usable folder name. */
export function sceneShotFlags(scene: string | undefined, shot: string | undefined): {scene?: string; shot?: string} {
	if ((scene === undefined) !== (shot === undefined)) throw new UsageError('give --scene and --shot together (or neither, to use the nomenclature mapping of each name)');
	if (scene === undefined || shot === undefined) return {};
	checkFolderName('SCENE', scene);
	checkFolderName('SHOT', shot);
	return {scene, shot};
}

export function checkFolderName(what: string, name: string): void {
	const problem = folderNameProblem(name);
	if (problem) throw new UsageError(`${what} "${printable(name)}" cannot be a folder name: it ${problem}`);
}

/** A local file the upload can read: an absolute path, and its size. Usage error naming the path otherwise. */
export function localFile(file: string): {path: string; size: number} {
	const absolute = path.resolve(file);
	let info;
	try {
		info = statSync(absolute);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UsageError(code === 'ENOENT' ? `file not found: ${printable(file)}` : `cannot read ${printable(file)}: ${code ?? String(error)}`);
	}
	if (!info.isFile()) throw new UsageError(`not a regular file: ${printable(file)}`);
	if (info.size < 1) throw new UsageError(`${printable(file)} is empty: Frame.io needs at least 1 byte`);
	return {path: absolute, size: info.size};
}

/**
 * The files of the command line: each FILE, and for a DIR every regular, non-hidden file directly in it (not its
 * sub-directories), by name. A DIR's empty files are left out with the reason (a render still being written);
 * a FILE named on its own must be usable (usage error otherwise).
 */
export function localInputs(args: string[]): {files: Array<{path: string; size: number}>; empty: string[]} {
	const files: Array<{path: string; size: number}> = [];
	const empty: string[] = [];
	for (const arg of args) {
		const absolute = path.resolve(arg);
		let info;
		try {
			info = statSync(absolute);
		} catch {
			files.push(localFile(arg)); // says why
			continue;
		}
		if (!info.isDirectory()) {
			files.push(localFile(arg));
			continue;
		}
		const names = readdirSync(absolute).filter(name => !name.startsWith('.')).sort((a, b) => a.localeCompare(b, 'en', {numeric: true}));
		for (const name of names) {
			const file = path.join(absolute, name);
			const entry = statSync(file, {throwIfNoEntry: false});
			if (!entry?.isFile()) continue;
			if (entry.size < 1) empty.push(file);
			else files.push({path: file, size: entry.size});
		}
	}
	return {files, empty};
}
