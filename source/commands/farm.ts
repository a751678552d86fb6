// `frameio-admin farm`: the farm as the console's Farm tab shows it, once, for a terminal or a script: every live
// process from its heartbeat, the farm's totals, the shared buckets' levels, the uploads in progress and the alerts.
// Read-only. The farm is the one this process would join: its Redis (FRAMEIO_REDIS_URL or farm.redis_url) and its
// namespace, the API user the token acts as (asked of the API, or the last one seen when the API is out of reach).
import {openApp, type App} from '../app/open-app.js';
import {FarmReadError, farmSettingsOf, openFarmView, SANDBOX_FARM_OFF_REASON, type FarmOnView, type FarmViewHandle} from '../app/farm-view.js';
import {bucketLevel, bucketsLine, farmLine, healthLabel, uploadsLine} from '../app/farm-lines.js';
import {loadConfig} from '../config/index.js';
import {resolvePaths} from '../config/paths.js';
import {describeFailure} from '../frameio/describe-failure.js';
import {formatBytes} from '../format/bytes.js';
import {formatAge} from '../format/duration.js';
import {formatCount} from '../format/number.js';
import {formatProgress} from '../format/percent.js';
import {formatSpeed} from '../format/speed.js';
import {displayWidth, fit} from '../format/text.js';
import {defineCommand, EXIT, UsageError} from './kit/command.js';


const countOrDash = (value: number | null) => (value === null ? '-' : formatCount(value));

export default defineCommand({
	help: `frameio-admin farm: the farm's live view (the console's Farm tab), once

  Usage
    $ frameio-admin farm [--json]

  Every process of the farm that sends heartbeats (watch, upload, the console: on each node, every few seconds)
  with its role, health (and why), breaker, uptime, requests and 429s (over the last minute, REQ/M and 429/M, and
  since it started), uploads and alerts; the farm's totals; the levels of
  the shared rate-limit buckets; the uploads in progress. The farm is the one this process would join: the Redis
  of FRAMEIO_REDIS_URL (or farm.redis_url in config/optimization.json), for the API user the token acts as.
  Nothing is changed. See docs/farm.md.

  --json prints {mode, redis, node, at, totals, buckets, nodes} (bytes, bytes/s, ms; every string printable).

  Exit codes: 0 the farm was read, 1 Redis or the API could not tell, 2 farm mode is off or misconfigured`,
	flags: {},
	async run(cli, io) {
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const {flags} = cli;
		if (flags.sandbox) {
			io.stderr.write(`frameio-admin: ${SANDBOX_FARM_OFF_REASON}\n`);
			return EXIT.usage;
		}
		const paths = resolvePaths(flags);
		const config = loadConfig(paths.configDir);
		let settings;
		try {
			settings = farmSettingsOf({config});
		} catch (error) {
			throw new UsageError((error as Error).message);
		}
		if (!settings) {
			io.stderr.write(`frameio-admin: farm mode is off: no farm to show. Set FRAMEIO_REDIS_URL=redis://HOST:6379 (or farm.redis_url in config/optimization.json) as the nodes do; see docs/farm.md\n`);
			return EXIT.usage;
		}
		let app: App | undefined;
		let source: FarmViewHandle | undefined;
		try {
			// Only who the token acts as is asked of the API (it names the farm's keys); an API out of reach falls
			// back on the last user seen, so that the farm can be looked at exactly when things go wrong.
			app = await openApp({paths, loadedConfig: config, sandbox: flags.sandbox, cache: 'private', identity: 'optional', staleOk: true});
			source = openFarmView(app, settings);
			const farm = await source.read();
			if (farm.mode === 'off') throw new FarmReadError(farm.reason, null);
			io.stdout.write(flags.json ? `${JSON.stringify({...farm, at: new Date(farm.at).toISOString()})}\n` : farmText(farm));
			return EXIT.ok;
		} catch (error) {
			if (error instanceof FarmReadError) {
				io.stderr.write(`frameio-admin: ${error.message}\n`);
				return EXIT.failed;
			}
			const failure = describeFailure(error, {tokenSource: app?.api.auth.source});
			if (!failure) throw error;
			io.stderr.write(`frameio-admin: ${failure.message}\n`);
			return failure.exitCode;
		} finally {
			await source?.close().catch(() => undefined);
			await app?.close();
		}
	},
});

/** Columns as wide as their widest cell (display width), two spaces apart; numbers right-aligned. */
function table(header: string[], rows: string[][], right: ReadonlySet<number>): string[] {
	const widths = header.map((title, column) => Math.max(displayWidth(title), ...rows.map(row => displayWidth(row[column]))));
	const line = (cells: string[]) =>
		cells
			.map((cell, column) => (column === cells.length - 1 ? (right.has(column) ? fit(cell, widths[column], 'right') : cell) : fit(cell, widths[column], right.has(column) ? 'right' : 'left')))
			.join('  ')
			.trimEnd();
	return [line(header), ...rows.map(line)];
}

export function farmText(farm: FarmOnView): string {
	const lines = [`Farm on ${farm.redis} (read from ${farm.node})`, farmLine(farm.totals), uploadsLine(farm.totals), `buckets: ${bucketsLine(farm.buckets)}`, ''];
	if (farm.nodes.length === 0) {
		lines.push('No live heartbeat: no node of this farm is running watch, upload or the console.');
	} else {
		const rows = farm.nodes.map(node => [
			node.node,
			node.role,
			healthLabel(node),
			node.breaker,
			formatAge(node.uptimeMs),
			countOrDash(node.requestsLastMinute),
			countOrDash(node.rateLimitedLastMinute),
			countOrDash(node.requests),
			countOrDash(node.rateLimited),
			formatCount(node.uploads.active),
			formatCount(node.alerts.length),
			node.summary,
		]);
		lines.push(...table(['NODE', 'ROLE', 'HEALTH', 'BREAKER', 'UP', 'REQ/M', '429/M', 'REQ', '429', 'UPL', 'ALR', 'WHY'], rows, new Set([4, 5, 6, 7, 8, 9, 10])));
	}
	const files = farm.nodes.flatMap(node => node.files);
	lines.push('', `UPLOADS IN PROGRESS: ${formatCount(farm.totals.active)}${farm.totals.active > files.length ? ` (${formatCount(farm.totals.active - files.length)} not listed in the heartbeats)` : ''}`);
	if (files.length > 0) {
		const rows = files.map(file => [file.name, file.node, formatProgress(file.percent), formatBytes(file.size), formatSpeed(file.speed)]);
		lines.push(...table(['FILE', 'NODE', 'DONE', 'SIZE', 'SPEED'], rows, new Set([2, 3, 4])));
	}
	const alerts = farm.nodes.flatMap(node => node.alerts.map(alert => `${node.node} (${node.role}): ${alert.rule} (${alert.level}) ${alert.message}`));
	if (alerts.length > 0) lines.push('', 'ALERTS', ...alerts.map(alert => `  ${alert}`));
	const busy = farm.buckets.filter(bucket => bucket.level >= 0.05);
	if (busy.length > 0) lines.push('', 'BUCKETS (shared by every node)', ...table(['CLASS', 'LEVEL'], busy.map(bucket => [bucket.endpointClass, bucketLevel(bucket)]), new Set([1])).map(line => `  ${line}`));
	return `${lines.join('\n')}\n`;
}
