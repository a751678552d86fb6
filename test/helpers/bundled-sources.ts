// dist/cli.js is a bundle split into chunks (scripts/bundle-cli.mjs), so a module URL a process loaded names a chunk,
// not a source file. dist/bundle-inputs.json, written by the bundler, says which sources and packages each chunk holds.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The source files and package files held by the dist/ files among `urls` (file: URLs, as an import hook logs them). */
export function bundledSources(urls: readonly string[], distDir = path.resolve('dist')): string[] {
	const inputs = JSON.parse(readFileSync(path.join(distDir, 'bundle-inputs.json'), 'utf8')) as Record<string, string[]>;
	const sources: string[] = [];
	for (const url of urls) {
		if (!url.startsWith('file:')) continue;
		const relative = path.relative(distDir, fileURLToPath(url));
		sources.push(...(inputs[relative] ?? []));
	}
	return sources;
}
