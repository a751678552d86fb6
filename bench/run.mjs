// `npm run bench [-- NAME...] [-- --flag value]`: runs every bench (or the named ones), each in its own process
// with a time limit, then regenerates bench/results/README.md. Flags after the names go to every bench.
// Exit 0 when every bench ran (missed budgets are reported, not fatal; --strict makes a miss exit 1), 1 when a
// bench crashed or timed out.
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {CLI, RESULTS_DIR, ROOT} from './lib/common.mjs';
import {writeReadme} from './lib/readme.mjs';

/** name → the longest it may run (each bench also stops itself earlier). */
const BENCHES = {
	startup: 8 * 60_000,
	cache: 5 * 60_000,
	crawl: 10 * 60_000,
	upload: 20 * 60_000,
	'console-idle': 6 * 60_000,
	'console-busy': 6 * 60_000,
	'console-large': 12 * 60_000,
	farm: 25 * 60_000,
};

const argv = process.argv.slice(2);
const strict = argv.includes('--strict');
const firstFlag = argv.findIndex(arg => arg.startsWith('--'));
const names = (firstFlag < 0 ? argv : argv.slice(0, firstFlag)).filter(Boolean);
const passed = (firstFlag < 0 ? [] : argv.slice(firstFlag)).filter(arg => arg !== '--strict');
const unknown = names.filter(name => !(name in BENCHES));
if (unknown.length > 0) {
	process.stderr.write(`bench: unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
	process.exit(2);
}
if (!existsSync(CLI)) {
	process.stderr.write('bench: dist/cli.js is missing: run `npm run build` first (`npm run bench` does)\n');
	process.exit(2);
}

const selected = names.length > 0 ? names : Object.keys(BENCHES);
const outcomes = [];
for (const name of selected) {
	const code = await new Promise(resolve => {
		// Its own process group, so that a stop takes the sandbox, uploader or console it started along with it.
		const child = spawn(process.execPath, [path.join(ROOT, 'bench', `${name}.mjs`), ...passed], {cwd: ROOT, stdio: 'inherit', detached: true});
		const killGroup = () => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				child.kill('SIGKILL');
			}
		};
		const timer = setTimeout(() => {
			process.stderr.write(`bench: ${name} ran past ${BENCHES[name] / 60_000} min; stopping it\n`);
			killGroup();
		}, BENCHES[name]);
		// Ctrl-C reaches only the foreground group (this process): pass it on.
		const interrupt = () => {
			killGroup();
			process.exit(130);
		};
		process.once('SIGINT', interrupt);
		process.once('SIGTERM', interrupt);
		child.on('close', exitCode => {
			clearTimeout(timer);
			process.off('SIGINT', interrupt);
			process.off('SIGTERM', interrupt);
			resolve(exitCode ?? 1);
		});
	});
	const file = path.join(RESULTS_DIR, `${name}.json`);
	const result = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
	const missed = result ? result.figures.filter(figure => figure.status === 'miss').map(figure => figure.metric) : [];
	const skipped = result ? result.figures.filter(figure => figure.status === 'skipped').length : 0;
	outcomes.push({name, code, missed, skipped});
}

const readme = writeReadme();
process.stdout.write(`\n== Summary ==\n`);
for (const {name, code, missed, skipped} of outcomes) {
	const state = code !== 0 ? `FAILED (exit ${code})` : missed.length > 0 ? `${missed.length} budget(s) missed: ${missed.join('; ')}` : 'all budgets met';
	process.stdout.write(`  ${name.padEnd(14)} ${state}${skipped ? ` (${skipped} skipped)` : ''}\n`);
}
process.stdout.write(`  table: ${path.relative(process.cwd(), readme)}\n`);
const crashed = outcomes.some(outcome => outcome.code !== 0);
const missedAny = outcomes.some(outcome => outcome.missed.length > 0);
process.exit(crashed || (strict && missedAny) ? 1 : 0);
