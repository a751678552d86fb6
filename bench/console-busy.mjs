// Console busy: three uploads added from the Uploads tab (the console's own queue streams them to the sandbox,
// which runs in its own process with background activity on), watched for --seconds: frames painted per second
// (budget ≤ 15), CPU % of one core of the console process, and render time per frame p50/p95 (budget p95 ≤ 16 ms)
// when the console reports it (FRAMEIO_BENCH_RENDER_LOG: one {"renderTime": ms} line per Ink render).
// Flags: --seconds S (10), --mib N per file (800), --part-mib-per-second N (8; the sandbox's bandwidth per part).
import {randomBytes} from 'node:crypto';
import {createWriteStream, existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import pidusage from 'pidusage';
import {deadline, median, parseFlags, percentile, sleep, tempDir} from './lib/common.mjs';
import {consoleMissing, openConsoleOnSandbox} from './lib/console-session.mjs';
import {keys} from './lib/pty-console.mjs';
import {Report} from './lib/report.mjs';

const MiB = 1024 * 1024;
const flags = parseFlags();
const SECONDS = Math.max(3, Math.min(120, Number(flags.seconds ?? 10)));
const FILE_MIB = Math.max(8, Math.min(4096, Number(flags.mib ?? 800)));
// Per part stream; 3 files × 4 parts in flight → ~96 MiB/s in all, so each 800 MiB file takes ~25 s.
const PART_BYTES_PER_SECOND = Math.max(1, Number(flags['part-mib-per-second'] ?? 8)) * MiB;
const report = new Report('console-busy', `Console busy: 3 uploads of ${FILE_MIB} MiB and API traffic`);
let opened;
const stop = deadline(300_000, async () => {
	report.write();
	await opened?.close();
});

const budgets = [
	['frames painted per second', {op: '<=', value: 15}, 'fps'],
	['render time per frame p95', {op: '<=', value: 16}, 'ms'],
];
const missing = consoleMissing();
if (missing) {
	for (const [metric, budget, unit] of budgets) report.skip(metric, missing, budget, unit);
	report.write();
	process.exit(0);
}

async function makeFile(dir, name) {
	const file = path.join(dir, name);
	const block = randomBytes(MiB);
	const out = createWriteStream(file);
	for (let i = 0; i < FILE_MIB; i++) if (!out.write(block)) await new Promise(resolve => out.once('drain', resolve));
	await new Promise((resolve, reject) => out.end(error => (error ? reject(error) : resolve())));
	return file;
}

const dir = tempDir('busy-files');
const renderLog = path.join(tempDir('busy-render'), 'render.ndjson');
const files = [];
for (let i = 1; i <= 3; i++) files.push(await makeFile(dir, `UNDLM_SEQ01_${String(i).padStart(5, '0')}_v001.mp4`));

try {
	// Parts are throttled (as the console's own demo sandbox does) so that the three uploads are still streaming when
	// the window opens: on loopback, unthrottled, 3 × 800 MiB can finish before the third is even added.
	opened = await openConsoleOnSandbox({
		sandboxOptions: {activity: true, activityIntervalMs: 1000, partBytesPerSecond: PART_BYTES_PER_SECOND},
		env: {FRAMEIO_BENCH_RENDER_LOG: renderLog},
	});
} catch (error) {
	for (const [metric, budget, unit] of budgets) report.skip(metric, `the console did not start: ${String(error.message).split('\n')[0]}`, budget, unit);
	report.write();
	process.exit(0);
}
const {session} = opened;

try {
	session.write('5');
	await sleep(1000);
	for (const file of files) {
		session.write('a');
		await sleep(300);
		session.write(file);
		await sleep(300);
		session.write(keys.enter);
		await sleep(300);
	}
	// The tab's footer says how many are moving ("3 active · …").
	const active = () => Number(/(\d+) active/.exec(session.text())?.[1] ?? 0);
	await session.waitFor(() => active() >= 3, 15_000).catch(() => {});
	const activeAtStart = active();
	const renderLinesBefore = existsSync(renderLog) ? readFileSync(renderLog, 'utf8').split('\n').filter(Boolean).length : 0;
	const first = await pidusage(session.consolePid);
	const from = session.now();
	await sleep(SECONDS * 1000);
	const last = await pidusage(session.consolePid);
	const to = session.now();
	const seconds = (to - from) / 1000;
	report.figure(budgets[0][0], session.paintsBetween(from, to) / seconds, 'fps', budgets[0][1], `${seconds.toFixed(1)} s on the Uploads tab; ${activeAtStart} uploads active at the start, ${active()} at the end`);
	report.figure('bytes written to the terminal per second', session.bytesBetween(from, to) / seconds, 'B/s');
	report.figure('CPU, % of one core', ((last.ctime - first.ctime) / (to - from)) * 100, '%');
	report.figure('RSS at the end', last.memory / 1e6, 'MB');
	if (existsSync(renderLog)) {
		const times = readFileSync(renderLog, 'utf8')
			.split('\n')
			.filter(Boolean)
			.slice(renderLinesBefore)
			.map(line => JSON.parse(line).renderTime)
			.filter(Number.isFinite);
		if (times.length > 0) {
			report.figure(budgets[1][0], percentile(times, 95), 'ms', budgets[1][1], `${times.length} renders`);
			report.figure('render time per frame p50', median(times), 'ms');
		} else report.skip(budgets[1][0], 'the render log stayed empty during the window', budgets[1][1], 'ms');
	} else {
		report.skip(budgets[1][0], "the console does not report Ink's onRender times (FRAMEIO_BENCH_RENDER_LOG is not implemented)", budgets[1][1], 'ms');
	}
} finally {
	await opened.close();
}
stop();
report.write();
