// `npm start [-- ARGS]`: the console (or any subcommand) from dist/, built first only when a source, tsconfig or
// package file changed since the last build (`npm ci` builds at install: the "prepare" script). A fresh tree starts
// at once instead of spending seconds in tsc and esbuild on every start (bench/startup.mjs times it).
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {buildDecision} from './build-freshness.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'dist', 'cli.js');
const args = process.argv.slice(2);

const decision = buildDecision(root);
if (decision.build) {
	process.stderr.write(`frameio-admin: building dist/ (${decision.reason})…\n`);
	// The one build command is package.json's "build"; its tools are in node_modules/.bin, as under npm.
	const {scripts} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	const PATH = [path.join(root, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(path.delimiter);
	// The build talks on stderr: stdout is the command's own (`npm start -- health --json > out.json`).
	const built = spawnSync(scripts.build, {cwd: root, shell: true, stdio: [0, 2, 2], env: {...process.env, PATH}});
	if (built.status !== 0) {
		process.stderr.write(`frameio-admin: the build failed (exit ${built.status ?? built.signal}); fix it, then run npm start again\n`);
		process.exit(built.status || 1);
	}
}
// In this process rather than a child: one node start fewer, and the terminal, signals and exit code are the CLI's own.
process.argv = [process.argv[0], cli, ...args];
await import(pathToFileURL(cli).href);
