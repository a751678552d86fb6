// Cache: get/set throughput on the hit path, the console's reads (rows(), entries(), stats()) at 100 000 keys, and
// the persistence cost of a 100 000-key cache (snapshot + journal): the first write, one change (a journal
// append), a counter flush, another process's purge picked up by the poll, a compaction and a reader following
// it, the load at open, each with the longest event-loop stall it causes (the console runs on the same loop), and
// ten seconds of console-like use (pane reads, sets, polls, another process writing) with its longest stall.
// Flags: --keys N (default 100000), --seconds S per throughput loop (default 1.5).
import {statSync} from 'node:fs';
import path from 'node:path';
import {monitorEventLoopDelay, performance} from 'node:perf_hooks';
import {deadline, distHas, importDist, median, parseFlags, sleep, tempDir} from './lib/common.mjs';
import {Report} from './lib/report.mjs';

const flags = parseFlags();
const KEYS = Math.max(1000, Math.min(1_000_000, Number(flags.keys ?? 100_000)));
const SECONDS = Math.max(0.2, Math.min(10, Number(flags.seconds ?? 1.5)));
const report = new Report('cache', `API cache at ${KEYS.toLocaleString('en')} keys`);
const stop = deadline(240_000, () => report.write());

if (!distHas('cache/index.js')) {
	report.skip('cache', 'dist/cache missing: run `npm run build`');
	report.write();
	process.exit(0);
}

const {ApiCache, cacheKeys, cacheSnapshotPath, cacheJournalPath} = await importDist('cache/index.js');
const {defaultConfig} = await importDist('config/index.js');
const {EventBus} = await importDist('events/index.js');
const config = defaultConfig().optimization;

/** A folder record the size the API sends (~400 bytes of JSON). */
function folderValue(i) {
	const id = `f${String(i).padStart(8, '0')}-5b1c-4c1e-9f0a-2f6a1d3c4b5e`;
	return {
		id,
		name: `UNDLM_${String(i % 100_000).padStart(5, '0')}`,
		type: 'folder',
		parent_id: 'a1b2c3d4-0000-4000-8000-000000000001',
		project_id: 'a1b2c3d4-0000-4000-8000-000000000002',
		view_url: `https://next.frame.io/project/a1b2c3d4-0000-4000-8000-000000000002/view/${id}`,
		cover_file_id: null,
		created_at: '2025-01-07T14:30:15.000Z',
		updated_at: '2025-01-07T14:30:15.000Z',
	};
}

const keyOf = i => cacheKeys.folder(`f${String(i).padStart(8, '0')}`);

/** Runs fn(i) in a loop for about `seconds` (and at most maxOps) and returns ops per second. */
function throughput(fn, seconds = SECONDS, maxOps = 50_000_000) {
	// Warm up the JIT.
	for (let i = 0; i < 10_000; i++) fn(i);
	const until = performance.now() + seconds * 1000;
	let ops = 0;
	const started = performance.now();
	while (ops < maxOps) {
		for (let j = 0; j < 1000; j++) fn(ops + j);
		ops += 1000;
		if (performance.now() >= until) break;
	}
	return ops / ((performance.now() - started) / 1000);
}

/** Runs an async step while a 1 ms ticker measures the longest gap between ticks (the event loop blocked). */
async function timedWithStall(step) {
	let last = performance.now();
	let longest = 0;
	const ticker = setInterval(() => {
		const now = performance.now();
		longest = Math.max(longest, now - last);
		last = now;
	}, 1);
	const started = performance.now();
	try {
		await step();
	} finally {
		clearInterval(ticker);
	}
	const ms = performance.now() - started;
	longest = Math.max(longest, performance.now() - last);
	return {ms, stallMs: longest};
}

function populate(cache) {
	for (let i = 0; i < KEYS; i++) cache.set(keyOf(i), folderValue(i));
}

// ---- hit path, in memory
{
	const cache = new ApiCache({config});
	await cache.open();
	populate(cache);
	let sink = 0;
	const n = KEYS;
	const getOps = throughput(i => {
		// A stride through the keys, so lookups are not one hot key.
		sink += cache.get(keyOf((i * 7919) % n)) ? 1 : 0;
	});
	report.figure('get, hit path (no event bus)', getOps, 'ops/s', {op: '>=', value: 100_000}, 'derived budget: 100k lookups/s leaves the API as the only bottleneck');
	const setOps = throughput(i => cache.set(keyOf((i * 7919) % n), folderValue(i)));
	report.figure('set, overwrite (no event bus)', setOps, 'ops/s', {op: '>=', value: 20_000}, 'derived budget; JSON.stringify of a ~400 B folder record per set');
	if (sink === 0) throw new Error('no hits: the bench is broken');
	await cache.close();
}
{
	// As the runtime builds it: every lookup emits a typed event to the bus that metrics listens to.
	const bus = new EventBus();
	let events = 0;
	bus.on(() => events++);
	const cache = new ApiCache({config, bus});
	await cache.open();
	populate(cache);
	const getOps = throughput(i => cache.get(keyOf((i * 7919) % KEYS)));
	report.figure('get, hit path (event bus with one listener)', getOps, 'ops/s', {op: '>=', value: 100_000});
	if (events === 0) throw new Error('no events: the bench is broken');
	await cache.close();
}

// ---- console reads at KEYS keys
{
	const cache = new ApiCache({config});
	await cache.open();
	populate(cache);
	const entriesMs = [];
	const statsMs = [];
	const rowsChangedMs = [];
	const rowsSameMs = [];
	for (let i = 0; i < 7; i++) {
		let started = performance.now();
		const rows = cache.entries();
		entriesMs.push(performance.now() - started);
		if (rows.length !== KEYS) throw new Error(`entries() gave ${rows.length}`);
		started = performance.now();
		cache.stats();
		statsMs.push(performance.now() - started);
		// What the Cache pane reads after a change: the row array rebuilt once (the rows themselves are kept).
		cache.set(keyOf(i), folderValue(i));
		started = performance.now();
		const changed = cache.rows();
		rowsChangedMs.push(performance.now() - started);
		started = performance.now();
		const same = cache.rows();
		rowsSameMs.push(performance.now() - started);
		if (changed.length !== KEYS || same !== changed) throw new Error('rows() is not memoized');
	}
	report.figure(`entries() at ${KEYS} keys (median of 7)`, median(entriesMs), 'ms', {op: '<=', value: 50}, 'derived: one console refresh must fit the 50 ms keystroke budget; the console now reads rows()');
	report.figure(`rows() at ${KEYS} keys after a change (median of 7)`, median(rowsChangedMs), 'ms', {op: '<=', value: 50}, 'what the Cache pane reads, at most every 250 ms while the cache changes');
	report.figure(`rows() at ${KEYS} keys, nothing changed (median of 7)`, median(rowsSameMs), 'ms', undefined, 'the same array back');
	report.figure(`stats() at ${KEYS} keys (median of 7)`, median(statsMs), 'ms', {op: '<=', value: 50});
	const purgeStarted = performance.now();
	const dry = cache.purge({pattern: 'folder_f0000', dryRun: true});
	report.figure('purge --pattern dry run (preview count)', performance.now() - purgeStarted, 'ms', undefined, `${dry.removed.length} matching keys`);
	await cache.close();
}

// ---- persistence
{
	const stateDir = tempDir('cache-state');
	const file = cacheSnapshotPath(stateDir);
	const journal = cacheJournalPath(file);
	const size = path => statSync(path).size;
	const options = {config, snapshotFile: file, pollIntervalMs: 0, flushDelayMs: 60_000, counterFlushMs: 60_000};
	const writer = new ApiCache(options);
	await writer.open();
	populate(writer);
	// No files yet: the first flush writes the whole state as a snapshot (the same work as a compaction).
	const first = await timedWithStall(() => writer.flush());
	const bytes = size(file);
	report.figure(`snapshot write, ${KEYS} keys (first flush)`, first.ms, 'ms', {op: '<=', value: 2000}, `${(bytes / 1024 ** 2).toFixed(1)} MiB file, written in pieces; derived budget`);
	report.figure('  longest event-loop stall during that write', first.stallMs, 'ms', {op: '<=', value: 250}, 'derived: the console must stay responsive');

	const journalBefore = size(journal);
	writer.set(keyOf(1), folderValue(1));
	const incremental = await timedWithStall(() => writer.flush());
	report.figure(`snapshot write after 1 change at ${KEYS} keys`, incremental.ms, 'ms', {op: '<=', value: 2000}, `a journal append of ${size(journal) - journalBefore} B (before the journal, the whole file was rewritten)`);
	report.figure('  longest event-loop stall during that write', incremental.stallMs, 'ms');

	const batchBefore = size(journal);
	for (let i = 0; i < 100; i++) writer.set(keyOf(i), folderValue(i));
	const batch = await timedWithStall(() => writer.flush());
	report.figure(`journal append, 100 changes at ${KEYS} keys`, batch.ms, 'ms', undefined, `${size(journal) - batchBefore} B appended`);

	// Lookups counted: their counter goes to the journal as one small line, not into the snapshot.
	writer.get(keyOf(2));
	writer.get('folder_absent');
	const countersBefore = size(journal);
	const counters = await timedWithStall(() => writer.flush());
	report.figure(`counter flush at ${KEYS} keys`, counters.ms, 'ms', undefined, `${size(journal) - countersBefore} B appended (before: the whole snapshot rewritten)`);
	report.figure('  longest event-loop stall during that flush', counters.stallMs, 'ms');

	const loads = [];
	const loadStalls = [];
	for (let i = 0; i < 3; i++) {
		const reader = new ApiCache({...options, readOnly: true});
		const load = await timedWithStall(() => reader.open());
		if (reader.size !== KEYS) throw new Error(`loaded ${reader.size} keys`);
		loads.push(load.ms);
		loadStalls.push(load.stallMs);
		await reader.close();
	}
	report.figure(`snapshot load at open(), ${KEYS} keys (median of 3)`, median(loads), 'ms', {op: '<=', value: 2000}, 'derived budget; decoded line by line in slices');
	report.figure('  longest event-loop stall during that load', median(loadStalls), 'ms', {op: '<=', value: 250}, 'derived: the console draws and answers keys while it loads');

	// A second process (here: a second instance with its own writer id) purges; the first picks it up.
	const console_ = new ApiCache(options);
	await console_.open();
	const idle = await timedWithStall(() => console_.refresh());
	report.figure('journal poll with nothing new', idle.ms, 'ms', undefined, 'one stat of the journal; the console does this every 500 ms');
	const cli = new ApiCache(options);
	await cli.open();
	const purged = cli.purge({pattern: 'folder_f0000001'});
	await cli.flush();
	let seen = 0;
	const off = console_.onChange(change => {
		if (change.origin === 'external') seen += change.keys.length;
	});
	const merge = await timedWithStall(() => console_.refresh());
	off();
	report.figure(`another process's purge picked up (refresh at ${KEYS} keys)`, merge.ms, 'ms', undefined, `${seen} of ${purged.removed.length} purged keys seen; reads only the journal's new bytes`);
	report.figure('  longest event-loop stall during that refresh', merge.stallMs, 'ms', {op: '<=', value: 250}, 'derived: the console polls every 500 ms and must stay responsive');
	if (seen !== purged.removed.length) report.note(`the refresh saw ${seen} keys removed, expected ${purged.removed.length}`);

	// Compaction: a process whose bound is 0 folds the journal into a new snapshot generation on its next write.
	const compactor = new ApiCache({...options, compactMinBytes: 0, compactRatio: 0});
	await compactor.open();
	compactor.set(keyOf(3), folderValue(3));
	const journalBeforeCompaction = size(journal);
	const compaction = await timedWithStall(() => compactor.flush());
	report.figure(`compaction at ${KEYS} keys (new snapshot generation)`, compaction.ms, 'ms', {op: '<=', value: 2000}, `a ${(journalBeforeCompaction / 1024).toFixed(0)} KiB journal folded into a ${(size(file) / 1024 ** 2).toFixed(1)} MiB snapshot; derived budget`);
	report.figure('  longest event-loop stall during that compaction', compaction.stallMs, 'ms', {op: '<=', value: 250}, 'derived');

	// The console was in the previous journal: it finishes it (kept as .prev) and follows the new one, without
	// reading the new snapshot.
	let followed = 0;
	const offFollow = console_.onChange(change => {
		if (change.origin === 'external') followed += change.keys.length;
	});
	const follow = await timedWithStall(() => console_.refresh());
	offFollow();
	report.figure(`reader follows another process's compaction (refresh at ${KEYS} keys)`, follow.ms, 'ms', undefined, `${followed} changed key seen; no snapshot re-read`);
	report.figure('  longest event-loop stall during that refresh', follow.stallMs, 'ms', {op: '<=', value: 250}, 'derived');
	if (console_.size !== compactor.size) report.note(`after following the compaction the reader holds ${console_.size} keys, the compactor ${compactor.size}`);

	// The console's steady state, ~10 s: its own lookups and sets, the Cache pane reading stats() and rows() ten
	// times a second, the poller at 500 ms, and another process appending (and purging) every second.
	const live = new ApiCache({...options, pollIntervalMs: 500, flushDelayMs: 250, counterFlushMs: 2000});
	await live.open();
	const histogram = monitorEventLoopDelay({resolution: 5});
	histogram.enable();
	let lastTick = performance.now();
	let longest = 0;
	const ticker = setInterval(() => {
		const now = performance.now();
		longest = Math.max(longest, now - lastTick);
		lastTick = now;
	}, 5);
	const until = performance.now() + 10_000;
	for (let n = 0; performance.now() < until; n++) {
		live.stats();
		live.rows();
		live.get(keyOf(n % KEYS));
		if (n % 5 === 0) live.set(keyOf((n * 13) % KEYS), folderValue(n));
		if (n % 10 === 0) {
			cli.set(cacheKeys.folder(`other${n}`), folderValue(n));
			if (n % 30 === 0) cli.purge({pattern: `other${n - 30}`});
			await cli.flush();
		}
		await sleep(100);
	}
	clearInterval(ticker);
	histogram.disable();
	report.figure(`console-like use at ${KEYS} keys for 10 s: longest event-loop stall`, longest, 'ms', {op: '<=', value: 50}, 'derived: a keystroke must fit 50 ms; pane reads 10/s, sets, polls, another process appending and purging');
	report.figure('  event-loop delay p99 during that use', histogram.percentile(99) / 1e6, 'ms');
	await Promise.all([console_.close(), cli.close(), writer.close(), compactor.close(), live.close()]);
}

report.note('Derived budgets (issue 7 names the measurements, not numbers for the cache) are marked "derived"; the stalls matter because the console runs on the same event loop.');
stop();
report.write();
