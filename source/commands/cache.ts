// `frameio-admin cache stats|clear`: the seed's cache commands, on the same snapshot a running console uses.
// No network, no Ink: it only opens the snapshot file.
import {createInterface} from 'node:readline';
import path from 'node:path';
import {openCacheApp, otherCaches, type CacheApp, type OtherCache} from '../app/cache-app.js';
import {describeIdentity, originHost} from '../config/profiles.js';
import {CacheWriteError, displayedTypes, type ApiCache, type CacheStats, type PurgeOptions} from '../cache/index.js';
import {resolvePaths} from '../config/paths.js';
import {unknownWord} from '../format/suggest.js';
import {defineCommand, EXIT, UsageError, type Io} from './kit/command.js';
import {formatStatsTable} from '../cache/stats-format.js';
import {formatDuration} from '../format/duration.js';
import {formatBytes} from '../format/bytes.js';

const usage = `Usage
    $ frameio-admin cache stats                 entries by type, hits, misses, hit rate, bytes, oldest entry, TTLs
    $ frameio-admin cache clear                 remove every entry (asks first on a terminal; elsewhere needs --yes)
    $ frameio-admin cache clear --pattern P     remove the keys that contain P (e.g. folder_, projects_, structure_)
    $ frameio-admin cache clear --expired       remove the entries past their TTL (also: --pattern expired)

  Options
    --pattern P    Only keys containing P (with --expired: only expired keys containing P)
    --expired      Only expired entries
    --dry-run      List what would be removed, remove nothing
    --yes, -y      Do not ask before clearing everything (required without a terminal)

  Keys are <type>_<id>: accounts_all, workspaces_<account>, projects_<workspace>, folder_<id> (a folder),
  folder_<id>_children (its listing), structure_<project>, file_<id>, nomenclature_<name>.
  A console running at the same time sees a clear within about a second; in farm mode (FRAMEIO_REDIS_URL) so does
  every node of the farm, and the entries shared in Redis go too.`;

export default defineCommand({
	help: `frameio-admin cache: the API-response cache shared by the console and the commands

  ${usage}`,
	flags: {
		pattern: {type: 'string'},
		expired: {type: 'boolean', default: false},
		dryRun: {type: 'boolean', default: false},
		yes: {type: 'boolean', shortFlag: 'y', default: false},
	},
	async run(cli, io) {
		const [sub, ...extra] = cli.input;
		const flags = cli.flags;
		if (sub !== 'stats' && sub !== 'clear') {
			throw new UsageError(`${sub ? unknownWord('cache command', sub, ['stats', 'clear']) : 'missing cache command'}\n\n  ${usage}`);
		}
		if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"\n\n  ${usage}`);
		if (sub === 'stats' && (flags.pattern !== undefined || flags.expired || flags.dryRun || flags.yes)) {
			throw new UsageError('--pattern, --expired, --dry-run and --yes belong to "cache clear"');
		}
		if (flags.pattern !== undefined && flags.pattern.length === 0) throw new UsageError('--pattern needs a non-empty value (a substring of the keys to remove)');

		const paths = resolvePaths(flags);
		const readOnly = sub === 'stats' || flags.dryRun;
		const app = await openCacheApp({paths, sandbox: flags.sandbox, readOnly, cacheOptions: {sweepOnOpen: false, pollIntervalMs: 0}});
		const {cache} = app;
		const config = app.config.optimization;
		try {
			if (cache.lastLoad.status === 'corrupt') {
				io.stderr.write(`warning: the cache snapshot was corrupt (${cache.lastLoad.reason})${cache.lastLoad.setAsidePath ? `; moved to ${cache.lastLoad.setAsidePath}` : ''}\n`);
			}
			const which = whichCache(app);
			if (sub === 'stats') {
				const others = await otherCaches({paths, config: app.config, current: app.snapshotFile ? path.dirname(app.snapshotFile) : null});
				return printStats(io, cache.stats(), {which, others, json: flags.json, windowHours: config.cache_invalidation.max_cache_age_hours});
			}
			const options = {pattern: flags.pattern, expired: flags.expired, dryRun: flags.dryRun, yes: flags.yes, json: flags.json};
			const purge = {all: flags.pattern === undefined && !flags.expired, pattern: flags.pattern, expired: flags.expired};
			return await clear(io, cache, options, which, () => otherCaches({paths, config: app.config, current: app.snapshotFile ? path.dirname(app.snapshotFile) : null, purge}));
		} finally {
			await app.close();
		}
	},
});

type WhichCache = {label: string; snapshot: string | null};

/** The cache this command reads: the sandbox's (--sandbox), or the last user seen on the configured API. */
function whichCache(app: CacheApp): WhichCache {
	if (app.identity) return {label: describeIdentity(app.identity), snapshot: app.snapshotFile};
	return {label: `${originHost(app.origin)} (no user seen there yet: run a command against it first)`, snapshot: null};
}

function othersLines(others: readonly OtherCache[], what: (other: OtherCache) => string): string[] {
	return others.map(other => `  ${other.label}: ${what(other)}; ${other.reach}`);
}

function printStats(io: Io, stats: CacheStats, options: {which: WhichCache; others: OtherCache[]; json: boolean; windowHours: number}): number {
	const {which, others} = options;
	if (options.json) {
		io.stdout.write(`${JSON.stringify({cache: which.label, snapshot: which.snapshot, ...stats, others: others.map(({label, entries, reach}) => ({cache: label, entries, reach}))}, null, 2)}\n`);
		return EXIT.ok;
	}
	const hitRate = stats.hitRate === null ? 'n/a (no lookups recorded)' : `${(stats.hitRate * 100).toFixed(1)} %`;
	const lines = [
		`Cache of ${which.label}${which.snapshot ? `: ${which.snapshot}` : ''}`,
		'',
		formatStatsTable(stats, displayedTypes),
		'',
		`Hits ${stats.hits}, misses ${stats.misses}, hit rate ${hitRate}  (every process, last ${options.windowHours} h)`,
		`Size ≈ ${formatBytes(stats.bytes)}; oldest entry ${stats.oldestAgeMs === null ? 'n/a' : `${formatDuration(stats.oldestAgeMs)} old`}`,
	];
	if (others.length > 0) lines.push('', 'Other caches in this state dir:', ...othersLines(others, other => `${other.entries} ${plural(other.entries)}`));
	io.stdout.write(`${lines.join('\n')}\n`);
	return EXIT.ok;
}

async function clear(
	io: Io,
	cache: ApiCache,
	options: {pattern?: string; expired: boolean; dryRun: boolean; yes: boolean; json: boolean},
	which: WhichCache,
	others: () => Promise<OtherCache[]>,
): Promise<number> {
	const all = options.pattern === undefined && !options.expired;
	const what = describe(options.pattern, options.expired);
	const purge: PurgeOptions = {all, pattern: options.pattern, expired: options.expired, dryRun: options.dryRun};
	if (all && !options.dryRun && !options.yes) {
		// A pipe or cron has no one to confirm: `echo n | cache clear` must not be read as consent (or its absence
		// as consent). Refusing leaves the cache whole and tells a script the one flag that says it means it.
		if (!io.stdin.isTTY) {
			throw new UsageError(`cache clear removes all ${cache.size} entries of ${which.label}: without a terminal to confirm on, add --yes (or --dry-run to list them, --pattern P or --expired to remove fewer); nothing removed`);
		}
		const answer = await ask(io, `Clear all ${cache.size} entries of ${which.label}? [y/N] `);
		if (!/^y(es)?$/i.test(answer.trim())) {
			if (options.json) io.stdout.write(`${JSON.stringify({cancelled: true, count: 0, removed: []})}\n`);
			else io.stdout.write('Cancelled; nothing removed.\n');
			return EXIT.failed;
		}
	}
	const {removed} = cache.purge(purge);
	if (!options.dryRun) {
		try {
			await cache.persist();
		} catch (error) {
			// Removed here only, not in the files every process reads: saying "Removed" would be a lie.
			if (!(error instanceof CacheWriteError)) throw error;
			io.stderr.write(`frameio-admin: cache clear failed: ${error.message}; nothing was removed\n`);
			return EXIT.failed;
		}
	}
	// Nothing here, but the same purge would find keys in another identity's cache: say which, and how to reach it.
	const elsewhere = removed.length === 0 ? (await others()).filter(other => (other.matching ?? 0) > 0) : [];
	if (options.json) {
		io.stdout.write(
			`${JSON.stringify({cache: which.label, dryRun: options.dryRun, all, pattern: options.pattern ?? null, expired: options.expired || options.pattern === 'expired', count: removed.length, removed, elsewhere: elsewhere.map(({label, matching, reach}) => ({cache: label, matching, reach}))}, null, 2)}\n`,
		);
		return EXIT.ok;
	}
	if (options.dryRun) {
		io.stdout.write(`Would remove ${removed.length} ${plural(removed.length)} (${what}) from the cache of ${which.label}:\n${removed.map(key => `  ${key}\n`).join('')}`);
	} else {
		io.stdout.write(`Removed ${removed.length} ${plural(removed.length)} (${what}) from the cache of ${which.label}.\n`);
	}
	if (elsewhere.length > 0) io.stdout.write(['Other caches hold matching keys:', ...othersLines(elsewhere, other => `${other.matching} ${plural(other.matching ?? 0)}`)].join('\n') + '\n');
	return EXIT.ok;
}

const plural = (n: number) => (n === 1 ? 'key' : 'keys');

function describe(pattern: string | undefined, expired: boolean): string {
	if (pattern === 'expired') return 'expired';
	if (pattern !== undefined) return expired ? `expired, containing "${pattern}"` : `containing "${pattern}"`;
	return expired ? 'expired' : 'all';
}

/** One line from stdin; end of input counts as "no". */
function ask(io: Io, question: string): Promise<string> {
	return new Promise(resolve => {
		const rl = createInterface({input: io.stdin, terminal: false});
		let answered = false;
		io.stderr.write(question);
		rl.once('line', line => {
			answered = true;
			rl.close();
			resolve(line);
		});
		rl.once('close', () => {
			if (!answered) resolve('');
		});
	});
}
