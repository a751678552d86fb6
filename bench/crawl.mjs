// Structure crawl: a project of 10 000 folders (100 scenes × 100 shots under WIP_BYSHOT, built in the sandbox's
// store directly) crawled with the sandbox enforcing Frame.io's published limits. Limits are scaled so the crawl
// takes about --seconds (the client gets the same scale, as it would from a scaled sandbox target). Figures: the
// achieved request rate of the busiest endpoint class as a fraction of what its leaky bucket allows over the run
// (capacity + rate × time), and the 429s (budget 0).
// Flags: --scenes N (100), --shots N (100), --seconds S (30), --concurrency N (8, fallback crawler only).
import {performance} from 'node:perf_hooks';
import {deadline, distHas, importDist, parseFlags} from './lib/common.mjs';
import {Report} from './lib/report.mjs';
import {startSandboxProcess} from './lib/sandbox-proc.mjs';
import {structureCrawler} from './lib/structure-adapter.mjs';

const flags = parseFlags();
const SCENES = Math.max(1, Math.min(1000, Number(flags.scenes ?? 100)));
const SHOTS = Math.max(1, Math.min(1000, Number(flags.shots ?? 100)));
const TARGET_S = Math.max(5, Math.min(600, Number(flags.seconds ?? 30)));
const CONCURRENCY = Math.max(1, Math.min(64, Number(flags.concurrency ?? 8)));
const report = new Report('crawl', `Structure crawl of ${(SCENES * SHOTS + SCENES).toLocaleString('en')} folders under published rate limits`);
let sandbox;
const stop = deadline(Math.max(180_000, TARGET_S * 6_000), async () => {
	report.write();
	await sandbox?.close();
});

if (!distHas('frameio/index.js') || !distHas('sandbox/index.js')) {
	report.skip('achieved rate / allowed rate', 'dist/frameio or dist/sandbox missing: run `npm run build`', {op: '>=', value: 0.9});
	report.write();
	process.exit(0);
}

const frameio = await importDist('frameio/index.js');
const {defaultConfig} = await importDist('config/index.js');
const crawler = await structureCrawler();

function clientFor(target, scale) {
	const base = defaultConfig().optimization;
	// Our own global limit (rate_limiting) scales with the published ones, so their ratio is the real one.
	const config = {
		...base,
		rate_limiting: {...base.rate_limiting, requests_per_second: base.rate_limiting.requests_per_second * scale, burst_size: Math.max(1, Math.round(base.rate_limiting.burst_size * scale))},
	};
	return {config, client: frameio.createFrameioClient({baseUrl: target.url, auth: new frameio.EnvTokenProvider(target.token), config, rateLimitScale: scale})};
}

/** Requests of the crawl grouped by the client's endpoint classes. */
function byClass(requests) {
	const classes = new Map();
	for (const request of requests) {
		const endpointClass = frameio.classifyRequest(request.method, request.path);
		const row = classes.get(endpointClass) ?? {count: 0, rejected: 0, first: Infinity, last: -Infinity};
		row.count++;
		if (request.status === 429) row.rejected++;
		row.first = Math.min(row.first, request.at);
		row.last = Math.max(row.last, request.at);
		classes.set(endpointClass, row);
	}
	return classes;
}

async function crawl(scale, scenes, shots) {
	const target = await startSandboxProcess({seed: 'empty', enforceRateLimits: true, rateLimitScale: scale});
	sandbox = target;
	const built = await target.call('tree', {parentId: target.ids.wipFolderId, scenes, shots});
	const {client, config} = clientFor(target, scale);
	await target.call('clearRequests');
	const since = Date.now();
	const started = performance.now();
	const found = await crawler.crawl({client, ids: target.ids, concurrency: CONCURRENCY});
	const seconds = (performance.now() - started) / 1000;
	const requests = await target.call('requests', {since, prefix: '/v4/'});
	client.close();
	await target.close();
	sandbox = undefined;
	return {built, found, seconds, requests, classes: byClass(requests), config};
}

// Calibration: a small tree at a generous scale says which endpoint class the crawl leans on.
const probe = await crawl(50, 2, 5);
const [busiestClass] = [...probe.classes].sort((a, b) => b[1].count - a[1].count)[0];
const published = frameio.PUBLISHED_LIMITS[busiestClass];
const perFolder = probe.classes.get(busiestClass).count / (probe.built.folders + 1);
const expected = perFolder * (SCENES * SHOTS + SCENES + 1);
// The bucket holds a whole window of requests (capacity = limit × scale drains in windowMs), so over a crawl of
// T seconds the server allows capacity + rate × T = rate × (window + T): choose the rate that makes that the crawl.
const windowS = published.windowMs / 1000;
const scale = Math.max(0.05, expected / (windowS + TARGET_S) / (published.limit / windowS));
report.note(
	`crawler: ${crawler.label}; busiest class ${busiestClass} (${published.limit} per ${published.windowMs / 1000} s published), ~${perFolder.toFixed(2)} requests per folder; rateLimitScale ${scale.toFixed(1)} for a ~${TARGET_S} s crawl`,
);

const run = await crawl(scale, SCENES, SHOTS);
const row = run.classes.get(busiestClass);
const capacity = Math.max(1, Math.floor(published.limit * scale));
const perSecond = (published.limit * scale) / (published.windowMs / 1000);
const allowed = capacity + perSecond * run.seconds;
const rejected = run.requests.filter(request => request.status === 429).length;
const failed = run.requests.filter(request => request.status >= 500 || request.status === 0).length;

report.figure('folders found by the crawl', run.found, '', {op: '==', value: run.built.folders}, `${run.built.folders} built`);
report.figure('crawl time', run.seconds, 's');
report.figure(`requests of the busiest class (${busiestClass})`, row.count, '');
report.figure('achieved rate', row.count / run.seconds, 'req/s', undefined, `allowed ${perSecond.toFixed(1)} req/s + burst ${capacity}`);
report.figure('achieved / allowed (busiest class)', row.count / allowed, '', {op: '>=', value: 0.9}, 'allowed = capacity + rate × crawl time');
// Our own global limit (rate_limiting, scaled alike) may bind during the burst: the tighter of the two bounds.
const globalRps = run.config.rate_limiting.requests_per_second;
const globalAllowed = run.config.rate_limiting.burst_size + globalRps * run.seconds;
report.figure('achieved / min(server allows, our global limit allows)', row.count / Math.min(allowed, globalAllowed), '', undefined, `global ${globalRps.toFixed(0)} req/s, burst ${run.config.rate_limiting.burst_size}`);
// After the burst: the last third of the crawl, where only the drain rate can carry it.
const firstAt = Math.min(...run.requests.map(request => request.at));
const lastAt = Math.max(...run.requests.map(request => request.at));
const tailFrom = firstAt + ((lastAt - firstAt) * 2) / 3;
const tail = run.requests.filter(request => request.at >= tailFrom && frameio.classifyRequest(request.method, request.path) === busiestClass).length;
const tailSeconds = (lastAt - tailFrom) / 1000;
if (tailSeconds > 1) report.figure('steady-state rate / drain rate (last third)', tail / tailSeconds / perSecond, '', undefined, `${(tail / tailSeconds).toFixed(1)} of ${perSecond.toFixed(1)} req/s`);
report.figure('429 responses', rejected, '', {op: '==', value: 0});
report.figure('5xx / reset responses', failed, '');
for (const [name, other] of run.classes) {
	if (name !== busiestClass) report.figure(`  other class ${name}`, other.count, 'requests');
}

stop();
report.write();
