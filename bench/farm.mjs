// Farm mode (issue 14): N node processes (the real `frameio-admin upload`, dist/cli.js, each with its own state and
// logs dirs and FRAMEIO_NODE_NAME) each upload F small files into overlapping shot folders, against one sandbox that
// enforces Frame.io's published limits (scale 1, in its own process), sharing one redis-server (farm mode) or not
// (independent mode). Then 4 nodes crawl one project at once, with and without the shared cache.
// Figures per N: answers of 429 (goal 0 in farm mode; the independent figure recorded), duplicate folders (0), the
// farm's wall time against what Frame.io's create limit allows (files.local_upload: 5 per second after a burst of
// 5, so (files - 5) / 5 s; goal within 1.1x), the same for the upload phase alone (first to last local_upload at
// the sandbox), and Redis operations per upload (every command a client sent, counted with MONITOR; a script's own
// commands are not round trips and are not counted). Crawl: folder listings sent per folder listed (1 with the
// shared cache, about 4 without).
// Version stacking is off: its class (10 a minute) would be the pace, and it is not what is measured here.
// Flags: --nodes 2,4,8  --files 10 (per node)  --shots 4 (overlap)  --size-kib 64  --crawl-scenes 4 --crawl-shots 6
//        --modes farm,independent  --crawl false (skip the crawl)
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {CLI, deadline, distHas, parseFlags, round, tempDir} from './lib/common.mjs';
import {startRedis} from './lib/redis-proc.mjs';
import {Report} from './lib/report.mjs';
import {startSandboxProcess} from './lib/sandbox-proc.mjs';

const flags = parseFlags();
const NODES = String(flags.nodes ?? '2,4,8')
	.split(',')
	.map(Number)
	.filter(n => Number.isInteger(n) && n >= 1 && n <= 32);
const FILES = Math.max(1, Math.min(100, Number(flags.files ?? 10)));
const SHOTS = Math.max(1, Math.min(50, Number(flags.shots ?? 4)));
const SIZE = Math.max(1, Math.min(10_240, Number(flags['size-kib'] ?? 64))) * 1024;
const CRAWL_SCENES = Math.max(1, Math.min(50, Number(flags['crawl-scenes'] ?? 4)));
const CRAWL_SHOTS = Math.max(1, Math.min(50, Number(flags['crawl-shots'] ?? 6)));
const MODES = String(flags.modes ?? 'farm,independent').split(',').filter(mode => mode === 'farm' || mode === 'independent');
const CRAWL = flags.crawl !== 'false';
const CREATE_RATE = 5;
const CREATE_BURST = 5;

const report = new Report('farm', `Farm mode: ${NODES.join(', ')} upload nodes × ${FILES} files against Frame.io's limits, shared budget vs independent`);
let sandbox;
let redis;
const stop = deadline(20 * 60_000, async () => {
	report.write();
	await sandbox?.close();
	await redis?.close();
});

if (!distHas('cli.js') || !distHas('sandbox/index.js')) {
	report.skip('farm 429 answers', 'dist/ missing: run `npm run build`', {op: '==', value: 0});
	report.write();
	process.exit(0);
}
redis = await startRedis();
if (!redis) {
	report.skip('farm 429 answers', 'redis-server is not installed (sudo apt-get install -y redis-server)', {op: '==', value: 0});
	report.write();
	process.exit(0);
}

const configDir = tempDir('farm-config');
writeFileSync(path.join(configDir, 'optimization.json'), JSON.stringify({uploads: {version_stacking: false}}));

/** Node i's files: file j goes to shot ((i + j) mod SHOTS) of SEQ01, so every shot is wanted by several nodes. */
function nodeFiles(node) {
	const dir = tempDir(`farm-node-${node}`);
	return Array.from({length: FILES}, (_, j) => {
		const shot = String(((node + j) % SHOTS) + 1).padStart(5, '0');
		const name = `UNDLM_SEQ01_${shot}_v${String(node * FILES + j + 1).padStart(3, '0')}.mp4`;
		const file = path.join(dir, name);
		writeFileSync(file, randomBytes(SIZE));
		return file;
	});
}

/** Runs `args` as N nodes at once; → {seconds, codes, outputs}. */
async function runNodes(count, argsOf, redisUrl) {
	const started = performance.now();
	const startedAt = Date.now();
	const runs = Array.from({length: count}, (_, node) => {
		const state = tempDir(`farm-state-${node}`);
		const logs = tempDir(`farm-logs-${node}`);
		mkdirSync(logs, {recursive: true});
		const env = {
			...process.env,
			FRAMEIO_API_URL: sandbox.url,
			FRAMEIO_TOKEN: sandbox.token,
			FRAMEIO_ACCOUNT_ID: sandbox.ids.accountId,
			FRAMEIO_PROJECT_ID: sandbox.ids.projectId,
			FRAMEIO_NODE_NAME: `bench-node-${node + 1}`,
			FRAMEIO_REDIS_URL: redisUrl ?? '',
			FRAMEIO_DISCORD_WEBHOOK: '',
		};
		const child = spawn(process.execPath, [CLI, ...argsOf(node), '--state-dir', state, '--logs-dir', logs, '--config', configDir], {env, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout.on('data', chunk => (output += chunk));
		child.stderr.on('data', chunk => (output += chunk));
		return new Promise(resolve => child.on('close', code => resolve({code, output, seconds: (performance.now() - started) / 1000})));
	});
	const results = await Promise.all(runs);
	return {startedAt, seconds: Math.max(...results.map(result => result.seconds)), codes: results.map(result => result.code), outputs: results.map(result => result.output)};
}

/** The sum of `calls=` over INFO commandstats. */
function totalCalls(info) {
	return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function stats() {
	const response = await fetch(`${sandbox.url}/sandbox/stats`);
	return response.json();
}

async function freshSandbox() {
	await sandbox?.close();
	sandbox = await startSandboxProcess({seed: 'empty', enforceRateLimits: true, rateLimitScale: 1});
}

async function freshRedis() {
	await redis.command('FLUSHALL');
}

const summary = [];
for (const count of NODES) {
	const files = count * FILES;
	const allowed = Math.max(0, files - CREATE_BURST) / CREATE_RATE;
	for (const mode of MODES) {
		await freshSandbox();
		await freshRedis();
		const lists = Array.from({length: count}, (_, node) => nodeFiles(node));
		if (mode === 'farm') {
			await redis.command('CONFIG RESETSTAT');
			await redis.count();
		}
		const run = await runNodes(count, node => ['upload', ...lists[node], '--no-progress'], mode === 'farm' ? redis.url : null);
		const commands = mode === 'farm' ? await redis.counted() : null;
		const byCommand = mode === 'farm' ? redis.byCommand() : null;
		// INFO commandstats counts a script's own commands too (and the MONITOR and INFO of this bench).
		const commandstats = mode === 'farm' ? totalCalls(await redis.command('INFO commandstats')) : null;
		const figures = await stats();
		const requests = await sandbox.call('requests', {prefix: '/v4/'});
		const uploads = requests.filter(request => request.method === 'POST' && request.path.endsWith('/files/local_upload') && request.status < 300).map(request => request.at);
		const phase = uploads.length > 1 ? (Math.max(...uploads) - Math.min(...uploads)) / 1000 : 0;
		const landed = (await sandbox.call('files', {folderId: sandbox.ids.rootFolderId})).filter(file => file.complete).length;
		const failedNodes = run.codes.filter(code => code !== 0).length;
		const label = `N=${count} ${mode}`;
		const tooMany = figures.by_status['429'] ?? 0;
		report.figure(`${label}: answers of 429`, tooMany, '', mode === 'farm' ? {op: '==', value: 0} : undefined, `${figures.requests} requests`);
		report.figure(`${label}: duplicate folders`, figures.duplicate_folders.length, '', mode === 'farm' ? {op: '==', value: 0} : undefined);
		report.figure(`${label}: files landed`, landed, 'files', {op: '==', value: files}, failedNodes ? `${failedNodes} node(s) exited non-zero` : undefined);
		report.figure(`${label}: wall time`, run.seconds, 's', undefined, `create limit allows ${round(allowed, 1)} s for ${files} files`);
		report.figure(`${label}: wall time ÷ what the create limit allows`, allowed > 0 ? run.seconds / allowed : Number.NaN, '×', mode === 'farm' ? {op: '<=', value: 1.1} : undefined);
		report.figure(`${label}: upload phase ÷ what the create limit allows`, allowed > 0 ? phase / allowed : Number.NaN, '×', mode === 'farm' ? {op: '<=', value: 1.1} : undefined, `first to last local_upload: ${round(phase, 1)} s`);
		// Where the rest of the wall time goes: the processes' start (spawn → their first API request), the work before
		// the first create (identity, folder lookups and creates), and after the last create (its parts, the status
		// poll, closing).
		const firstRequest = requests.length > 0 ? Math.min(...requests.map(request => request.at)) : run.startedAt;
		if (uploads.length > 0) {
			const start = (firstRequest - run.startedAt) / 1000;
			const before = (Math.min(...uploads) - firstRequest) / 1000;
			const after = run.seconds - (Math.max(...uploads) - run.startedAt) / 1000;
			report.note(`${label}: wall time ${round(run.seconds, 2)} s = start ${round(start, 2)} s (spawn → first API request) + before the first create ${round(before, 2)} s + the upload phase ${round(phase, 2)} s + after the last create ${round(after, 2)} s`);
		}
		if (commands !== null) report.figure(`${label}: Redis operations per upload`, commands / files, 'ops', undefined, `${commands} commands from clients; INFO commandstats, scripts' own commands included: ${round(commandstats / files, 1)} per upload`);
		if (byCommand) {
			const shown = Object.entries(byCommand)
				.sort((a, b) => b[1] - a[1])
				.map(([name, calls]) => `${name} ${round(calls / files, 1)}`)
				.join(', ');
			report.note(`${label}: commands per upload by name: ${shown} (evalsha: bucket takes and corrections, breaker, locks, cache reads and fills, alerts, member roll)`);
		}
		summary.push({count, mode, seconds: round(run.seconds, 1), tooMany, duplicates: figures.duplicate_folders.length, landed, commands, byCommand});
		if (failedNodes) {
			const lines = run.outputs.flatMap(output => output.split('\n').filter(line => /^(refused|failed)|frameio-admin:/.test(line)));
			report.note(`${label}: ${lines.slice(0, 6).join(' | ').slice(0, 1200)}`);
		}
	}
}

// The crawl: one project (CRAWL_SCENES scenes × CRAWL_SHOTS shots) listed by 4 nodes at once.
for (const mode of CRAWL ? MODES : []) {
	await freshSandbox();
	await freshRedis();
	const {folders} = await sandbox.call('tree', {parentId: sandbox.ids.rootFolderId, scenes: CRAWL_SCENES, shots: CRAWL_SHOTS});
	await sandbox.call('clearRequests');
	const run = await runNodes(4, () => ['structure', '--project-id', sandbox.ids.projectId, '--depth', '3'], mode === 'farm' ? redis.url : null);
	const listings = (await sandbox.call('requests', {prefix: '/v4/'})).filter(request => request.method === 'GET' && /\/folders\/[^/]+\/children$/.test(request.path));
	const distinct = new Set(listings.map(request => request.path)).size;
	report.figure(`crawl by 4 nodes, ${mode}: listings per folder`, distinct > 0 ? listings.length / distinct : Number.NaN, '×', mode === 'farm' ? {op: '<=', value: 1.05} : undefined, `${listings.length} listings of ${distinct} folders (${folders} made), ${round(run.seconds, 1)} s, exits ${run.codes.join(',')}`);
}

report.note(`version stacking off; ${SIZE / 1024} KiB files; ${SHOTS} shots shared by every node; sandbox at Frame.io's published limits (scale 1)`);
report.write({summary});
stop();
await sandbox?.close();
await redis.close();
