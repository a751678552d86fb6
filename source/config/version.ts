// This build's version, for the places that report it to others (Prometheus, the farm's heartbeats). Read from the
// package.json above this file, wherever that is: dist/cli.js, one of the bundle's chunks in dist/chunks/, or a
// test running the sources.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let cached: string | null | undefined;

export function productVersion(): string | null {
	if (cached !== undefined) return cached;
	cached = null;
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let depth = 0; depth < 6; depth++) {
		try {
			const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: unknown; version?: unknown};
			if (pkg.name === 'frameio-admin' && typeof pkg.version === 'string') {
				cached = pkg.version;
				break;
			}
		} catch {
			// not here: one level up
		}
		const parent = path.dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	return cached;
}
