// Fault soak (issue 7): for --minutes (default 10) the real `frameio-admin upload FILE... --json` uploads batches
// of fresh files to a sandbox started here, while the sandbox injects a mixed fault profile: 10 % 5xx, 5 % 429,
// 2 % connection resets, 2 % part failures, latency with spikes past the client's timeout. Once, an uploader is
// killed with SIGKILL mid-upload and the same command is run again (it must resume); once, every access token is
// expired mid-upload (the uploader must refresh through IMS: it logs in with client credentials first).
// A batch whose run fails is run again (as a user would), at most --attempts times.
// Budget: every upload finishes byte-exact exactly once, no duplicate file or folder, no unhandled rejection,
// RSS growth < 10 % (median peak RSS of the last quarter of the runs vs the first quarter).
// Flags: --minutes M (10, ≤ 180), --files N per run (4), --min-mib / --max-mib (1 / 12), --part-mib (5),
//        --timeout S client request timeout (2), --attempts N (6).
// Loopback only; every loop is bounded in count and time; the soak stops by itself.
import {createHash, randomBytes} from 'node:crypto';
import {copyFileSync, createWriteStream, existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {CLI, deadline, distHas, importDist, median, parseFlags, ROOT, tempDir} from '../bench/lib/common.mjs';
import {writeReadme} from '../bench/lib/readme.mjs';
import {Report} from '../bench/lib/report.mjs';
import {runUpload} from './lib/run-upload.mjs';

const MiB = 1024 * 1024;
const flags = parseFlags();
const MINUTES = Math.max(0.5, Math.min(180, Number(flags.minutes ?? 10)));
const FILES_PER_RUN = Math.max(1, Math.min(20, Number(flags.files ?? 4)));
const MIN_MIB = Math.max(0.01, Number(flags['min-mib'] ?? 1));
const MAX_MIB = Math.max(MIN_MIB, Math.min(512, Number(flags['max-mib'] ?? 12)));
const PART_MIB = Math.max(5, Math.min(64, Number(flags['part-mib'] ?? 5)));
const TIMEOUT_S = Math.max(1, Math.min(60, Number(flags.timeout ?? 2)));
const ATTEMPTS = Math.max(1, Math.min(20, Number(flags.attempts ?? 6)));
const RUN_TIMEOUT_MS = 5 * 60_000;

const report = new Report('soak', `Fault soak, ${MINUTES} min`);
let sandbox;
// Past the soak time: the batch in flight may need a few more runs (each bounded), then the checks.
const stop = deadline((MINUTES * 60 + ATTEMPTS * RUN_TIMEOUT_MS / 1000 + 120) * 1000, async () => {
	report.write();
	writeReadme();
	await sandbox?.close();
});

if (!distHas('commands/upload.js') || !distHas('sandbox/index.js')) {
	report.skip('uploads byte-exact exactly once', 'dist/ has no upload command or sandbox: run `npm run build`');
	report.write();
	writeReadme();
	process.exit(0);
}

const {startSandbox} = await importDist('sandbox/index.js');
const {registerSecret} = await importDist('log/redact.js');

const work = tempDir('soak');
const filesDir = path.join(work, 'files');
const stateDir = path.join(work, 'state');
const logsDir = path.join(work, 'logs');
const configDir = path.join(work, 'config');
const rejectionsFile = path.join(work, 'rejections.ndjson');
for (const dir of [filesDir, stateDir, logsDir, configDir]) rmSync(dir, {recursive: true, force: true});
await import('node:fs/promises').then(fs => Promise.all([filesDir, stateDir, logsDir, configDir].map(dir => fs.mkdir(dir, {recursive: true}))));

// The shipped config, with a short request timeout so that latency spikes pass it (a partial file is merged with
// the defaults) and a short part timeout.
for (const name of ['alerts.json', 'nomenclature.json']) copyFileSync(path.join(ROOT, 'config', name), path.join(configDir, name));
writeFileSync(
	path.join(configDir, 'optimization.json'),
	`${JSON.stringify({error_handling: {request_timeout_seconds: TIMEOUT_S}, upload_optimization: {timeout_seconds: 20}}, null, 2)}\n`,
);

const clientSecret = randomBytes(18).toString('base64url');
registerSecret(clientSecret);
sandbox = await startSandbox({
	seed: 'empty',
	partSize: PART_MIB * MiB,
	transcodeDelayMs: 100,
	imsClients: [{clientId: 'soak-client', clientSecret}],
	accessTokenTtlSeconds: 3600,
});
const FAULTS = {
	errorRate: 0.1,
	rateLimitStormRate: 0.05,
	resetRate: 0.02,
	partFailureRate: 0.02,
	latencyMs: 5,
	latencyJitterMs: 40,
	slowRate: 0.02,
	slowMs: TIMEOUT_S * 1000 + 1500,
};

const env = {
	...process.env,
	FRAMEIO_API_URL: sandbox.url,
	FRAMEIO_IMS_URL: sandbox.imsUrl,
	FRAMEIO_ACCOUNT_ID: sandbox.ids.accountId,
	FRAMEIO_PROJECT_ID: sandbox.ids.projectId,
	FRAMEIO_CONFIG_DIR: configDir,
	FRAMEIO_STATE_DIR: stateDir,
	FRAMEIO_LOGS_DIR: logsDir,
	NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${path.join(ROOT, 'soak/lib/rejection-probe.mjs')}`.trim(),
	SOAK_REJECTIONS: rejectionsFile,
};
delete env.FRAMEIO_TOKEN;
delete env.FRAMEIO_DEBUG;
delete env.FRAMEIO_CLIENT_SECRET;

// Server-to-server login against the sandbox's IMS, before any fault: the uploader refreshes from it later.
{
	const {timedSpawn} = await import('../bench/lib/timed-spawn.mjs');
	const login = await timedSpawn(process.execPath, [CLI, 'login', '--client-id', 'soak-client', '--json'], {env: {...env, FRAMEIO_CLIENT_SECRET: clientSecret}, timeoutMs: 60_000});
	if (login.code !== 0) throw new Error(`login failed (${login.code}): ${login.stderr.slice(0, 300)}`);
}
sandbox.setFaults(FAULTS);

// ---- files
let serial = 0;
const expected = new Map(); // name → {sha256, size, path}

async function makeFile(sizeMib) {
	const n = serial++;
	const name = `UNDLM_SEQ${String((n % 5) + 1).padStart(2, '0')}_${String((n % 40) + 1).padStart(5, '0')}_v${String(Math.floor(n / 40) + 1).padStart(3, '0')}.mp4`;
	const size = Math.round((sizeMib ?? (MIN_MIB + Math.random() * (MAX_MIB - MIN_MIB))) * MiB) + Math.floor(Math.random() * 4096);
	const file = path.join(filesDir, name);
	const hash = createHash('sha256');
	const out = createWriteStream(file);
	for (let left = size; left > 0; ) {
		const chunk = randomBytes(Math.min(left, MiB));
		hash.update(chunk);
		if (!out.write(chunk)) await new Promise(resolve => out.once('drain', resolve));
		left -= chunk.length;
	}
	await new Promise((resolve, reject) => out.end(error => (error ? reject(error) : resolve())));
	expected.set(name, {sha256: hash.digest('hex'), size, path: file});
	return file;
}

// ---- the soak
const started = Date.now();
const endAt = started + MINUTES * 60_000;
const killAt = started + MINUTES * 60_000 * 0.35;
const expireAt = started + MINUTES * 60_000 * 0.6;
let killDone = false;
let expireDone = false;
const runs = [];
const doneEvents = new Map(); // name → count of done events
const skippedEvents = new Map();
const queuedNames = new Set();
let batchesUnfinished = 0;

const history = []; // per run: the names it queued, reported done, skipped
function tally(result) {
	history.push({run: runs.length + 1, queued: [], done: [], skipped: [], notes: []});
	const entry = history.at(-1);
	for (const event of result.events) {
		if (event.event === 'queued') entry.queued.push(`${event.name}${event.resumed ? ' (resumed)' : ''}`);
		if (event.event === 'done') entry.done.push(event.name);
		if (event.event === 'skipped') entry.skipped.push(event.name);
		if (event.event === 'note') entry.notes.push(event.message);
		if (event.event === 'queued') queuedNames.add(event.name);
		if (event.event === 'done') doneEvents.set(event.name, (doneEvents.get(event.name) ?? 0) + 1);
		if (event.event === 'skipped') skippedEvents.set(event.name, (skippedEvents.get(event.name) ?? 0) + 1);
	}
}

while (Date.now() < endAt) {
	const now = Date.now();
	const killThis = !killDone && now >= killAt;
	const expireThis = !expireDone && now >= expireAt;
	// The batch that gets killed has bigger files, so the kill lands mid-upload.
	const files = [];
	for (let i = 0; i < FILES_PER_RUN; i++) files.push(await makeFile());
	if (killThis) files.push(await makeBig());
	const names = files.map(file => path.basename(file));
	let finished = false;
	for (let attempt = 1; attempt <= ATTEMPTS && !finished; attempt++) {
		let hook;
		if (attempt === 1 && killThis) {
			hook = child => {
				child.kill('SIGKILL');
				killDone = true;
				return 'killed';
			};
		} else if (attempt === 1 && expireThis) {
			hook = () => {
				sandbox.expireAllTokens();
				expireDone = true;
			};
		}
		const result = await runUpload({cli: CLI, files, env, timeoutMs: RUN_TIMEOUT_MS, onFirstProgress: hook, hookAfterMs: 800});
		tally(result);
		runs.push({at: Date.now() - started, attempt, code: result.code, signal: result.signal, killed: result.killed, timedOut: result.timedOut, peakRss: result.peakRss, files: files.length});
		finished = names.every(name => (doneEvents.get(name) ?? 0) > 0 || (skippedEvents.get(name) ?? 0) > 0);
		if (!finished && result.code !== 0 && !result.killed) process.stdout.write(`  run ${runs.length} exited ${result.code ?? result.signal}; running the same command again\n`);
	}
	if (!finished) batchesUnfinished++;
	for (const file of files) rmSync(file, {force: true});
	process.stdout.write(`  ${Math.round((Date.now() - started) / 1000)} s: ${runs.length} runs, ${doneEvents.size} files done\n`);
}

function makeBig() {
	return makeFile(Math.max(MAX_MIB, 40));
}

// ---- checks, with the faults off
sandbox.setFaults('none');
const soakSeconds = (Date.now() - started) / 1000;

/** Every file and folder in the project, with its path. */
function walk() {
	const files = [];
	const folders = [];
	const visit = (folderId, prefix) => {
		for (const child of sandbox.store.children(folderId)) {
			if (child.type === 'folder') {
				folders.push({id: child.id, parent: folderId, name: child.name, path: `${prefix}${child.name}`});
				visit(child.id, `${prefix}${child.name}/`);
			} else {
				const record = sandbox.store.fileRecord(child.id);
				files.push({name: child.name, path: `${prefix}${child.name}`, complete: record?.complete ?? false, sha256: record?.sha256 ?? null});
			}
		}
	};
	visit(sandbox.ids.rootFolderId, '');
	return {files, folders};
}

// The last parts may still be hashing.
for (let i = 0; i < 100 && walk().files.some(file => !file.complete); i++) await new Promise(resolve => setTimeout(resolve, 100));
const {files: remote, folders} = walk();
const byName = new Map();
for (const file of remote) byName.set(file.name, [...(byName.get(file.name) ?? []), file]);
let byteExact = 0;
let duplicateFiles = 0;
let missing = 0;
for (const [name, want] of expected) {
	const copies = byName.get(name) ?? [];
	if (copies.length === 0) missing++;
	duplicateFiles += Math.max(0, copies.length - 1);
	if (copies.length === 1 && copies[0].complete && copies[0].sha256 === want.sha256) byteExact++;
}
const folderKeys = new Map();
for (const folder of folders) folderKeys.set(`${folder.parent}/${folder.name}`, (folderKeys.get(`${folder.parent}/${folder.name}`) ?? 0) + 1);
const duplicateFolders = [...folderKeys.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
const doneMoreThanOnce = [...doneEvents.values()].filter(count => count > 1).length;
const finishedOnce = [...expected.keys()].filter(name => doneEvents.get(name) === 1).length;

const rejections = existsSync(rejectionsFile) ? readFileSync(rejectionsFile, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line)) : [];

// Breaker changes, from the uploaders' structured logs.
let breakerOpens = 0;
let breakerCloses = 0;
for (const file of readdirSync(logsDir).filter(name => name.endsWith('.log') && name.startsWith('frameio_admin'))) {
	for (const line of readFileSync(path.join(logsDir, file), 'utf8').split('\n')) {
		if (!line.includes('Circuit breaker')) continue;
		if (/Circuit breaker open/.test(line)) breakerOpens++;
		else if (/Circuit breaker closed/.test(line)) breakerCloses++;
	}
}

// RSS growth: each run is a fresh process, so growth shows as later runs needing more (state files, logs and the
// cache snapshot grow with the soak). Killed and timed-out runs are left out.
const clean = runs.filter(run => !run.killed && !run.timedOut && run.peakRss > 0);
const quarter = Math.max(1, Math.floor(clean.length / 4));
const firstRss = median(clean.slice(0, quarter).map(run => run.peakRss));
const lastRss = median(clean.slice(-quarter).map(run => run.peakRss));
const faulted = sandbox.requests.filter(request => request.faulted).length;
// The login took one token; every later one is an uploader refreshing (the expiry, or a 401 after it).
const imsTokenCalls = sandbox.requests.filter(request => request.path.startsWith('/ims/token')).length;
const unauthorized = sandbox.requests.filter(request => request.status === 401).length;

report.figure('soak time', soakSeconds / 60, 'min', undefined, `${runs.length} uploader runs, ${clean.length} ran to their end`);
report.figure('uploads started (files queued)', queuedNames.size, '', undefined, `${expected.size} files made`);
report.figure('uploads finished exactly once (one done event)', finishedOnce, `of ${expected.size}`, {op: '==', value: expected.size});
report.figure('uploads byte-exact on the sandbox', byteExact, `of ${expected.size}`, {op: '==', value: expected.size});
report.figure('files reported done more than once', doneMoreThanOnce, '', {op: '==', value: 0});
report.figure('duplicate files created', duplicateFiles, '', {op: '==', value: 0});
report.figure('duplicate folders created', duplicateFolders, '', {op: '==', value: 0}, `${folders.length} folders`);
report.figure('files missing on the sandbox', missing, '', {op: '==', value: 0});
report.figure('batches unfinished after every attempt', batchesUnfinished, '', {op: '==', value: 0}, `${ATTEMPTS} attempts each`);
report.figure('unhandled rejections', rejections.length, '', {op: '==', value: 0});
report.figure('uploader peak RSS, first quarter of runs (median)', firstRss / 1e6, 'MB');
report.figure('uploader peak RSS, last quarter of runs (median)', lastRss / 1e6, 'MB');
report.figure('RSS growth over the run', ((lastRss - firstRss) / firstRss) * 100, '%', {op: '<', value: 10});
report.figure('circuit breaker opens', breakerOpens, '');
report.figure('circuit breaker closes', breakerCloses, '');
report.figure('runs that exited non-zero (then rerun)', runs.filter(run => run.code !== 0 && !run.killed).length, '');
report.figure('kill -9 of an uploader mid-upload', killDone ? 1 : 0, '', {op: '==', value: 1});
report.figure('token expiry mid-upload', expireDone ? 1 : 0, '', {op: '==', value: 1});
report.figure('IMS token requests after the login (refreshes)', imsTokenCalls - 1, '', {op: '>=', value: 1}, `${unauthorized} API answers were 401`);
report.figure('requests with an injected fault', faulted, '', undefined, `of ${sandbox.requests.length} recorded`);
report.note(
	`Faults: 10 % 5xx, 5 % 429, 2 % resets, 2 % part failures, 5–45 ms latency, 2 % spikes of ${FAULTS.slowMs} ms past the ${TIMEOUT_S} s request timeout. ${FILES_PER_RUN} files of ${MIN_MIB}–${MAX_MIB} MiB per run, ${PART_MIB} MiB parts; the uploader logs in with client credentials against the sandbox's IMS.`,
);
// Where a file was reported done twice: the runs that did it, for the note.
for (const [name, count] of [...doneEvents].filter(([, count]) => count > 1).slice(0, 3)) {
	const where = history.filter(entry => entry.done.includes(name)).map(entry => `run ${entry.run} (${runs[entry.run - 1]?.killed ? 'killed, ' : ''}exit ${runs[entry.run - 1]?.code}, attempt ${runs[entry.run - 1]?.attempt})`);
	report.note(`${name} reported done ${count} times: ${where.join(', ')}`);
}
if (process.env.SOAK_HISTORY) writeFileSync(process.env.SOAK_HISTORY, JSON.stringify({history, runs}, null, 1));
for (const rejection of rejections.slice(0, 3)) report.note(`unhandled rejection: ${rejection.reason.replace(/[A-Za-z0-9_-]{24,}/g, '…')}`);

await sandbox.close();
stop();
report.write({runs: runs.map(run => ({...run, peakRss: Math.round(run.peakRss / 1e6)}))});
writeReadme();
