// Metrics: sparklines (latency, request rate, upload MB/s, CPU, RSS), the figures of the chosen window (w cycles
// 1 m / 5 m / 1 h), and the active and recent alerts with value against threshold.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {redactText} from '../../log/redact.js';
import type {AlertView, Figures, SeriesName} from '../../store/ports.js';
import {METRIC_WINDOWS} from '../../store/metrics-slice.js';
import {resample, sparkline} from '../components/sparkline.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes, MB} from '../../format/bytes.js';
import {formatClock, formatDuration} from '../../format/duration.js';
import {formatCount, formatNumber} from '../../format/number.js';
import {formatPercent} from '../../format/percent.js';
import {fit} from '../../format/text.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme, type Theme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';


const ms = (value: number | null) => (value === null ? 'N/A' : `${Math.round(value)} ms`);

/** Latency is time on the wire; what calls waited for the rate limiter and between retries is said apart. */
function waits(api: Figures['api']): string {
	const parts: string[] = [];
	if (api.queueWaitMs.total > 0) parts.push(`waiting for rate limit: mean ${formatDuration(api.queueWaitMs.mean)}, max ${formatDuration(api.queueWaitMs.max)}`);
	if (api.retryWaitMs.total > 0) parts.push(`retry back-off ${formatDuration(api.retryWaitMs.total)} in all`);
	return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}

/** One figures line per sparkline, plus the lines without one. */
export function figureLines(figures: Figures | null): Record<SeriesName | 'cache' | 'errors', string> {
	if (!figures) {
		return {latencyMs: 'no data yet', requestRate: '', uploadMbps: '', cpuPercent: '', rssMb: '', cache: '', errors: ''};
	}
	const {api, uploads, system, cache, errors, probe, breaker} = figures;
	const kinds = Object.entries({
		network: errors.byKind.network,
		timeout: errors.byKind.timeout,
		'429': errors.byKind.rate_limit,
		'5xx': errors.byKind.server,
		auth: errors.byKind.auth,
		breaker: errors.byKind.breaker_open,
		...Object.fromEntries(Object.entries(errors.byKind.client4xx).map(([status, count]) => [status, count])),
	})
		.filter(([, count]) => count > 0)
		.map(([kind, count]) => `${kind} ${count}`)
		.join(' · ');
	return {
		latencyMs: `mean ${ms(api.latencyMs.mean)} · p50 ${ms(api.latencyMs.median)} · p95 ${ms(api.latencyMs.p95)} · max ${ms(api.latencyMs.max)}${waits(api)}`,
		requestRate: `${formatNumber(api.ratePerSec, 2)}/s · ${formatCount(api.total)} calls · ok ${formatPercent(api.successRate)} · slow ${api.slow}`,
		uploadMbps: `${uploads.throughputMbps === null ? 'none sent' : `${formatNumber(uploads.throughputMbps)} MB/s`} · ${uploads.done} done · file mean ${formatNumber(uploads.mbps.mean)} MB/s · median ${formatNumber(uploads.mbps.median)} · ${uploads.failed} failed (${formatPercent(uploads.failureRate)}) · ${formatBytes(uploads.bytes)}`,
		cpuPercent: `last ${formatNumber(system.cpuPercent.last)} % · mean ${formatNumber(system.cpuPercent.mean)} · peak ${formatNumber(system.cpuPercent.peak)}`,
		rssMb: `last ${system.rssBytes.last === null ? 'N/A' : formatBytes(system.rssBytes.last)} · mean ${system.rssBytes.mean === null ? 'N/A' : formatNumber(system.rssBytes.mean / MB, 0)} MB · peak ${system.rssBytes.peak === null ? 'N/A' : formatNumber(system.rssBytes.peak / MB, 0)} MB`,
		cache: `cache hit rate ${formatPercent(cache.hitRate)} (${formatCount(cache.hits)} hits, ${formatCount(cache.misses)} misses) · breaker ${breaker.state} (${breaker.opens} opens) · probe ${probe.lastMs === null ? 'N/A' : `${Math.round(probe.lastMs)} ms`}${probe.consecutiveFailures > 0 ? ` · ${probe.consecutiveFailures} failed` : ''}`,
		errors: `errors ${formatCount(errors.total)} (${formatPercent(errors.rate)})${kinds ? ` · ${kinds}` : ''}`,
	};
}

const sparkRows: Array<{name: SeriesName; label: string}> = [
	{name: 'latencyMs', label: 'latency'},
	{name: 'requestRate', label: 'req/s'},
	{name: 'uploadMbps', label: 'upload MB/s'},
	{name: 'cpuPercent', label: 'cpu %'},
	{name: 'rssMb', label: 'rss MB'},
];

function levelColor(theme: Theme, level: AlertView['level']): string | undefined {
	return level === 'info' ? theme.info : level === 'warning' ? theme.warn : theme.fail;
}

export function alertLine(alert: AlertView): string {
	return `${alert.level.toUpperCase().padEnd(8)} ${formatClock(alert.at)}  ${redactText(alert.message)}  (value ${alert.value} vs threshold ${alert.threshold})`;
}

export function MetricsPane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore} = useConsole();
	const metrics = useStoreSelector(state => state.metrics);

	useKeys(key => {
		const binding = resolveKey(key.name, ['metrics']);
		if (binding?.command === 'metrics.window') {
			consoleStore.actions.metrics.cycleWindow();
			return true;
		}
		return false;
	});

	const figures = figureLines(metrics.figures);
	const labelW = 12;
	const sparkW = Math.max(10, Math.min(60, Math.floor((width - labelW) * 0.4)));
	const spanW = 5;
	const textW = Math.max(10, width - labelW - sparkW - spanW - 2);
	const window = METRIC_WINDOWS[metrics.windowIndex];
	const alertsRoom = Math.max(0, height - 1 - sparkRows.length - 2 - 2);
	const active = metrics.active.slice(0, Math.max(1, Math.ceil(alertsRoom / 2)));
	const recent = metrics.recent.slice(0, Math.max(0, alertsRoom - active.length));

	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text wrap="truncate-end" bold>
				{`window ${window.label}: figures and sparklines over the last ${window.label} (w: ${METRIC_WINDOWS.map(entry => entry.label).join(' / ')})${metrics.error ? ` · error: ${metrics.error}` : ''}`}
			</Text>
			{sparkRows.map(row => (
				<Text key={row.name} wrap="truncate-end">
					<Text bold>{fit(row.label, labelW)}</Text>
					<Text color={theme.accent}>{fit(sparkline(resample(metrics.series[row.name], sparkW), sparkW), sparkW)}</Text>
					<Text dimColor={theme.dim}>{` ${fit(window.label, spanW - 1, 'right')}`}</Text>
					{`  ${fit(figures[row.name], textW)}`}
				</Text>
			))}
			<Text wrap="truncate-end">{figures.cache}</Text>
			<Text wrap="truncate-end">{figures.errors}</Text>
			<Text bold wrap="truncate-end" color={metrics.active.length > 0 ? theme.fail : theme.ok}>
				{`active alerts: ${metrics.active.length === 0 ? 'none' : metrics.active.length}`}
			</Text>
			{active.map(alert => (
				<Text key={alert.id} wrap="truncate-end" color={levelColor(theme, alert.level)}>
					{alertLine(alert)}
				</Text>
			))}
			<Text bold wrap="truncate-end">{`recent alerts: ${metrics.recent.length === 0 ? 'none' : ''}`}</Text>
			{recent.map(alert => (
				<Text key={`${alert.id}-${alert.state}`} wrap="truncate-end" color={alert.state === 'resolved' ? theme.ok : levelColor(theme, alert.level)}>
					{`${alert.state === 'resolved' ? 'RESOLVED' : 'FIRED   '} ${alertLine(alert)}`}
				</Text>
			))}
		</Box>
	);
}
