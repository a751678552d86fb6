// Console idle: the console on a sandbox with no background activity, left alone on the Health tab for --seconds
// (60) at the default refresh: CPU % of one core and RSS of the console process (pidusage), and bytes written to
// the terminal per second (budget 0: nothing changes, so nothing should be written). Rows that did change are
// listed in the notes, to find the cause. Then 10 s on each other tab (informational).
// Flags: --seconds S (60), --settle S (5), --per-tab S (10; 0 skips).
import pidusage from 'pidusage';
import {deadline, parseFlags, sleep} from './lib/common.mjs';
import {consoleMissing, openConsoleOnSandbox} from './lib/console-session.mjs';
import {Report} from './lib/report.mjs';

const flags = parseFlags();
const SECONDS = Math.max(5, Math.min(600, Number(flags.seconds ?? 60)));
const SETTLE = Math.max(1, Math.min(60, Number(flags.settle ?? 5)));
const PER_TAB = Math.max(0, Math.min(60, Number(flags['per-tab'] ?? 10)));
const report = new Report('console-idle', `Console idle for ${SECONDS} s`);
let opened;
const stop = deadline((SECONDS + SETTLE + PER_TAB * 4 + 90) * 1000, async () => {
	report.write();
	await opened?.close();
});

const budgets = [
	['CPU, % of one core', {op: '<=', value: 1}, '%'],
	['RSS, peak during the window', {op: '<=', value: 130}, 'MB'],
	['bytes written to the terminal per second', {op: '==', value: 0}, 'B/s'],
];

const missing = consoleMissing();
if (missing) {
	for (const [metric, budget, unit] of budgets) report.skip(metric, missing, budget, unit);
	report.write();
	process.exit(0);
}

try {
	opened = await openConsoleOnSandbox();
} catch (error) {
	for (const [metric, budget, unit] of budgets) report.skip(metric, `the console did not start: ${String(error.message).split('\n')[0]}`, budget, unit);
	report.write();
	process.exit(0);
}
const {session} = opened;
const pid = session.consolePid;

/** Watches the window: CPU time, peak RSS, bytes, and which rows changed (first few). */
async function watch(seconds) {
	const changes = [];
	let previous = session.screen();
	const listener = () => {
		const lines = session.screen();
		for (let row = 0; row < lines.length; row++) {
			if (lines[row] !== previous[row] && changes.length < 8) changes.push(`row ${row}: "${lines[row].trim().slice(0, 70)}"`);
		}
		previous = lines;
	};
	session.parsed.add(listener);
	const first = await pidusage(pid);
	const from = session.now();
	let peakRss = first.memory;
	const until = Date.now() + seconds * 1000;
	while (Date.now() < until) {
		await sleep(Math.min(1000, Math.max(0, until - Date.now())));
		const sample = await pidusage(pid);
		peakRss = Math.max(peakRss, sample.memory);
	}
	const last = await pidusage(pid);
	const to = session.now();
	session.parsed.delete(listener);
	const wallMs = to - from;
	return {
		cpuPercent: ((last.ctime - first.ctime) / wallMs) * 100,
		peakRss,
		bytesPerSecond: session.bytesBetween(from, to) / (wallMs / 1000),
		writes: session.chunksBetween(from, to).length,
		changes,
	};
}

try {
	await sleep(SETTLE * 1000);
	const idle = await watch(SECONDS);
	report.figure(budgets[0][0], idle.cpuPercent, '%', budgets[0][1], `Health tab, ${SECONDS} s, default refresh`);
	report.figure(budgets[1][0], idle.peakRss / 1e6, 'MB', budgets[1][1]);
	report.figure(budgets[2][0], idle.bytesPerSecond, 'B/s', budgets[2][1], `${idle.writes} writes`);
	if (idle.changes.length) report.note(`Health tab, rows that changed while idle: ${idle.changes.join('; ')}`);
	if (PER_TAB > 0) {
		for (const [key, tab] of [['2', 'Cache'], ['3', 'Structure'], ['4', 'Metrics'], ['5', 'Uploads']]) {
			session.write(key);
			await sleep(SETTLE * 1000);
			const result = await watch(PER_TAB);
			report.figure(`${tab} tab idle: bytes/s (CPU ${result.cpuPercent.toFixed(1)} %)`, result.bytesPerSecond, 'B/s', undefined, `${result.writes} writes in ${PER_TAB} s`);
			if (result.changes.length) report.note(`${tab} tab, rows that changed while idle: ${result.changes.join('; ')}`);
		}
	}
} finally {
	await opened.close();
}
stop();
report.write();
