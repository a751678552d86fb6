// The product's version (package.json), for the farm's heartbeats: found by walking up from this module, which sits
// in source/app when run from source and in dist/ or dist/chunks when built.
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
			const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: string; version?: string};
			if (manifest.name === 'frameio-admin' && typeof manifest.version === 'string') {
				cached = manifest.version;
				break;
			}
		} catch {
			// not here
		}
		const parent = path.dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	return cached;
}
