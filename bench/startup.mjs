// Startup: spawn → first output of subcommands that need no network (`nomenclature NAME --json`, `--help`), with
// the modules they load (Ink and React must not be among them), the import cost of the heavy packages as a
// diagnosis, and spawn → first full frame of the console in a pseudo-terminal, run directly and as `npm start` on a
// built tree (scripts/start.mjs must not rebuild it).
// Flags: --runs N (default 15).
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {CLI, deadline, distHas, median, parseFlags, percentile, ROOT, tempDir} from './lib/common.mjs';
import {Report} from './lib/report.mjs';
import {timedSpawn} from './lib/timed-spawn.mjs';

const flags = parseFlags();
const RUNS = Math.max(3, Math.min(100, Number(flags.runs ?? 15)));
const report = new Report('startup', 'Startup time');
const stop = deadline(420_000, () => report.write());

const stateDir = tempDir('startup-state');
const logsDir = tempDir('startup-logs');
const env = {...process.env, FRAMEIO_STATE_DIR: stateDir, FRAMEIO_LOGS_DIR: logsDir, FRAMEIO_CONFIG_DIR: path.join(ROOT, 'config')};
delete env.FRAMEIO_DEBUG;

async function timeCommand(args, {runs = RUNS, extraEnv = {}, nodeArgs = []} = {}) {
	const first = [];
	const exit = [];
	let last;
	for (let i = 0; i < runs + 2; i++) {
		const result = await timedSpawn(process.execPath, [...nodeArgs, ...args], {env: {...env, ...extraEnv}, cwd: ROOT});
		if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stderr.slice(0, 500)}`);
		last = result;
		// The first two warm the file cache; a user's second run is the common case.
		if (i < 2) continue;
		first.push(result.firstOutputMs);
		exit.push(result.exitMs);
	}
	return {first, exit, last};
}

/** The module URLs one run of `args` loads (bench/lib/trace-imports.mjs). */
async function loadedModules(args) {
	const out = path.join(tempDir('startup-trace'), 'modules.txt');
	const hook = path.join(ROOT, 'bench/lib/trace-imports.mjs');
	await timedSpawn(process.execPath, ['--import', hook, ...args], {env: {...env, BENCH_TRACE_IMPORTS: out}, cwd: ROOT});
	return readFileSync(out, 'utf8').split('\n').filter(Boolean);
}

// dist/cli.js is a bundle (scripts/bundle-cli.mjs): a loaded chunk stands for the sources and packages the bundler
// put in it, listed in dist/bundle-inputs.json.
const bundleInputs = distHas('bundle-inputs.json') ? JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle-inputs.json'), 'utf8')) : {};

function sourcesOf(urls) {
	const sources = [];
	for (const url of urls) {
		const file = url.startsWith('file:') ? fileURLToPath(url) : url;
		sources.push(file, ...(bundleInputs[path.relative(path.join(ROOT, 'dist'), file)] ?? []));
	}
	return sources;
}

function packagesOf(urls) {
	const names = new Set();
	for (const source of sourcesOf(urls)) {
		const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
		if (match) names.add(match[1]);
	}
	return [...names].sort();
}

const NAME = 'UNDLM_SEQ01_00042_v002.mp4';

if (!distHas('cli.js')) {
	report.skip('nomenclature NAME --json', 'dist/cli.js missing: run `npm run build`');
} else {
	const baseline = await timeCommand(['-e', "process.stdout.write('x')"]);
	report.figure('node itself: spawn → first output (median)', median(baseline.first), 'ms', undefined, 'the floor under every figure below');

	const nomenclature = await timeCommand([CLI, 'nomenclature', NAME, '--json']);
	JSON.parse(nomenclature.last.stdout);
	report.figure('nomenclature NAME --json: spawn → output (median)', median(nomenclature.first), 'ms', {op: '<=', value: 250}, `${RUNS} runs`);
	report.figure('nomenclature NAME --json: spawn → output (p90)', percentile(nomenclature.first, 90), 'ms');
	report.figure('nomenclature NAME --json: spawn → exit (median)', median(nomenclature.exit), 'ms');
	report.figure('nomenclature NAME --json: output minus node itself (median)', median(nomenclature.first) - median(baseline.first), 'ms', undefined, 'what our code adds; steadier under load');

	const help = await timeCommand([CLI, '--help']);
	report.figure('--help: spawn → output (median)', median(help.first), 'ms', {op: '<=', value: 250}, `${RUNS} runs`);
	const commandHelp = await timeCommand([CLI, 'nomenclature', '--help']);
	report.figure('nomenclature --help: spawn → output (median)', median(commandHelp.first), 'ms', {op: '<=', value: 250}, `${RUNS} runs`);

	const modules = await loadedModules([CLI, 'nomenclature', NAME, '--json']);
	const packages = packagesOf(modules);
	const ui = packages.filter(name => ['ink', 'react', 'react-reconciler', 'yoga-layout'].includes(name));
	report.figure('nomenclature: UI packages loaded (ink, react, …)', ui.length, '', {op: '==', value: 0}, ui.join(', ') || 'none');
	report.figure('nomenclature: ES modules loaded (files)', modules.length, '', undefined, `packages: ${packages.join(', ')}; zod ${sourcesOf(modules).filter(source => source.includes('node_modules/zod/')).length} files, bundled into ${modules.filter(url => url.includes('/dist/')).length} dist files`);
	const helpModules = await loadedModules([CLI, '--help']);
	report.figure('--help: ESM modules loaded', helpModules.length, '', undefined, `packages: ${packagesOf(helpModules).join(', ') || 'none'}`);

	// Diagnosis: what each heavy dependency costs on its own, in a fresh process (median of 5).
	const probe = path.join(ROOT, 'bench/lib/import-cost.mjs');
	for (const specifier of ['zod', 'pino', 'jsonc-parser', 'got', 'ink', 'react']) {
		const costs = [];
		for (let i = 0; i < 5; i++) {
			const result = await timedSpawn(process.execPath, [probe, specifier], {env, cwd: ROOT});
			if (result.code === 0) costs.push(Number(result.stdout.trim()));
		}
		if (costs.length) report.figure(`import cost of ${specifier} alone (median of 5)`, median(costs), 'ms');
	}
	for (const rel of ['../source/nomenclature/config-schema.js', 'nomenclature/index.js', 'commands/nomenclature.js', 'config/index.js']) {
		if (!distHas(rel)) continue;
		const costs = [];
		for (let i = 0; i < 5; i++) {
			const result = await timedSpawn(process.execPath, [probe, path.join(ROOT, 'dist', rel)], {env, cwd: ROOT});
			if (result.code === 0) costs.push(Number(result.stdout.trim()));
		}
		if (costs.length) report.figure(`import cost of dist/${rel} (median of 5)`, median(costs), 'ms');
	}
}

await consoleFirstFrame();
await npmStartFirstFrame();

stop();
report.write();

async function consoleFirstFrame() {
	const metric = 'console --sandbox: spawn → first full frame (median)';
	if (!distHas('ui/run-console.js') || !distHas('app/open-app.js')) {
		report.skip(metric, 'the console runtime (dist/app/open-app.js) is not built yet', {op: '<=', value: 800}, 'ms');
		return;
	}
	const {PtyConsole, chromeVisible} = await import('./lib/pty-console.mjs');
	const runs = Math.max(3, Math.min(10, Math.round(RUNS / 2)));
	const frames = [];
	const withData = [];
	for (let i = 0; i < runs + 1; i++) {
		const state = tempDir('startup-console-state');
		const logs = tempDir('startup-console-logs');
		const consoleEnv = {FRAMEIO_STATE_DIR: state, FRAMEIO_LOGS_DIR: logs, FRAMEIO_CONFIG_DIR: path.join(ROOT, 'config'), FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined};
		const session = new PtyConsole(['--sandbox', '--state-dir', state, '--logs-dir', logs], {env: consoleEnv});
		try {
			const gone = session.exited.then(() => {
				throw new Error(`the console exited (${session.exitCode}): ${session.screen().find(line => line.trim()) ?? ''}`);
			});
			const framed = session.waitFor(chromeVisible, 20_000);
			for (const promise of [gone, framed]) promise.catch(() => {});
			const frame = await Promise.race([framed, gone]);
			// The status bar shows the account once the first API answers arrived.
			const data = await session.waitFor(lines => chromeVisible(lines) && !/SANDBOX\s*│\s*…/.test(lines[1]), 20_000).catch(() => Number.NaN);
			if (i > 0) {
				frames.push(frame);
				withData.push(data);
			}
		} catch (error) {
			report.skip(metric, `the console did not draw its frame: ${String(error.message).split('\n')[0]}`, {op: '<=', value: 800}, 'ms');
			session.dispose();
			return;
		} finally {
			await session.quit();
			session.dispose();
		}
	}
	report.figure(metric, median(frames), 'ms', {op: '<=', value: 800}, `${runs} runs, 80×24`);
	report.figure('console --sandbox: spawn → first frame with the account (median)', median(withData.filter(Number.isFinite)), 'ms');
}

/** `npm start -- --sandbox …` on a built tree, as a user types it: npm itself, the freshness check, the console. */
async function npmStartFirstFrame() {
	const metric = 'npm start (built tree): spawn → first full frame (median)';
	const budget = {op: '<=', value: 1000};
	const {buildDecision} = await import('../scripts/build-freshness.mjs');
	const decision = buildDecision(ROOT);
	if (decision.build) {
		report.skip(metric, `dist/ is not fresh (${decision.reason}): run \`npm run build\` first`, budget, 'ms');
		return;
	}
	const {PtyConsole, chromeVisible} = await import('./lib/pty-console.mjs');
	// Under `npm run bench`, the npm that runs us; else the one on PATH.
	const npm = process.env.npm_execpath ? {file: process.execPath, fileArgs: [process.env.npm_execpath]} : {file: 'npm', fileArgs: []};
	const runs = Math.max(3, Math.min(10, Math.round(RUNS / 2)));
	const frames = [];
	for (let i = 0; i < runs + 1; i++) {
		const state = tempDir('startup-npm-state');
		const logs = tempDir('startup-npm-logs');
		const consoleEnv = {FRAMEIO_STATE_DIR: state, FRAMEIO_LOGS_DIR: logs, FRAMEIO_CONFIG_DIR: path.join(ROOT, 'config'), FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined};
		const session = new PtyConsole(['start', '--silent', '--', '--sandbox', '--state-dir', state, '--logs-dir', logs], {env: consoleEnv, cwd: ROOT, file: npm.file, fileArgs: npm.fileArgs});
		try {
			const frame = await session.waitFor(chromeVisible, 20_000);
			if (i > 0) frames.push(frame);
		} catch (error) {
			report.skip(metric, `the console did not draw its frame: ${String(error.message).split('\n')[0]}`, budget, 'ms');
			return;
		} finally {
			await session.quit();
			session.dispose();
		}
	}
	report.figure(metric, median(frames), 'ms', budget, `${runs} runs, 80×24; npm's own start included`);
	if (buildDecision(ROOT).build) report.note('dist/ went stale during the npm start runs');
}
