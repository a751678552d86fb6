// Whether dist/ must be built again before `npm start` runs it: only when something the build reads changed since
// the last build finished. scripts/bundle-cli.mjs, the build's last step, writes the stamp once the whole build
// succeeded, so a build that failed half-way (tsc still emits on a type error) is not mistaken for a fresh one.
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';

/** What the build reads, relative to the checkout: a directory counts through every file in it. */
export const BUILD_INPUTS = ['source', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/bundle-cli.mjs'];
/** Written by scripts/bundle-cli.mjs when a build has finished. */
export const BUILD_STAMP = 'dist/.build-stamp';

function mtimeMs(file) {
	try {
		return statSync(file).mtimeMs;
	} catch {
		return undefined;
	}
}

/** The most recently modified file under `entry` (a file or a directory), or undefined when there is none. */
function newest(entry) {
	let info;
	try {
		info = statSync(entry);
	} catch {
		return undefined;
	}
	if (!info.isDirectory()) return {file: entry, mtimeMs: info.mtimeMs};
	let best;
	for (const child of readdirSync(entry)) {
		const found = newest(path.join(entry, child));
		if (found && (!best || found.mtimeMs > best.mtimeMs)) best = found;
	}
	return best;
}

/** {build, reason}: build when dist/cli.js or the stamp is missing, or an input is newer than the stamp. */
export function buildDecision(root) {
	const stamp = mtimeMs(path.join(root, BUILD_STAMP));
	if (mtimeMs(path.join(root, 'dist', 'cli.js')) === undefined || stamp === undefined) return {build: true, reason: 'dist/ has not been built yet'};
	for (const input of BUILD_INPUTS) {
		const found = newest(path.join(root, input));
		if (found && found.mtimeMs > stamp) return {build: true, reason: `${path.relative(root, found.file)} changed since the last build`};
	}
	return {build: false, reason: 'dist/ is up to date'};
}
