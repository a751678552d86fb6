// Shared by every bench: paths to the built code, machine info, small statistics, temp dirs and a hard deadline.
// Benches run against dist/ (run `npm run build` first; `npm run bench` does), never against source/.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const CLI = path.join(DIST, 'cli.js');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/** True when dist/<rel> exists (a piece another helper is still building may be missing). */
export function distHas(rel) {
	return existsSync(path.join(DIST, rel));
}

/** import() of a built module, e.g. importDist('cache/index.js'). */
export function importDist(rel) {
	return import(pathToFileURL(path.join(DIST, rel)).href);
}

export function machineInfo() {
	const cpus = os.cpus();
	return {
		cpus: cpus.length,
		model: cpus[0]?.model?.trim() ?? 'unknown',
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${os.platform()} ${os.release()} ${os.arch()}`,
		// Other work on the box skews every figure; the load at the start of a run says how much.
		loadavg: os.loadavg().map(value => Math.round(value * 100) / 100),
		date: new Date().toISOString(),
	};
}

export function sorted(values) {
	return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty array. */
export function percentile(values, p) {
	if (values.length === 0) return Number.NaN;
	const list = sorted(values);
	const rank = Math.min(list.length, Math.max(1, Math.ceil((p / 100) * list.length)));
	return list[rank - 1];
}

export function median(values) {
	if (values.length === 0) return Number.NaN;
	const list = sorted(values);
	const mid = list.length >> 1;
	return list.length % 2 ? list[mid] : (list[mid - 1] + list[mid]) / 2;
}

export function mean(values) {
	return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function round(value, digits = 1) {
	if (!Number.isFinite(value)) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

const tempDirs = new Set();
process.once('exit', () => {
	for (const dir of tempDirs) rmSync(dir, {recursive: true, force: true});
});

/** A fresh directory under the OS temp dir, removed when the process exits. */
export function tempDir(prefix) {
	const dir = mkdtempSync(path.join(os.tmpdir(), `frameio-bench-${prefix}-`));
	tempDirs.add(dir);
	return dir;
}

export function removeTempDir(dir) {
	rmSync(dir, {recursive: true, force: true});
	tempDirs.delete(dir);
}

/**
 * Every bench stops by itself: past `ms`, onTimeout runs (write what was measured) and the process exits 1.
 * The timer is unref'd so it never holds a finished bench open.
 */
export function deadline(ms, onTimeout) {
	const timer = setTimeout(async () => {
		process.stderr.write(`bench: deadline of ${Math.round(ms / 1000)} s reached, stopping\n`);
		try {
			await onTimeout?.();
		} finally {
			process.exit(1);
		}
	}, ms);
	timer.unref();
	return () => clearTimeout(timer);
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Parses `--name value` and `--flag` from argv into an object (numbers converted). */
export function parseFlags(argv = process.argv.slice(2)) {
	const flags = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) continue;
		const [key, inline] = arg.slice(2).split('=', 2);
		let value = inline;
		if (value === undefined) value = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
		flags[key] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
	}
	return flags;
}
