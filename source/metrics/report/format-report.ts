// The report as text, in the seed's section order: session, API calls, uploads, cache, system, errors,
// recommendations. Every figure without data reads N/A.
import path from 'node:path';
import {formatTimestamp} from '../../log/human-format.js';
import type {Figures} from '../figures.js';
import type {LogSource, ProbeSource, Report} from './report-model.js';
import {trimNumber} from '../../format/number.js';
import {cpu, megabytes, mbps, millis, NA, percent, seconds} from '../units.js';

const RULE = '='.repeat(72);
const LABEL = 16;

export function formatReport(report: Report, options: {slowThresholdSeconds: number}): string {
	const {session, figures} = report;
	const lines: string[] = [
		RULE,
		'FRAME.IO OPTIMIZATION REPORT',
		`Generated ${formatTimestamp(new Date(report.generatedAt))}`,
		RULE,
		'',
		'SESSION',
		row('Host', session.host),
		row('User', session.user ?? NA),
		...(session.frameioUser ? [row('Frame.io user', `${session.frameioUser.name} <${session.frameioUser.email}>`)] : []),
		row('API', `${session.api.url} (${session.api.kind})`),
		row('Window', `${formatTimestamp(new Date(session.window.from))} → ${formatTimestamp(new Date(session.window.to))} (${session.window.label})`),
		...sourceRows(session.source),
		'',
		...apiSection(figures, options.slowThresholdSeconds),
		'',
		...uploadSection(figures),
		'',
		...cacheSection(figures),
		'',
		...systemSection(figures),
		'',
		...errorSection(figures),
		'',
		'RECOMMENDATIONS',
		...report.recommendations.map(text => `  - ${text}`),
		'',
	];
	return lines.join('\n');
}

function row(label: string, value: string): string {
	return `  ${`${label}:`.padEnd(LABEL)}${value}`;
}

function sourceRows(source: LogSource | ProbeSource): string[] {
	if (source.kind === 'logs') {
		const names = source.files.length === 0 ? 'no log file' : source.files.map(file => path.basename(file)).join(', ');
		return [
			row('Data source', `structured logs: ${names}`),
			row('Lines', `${source.lines} read, ${source.linesInWindow} in the window, ${source.eventLines} with metrics, ${source.malformed} malformed (skipped)`),
		];
	}
	const rows = [
		row('Data source', `probe run of ${seconds(source.durationMs / 1000)}${source.interrupted ? ' (interrupted)' : ''}: ${source.rounds} rounds of me, project listing, folder listings`),
		row('Project', `${source.project.name} (${source.project.id}), ${source.folders} folders listed`),
		row('Probe calls', `${source.calls}, ${source.failedCalls} failed`),
	];
	if (source.upload) {
		const u = source.upload;
		const detail = u.outcome === 'done' ? `done, file ${u.fileId}${u.deleted ? ', deleted afterwards' : ''}` : `${u.outcome}${u.error ? `: ${u.error}` : ''}`;
		rows.push(row('Test upload', `${u.name}: ${detail}`));
	}
	return rows;
}

function apiSection(f: Figures, slowThresholdSeconds: number): string[] {
	const {api} = f;
	const latency = api.latencyMs;
	const perSecond = api.total > 0 ? ` (${trimNumber(api.ratePerSec, 2)} per second)` : ' (no API call in the window)';
	return [
		'API CALLS',
		row('Total', `${api.total}${perSecond}${api.cached > 0 ? `, plus ${api.cached} answered from the cache` : ''}`),
		row('Success rate', `${percent(api.successRate)}${api.total > 0 ? ` (${api.ok} ok, ${api.failed} failed)` : ''}`),
		// Latency is the time on the wire of the attempt that answered; waiting for the rate limiter and between
		// retries are their own rows, so that a throttled crawl does not read as a slow network.
		row('Latency mean', millis(latency.mean)),
		row('Latency median', millis(latency.median)),
		row('Latency p95', millis(latency.p95)),
		row('Latency max', millis(latency.max)),
		row('Slow calls', api.total > 0 ? `${api.slow} over ${seconds(slowThresholdSeconds)}` : NA),
		row('Limiter wait', api.total > 0 ? `${millis(api.queueWaitMs.total)} waited for the rate limit, mean ${millis(api.queueWaitMs.mean)} a call, max ${millis(api.queueWaitMs.max)} (not in latency)` : NA),
		row('Retry wait', api.total > 0 ? `${millis(api.retryWaitMs.total)} in all (not in latency)` : NA),
	];
}

function uploadSection(f: Figures): string[] {
	const {uploads} = f;
	return [
		'UPLOADS',
		row('Count', uploads.count > 0 ? `${uploads.count} (${uploads.done} done, ${uploads.failed} failed, ${uploads.cancelled} cancelled), ${megabytes(uploads.bytes)} sent` : '0 (no upload in the window)'),
		row('Speed mean', mbps(uploads.mbps.mean)),
		row('Speed median', mbps(uploads.mbps.median)),
		row('Failure rate', percent(uploads.failureRate)),
	];
}

function cacheSection(f: Figures): string[] {
	const {cache} = f;
	const none = cache.hits + cache.misses === 0;
	return ['CACHE', row('Hit rate', percent(cache.hitRate)), row('Hits', none ? NA : String(cache.hits)), row('Misses', none ? NA : String(cache.misses))];
}

function systemSection(f: Figures): string[] {
	const {rssBytes, cpuPercent} = f.system;
	return [
		'SYSTEM (this tool\'s process)',
		row('Memory mean', megabytes(rssBytes.mean)),
		row('Memory peak', megabytes(rssBytes.peak)),
		row('CPU mean', cpu(cpuPercent.mean)),
		row('CPU peak', cpu(cpuPercent.peak)),
	];
}

function errorSection(f: Figures): string[] {
	const {errors} = f;
	const kinds: Array<[string, number]> = [
		['server (5xx)', errors.byKind.server],
		['rate limited (429)', errors.byKind.rate_limit],
		['network', errors.byKind.network],
		['timeout', errors.byKind.timeout],
		['auth', errors.byKind.auth],
		['breaker open', errors.byKind.breaker_open],
		...Object.entries(errors.byKind.client4xx).map(([status, count]): [string, number] => [`HTTP ${status}`, count]),
	];
	const byKind = kinds.filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`);
	return [
		'ERRORS',
		row('Total', f.api.total > 0 ? String(errors.total) : NA),
		row('Rate', percent(errors.rate)),
		row('By kind', f.api.total === 0 ? NA : byKind.length > 0 ? byKind.join(', ') : 'none'),
		row('Breaker opens', f.api.total > 0 || f.breaker.opens > 0 ? String(f.breaker.opens) : NA),
	];
}
