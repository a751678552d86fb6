// Metrics: sparklines (latency, request rate, upload MB/s, CPU, RSS), the figures of the chosen window (w cycles
// 1 m / 5 m / 1 h), and the active and recent alerts with value against threshold, as a list: Enter shows the
// selected alert whole, with the host it fired on and the recommended action.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo} from 'react';
import {formatTimestamp} from '../../log/human-format.js';
import {redactText} from '../../log/redact.js';
import type {AlertView, Figures, SeriesName} from '../../store/ports.js';
import {METRIC_WINDOWS} from '../../store/metrics-slice.js';
import {DetailView, detailRows, type DetailField, type Details} from '../components/detail-view.js';
import {Row} from '../components/row.js';
import {resample, sparkline} from '../components/sparkline.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes, MB} from '../../format/bytes.js';
import {formatClock, formatDuration} from '../../format/duration.js';
import {formatCount, formatNumber} from '../../format/number.js';
import {formatPercent} from '../../format/percent.js';
import {fit} from '../../format/text.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {useSort, type SortColumn} from '../hooks/use-sort.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
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

/**
 * The receiver's line: deliveries that were signed and fresh, and refusals (a wrong or missing signature, a replay,
 * not a Frame.io payload), which a tunnel or an attacker sends and Frame.io does not.
 */
export function webhookLine(receiver: string, figures: Figures | null, window: string): string {
	// The counts first: at 60 columns the address is what gets cut.
	if (!figures) return `webhooks: no data yet · at ${receiver}`;
	const {deliveries, refused} = figures.webhooks;
	if (deliveries === 0 && refused === 0) return `webhooks: none in the last ${window} · at ${receiver}`;
	return `webhooks: ${formatCount(deliveries)} ${deliveries === 1 ? 'delivery' : 'deliveries'} · ${formatCount(refused)} refused in the last ${window} · at ${receiver}`;
}

/**
 * One figures line per sparkline, plus the lines without one. A figure without data says so in words ("no API calls
 * in this window", "no samples yet") rather than a row of N/A.
 */
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
	const noCalls = api.total === 0;
	const cached = api.cached > 0 ? ` (${formatCount(api.cached)} answered by the cache)` : '';
	const cacheText = cache.hitRate === null ? 'cache: no lookups yet' : `cache hit rate ${formatPercent(cache.hitRate)} (${formatCount(cache.hits)} hits, ${formatCount(cache.misses)} misses)`;
	const probeText = probe.lastMs === null ? (probe.consecutiveFailures > 0 ? `probe failing (${probe.consecutiveFailures} in a row)` : 'probe not run yet') : `probe ${Math.round(probe.lastMs)} ms${probe.consecutiveFailures > 0 ? ` · ${probe.consecutiveFailures} failed` : ''}`;
	return {
		latencyMs: noCalls ? `no API calls in this window${cached}` : `mean ${ms(api.latencyMs.mean)} · p50 ${ms(api.latencyMs.median)} · p95 ${ms(api.latencyMs.p95)} · max ${ms(api.latencyMs.max)}${waits(api)}`,
		requestRate: noCalls ? `no API calls in this window${cached}` : `${formatNumber(api.ratePerSec, 2)}/s · ${formatCount(api.total)} calls · ok ${formatPercent(api.successRate)} · slow ${api.slow}`,
		uploadMbps:
			uploads.count === 0 && uploads.throughputMbps === null
				? 'no uploads in this window'
				: `${uploads.throughputMbps === null ? 'none sent' : `${formatNumber(uploads.throughputMbps)} MB/s`} · ${uploads.done} done${uploads.mbps.mean === null ? '' : ` · file mean ${formatNumber(uploads.mbps.mean)} MB/s · median ${formatNumber(uploads.mbps.median)}`} · ${uploads.failed} failed${uploads.failureRate === null ? '' : ` (${formatPercent(uploads.failureRate)})`} · ${formatBytes(uploads.bytes)}`,
		cpuPercent: system.cpuPercent.last === null ? 'no samples yet' : `last ${formatNumber(system.cpuPercent.last)} % · mean ${formatNumber(system.cpuPercent.mean)} · peak ${formatNumber(system.cpuPercent.peak)}`,
		rssMb:
			system.rssBytes.last === null
				? 'no samples yet'
				: `last ${formatBytes(system.rssBytes.last)} · mean ${formatNumber((system.rssBytes.mean ?? 0) / MB, 0)} MB · peak ${formatNumber((system.rssBytes.peak ?? 0) / MB, 0)} MB`,
		cache: `${cacheText} · breaker ${breaker.state} (${breaker.opens} opens) · ${probeText}`,
		errors: noCalls ? `errors: none (no API calls in this window)` : `errors ${formatCount(errors.total)} (${formatPercent(errors.rate)})${kinds ? ` · ${kinds}` : ''}`,
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

type AlertRow = {key: string; group: 'active' | 'recent'; alert: AlertView};

const levelRank: Record<AlertView['level'], number> = {info: 0, warning: 1, error: 2, critical: 3};

const sortColumns: SortColumn<AlertRow>[] = [
	{title: 'TIME', compare: (a, b) => a.alert.at - b.alert.at, descending: true},
	{title: 'LEVEL', compare: (a, b) => levelRank[a.alert.level] - levelRank[b.alert.level], descending: true},
];

/** Enter: the whole alert, with the machine it fired on and what to do about it. */
export function alertDetails(row: AlertRow): Details {
	const {alert} = row;
	const fields: Array<DetailField | null> = [
		{label: 'state', value: row.group === 'active' ? 'firing now' : alert.state === 'resolved' ? 'resolved' : 'fired'},
		{label: 'level', value: alert.level},
		{label: 'message', value: redactText(alert.message)},
		{label: 'value', value: `${alert.value} (threshold ${alert.threshold})`},
		{label: alert.state === 'resolved' ? 'resolved at' : 'fired at', value: formatTimestamp(new Date(alert.at))},
		alert.host ? {label: 'host', value: alert.host} : null,
		alert.action ? {label: 'action', value: redactText(alert.action)} : null,
		{label: 'rule', value: alert.rule},
	];
	return {title: `${alert.level.toUpperCase()} ${alert.rule}`, fields: fields.filter((field): field is DetailField => field !== null)};
}

export function MetricsPane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore} = useConsole();
	const metrics = useStoreSelector(state => state.metrics);
	const [open, setOpen] = useViewState('metrics.details', false);
	const sort = useSort('metrics.sort', sortColumns);

	const rows = useMemo<AlertRow[]>(
		() => [
			...sort.apply(metrics.active.map(alert => ({key: `active:${alert.id}`, group: 'active' as const, alert}))),
			...sort.apply(metrics.recent.map(alert => ({key: `recent:${alert.id}:${alert.state}`, group: 'recent' as const, alert}))),
		],
		[metrics.active, metrics.recent, sort.key],
	);
	const top = 1 + sparkRows.length + 2 + (metrics.webhookReceiver ? 1 : 0) + 1;
	const area = height - top;
	const detailsAt = (index: number) => (open && rows[index] ? alertDetails(rows[index]) : null);
	const cursor = useListCursor({count: rows.length, height: index => Math.max(1, area - detailRows(detailsAt(index), width, area)), keyAt: index => rows[index].key, persistKey: 'metrics.cursor'});
	const listHeight = cursor.height;
	const details = detailsAt(cursor.index);
	const detailHeight = detailRows(details, width, area);

	useKeys(key => {
		const binding = resolveKey(key.name, ['metrics', 'list']);
		if (!binding) return false;
		if (cursor.handle(binding.command) || sort.handle(binding.command)) return true;
		switch (binding.command) {
			case 'metrics.window':
				consoleStore.actions.metrics.cycleWindow();
				return true;
			case 'details':
				setOpen(current => !current);
				return true;
			case 'clear':
				setOpen(false);
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
			{metrics.webhookReceiver ? (
				<Text wrap="truncate-end" color={(metrics.figures?.webhooks.refused ?? 0) > 0 ? theme.warn : undefined}>
					{webhookLine(metrics.webhookReceiver, metrics.figures, window.label)}
				</Text>
			) : null}
			<Text bold wrap="truncate-end" color={metrics.active.length > 0 ? theme.fail : theme.ok}>
				{`active alerts: ${metrics.active.length === 0 ? 'none' : metrics.active.length} · recent: ${metrics.recent.length === 0 ? 'none' : metrics.recent.length}${rows.length > 1 ? ` · ${sort.label}` : ''}${rows.length > 0 ? ' · Enter: details' : ''}`}
			</Text>
			<Box flexDirection="column" height={open ? listHeight : undefined} overflowY="hidden">
				{rows.slice(cursor.start, cursor.start + listHeight).map((row, offset) => {
					const {alert} = row;
					const prefix = row.group === 'active' ? 'ACTIVE  ' : alert.state === 'resolved' ? 'RESOLVED' : 'FIRED   ';
					const color = row.group === 'recent' && alert.state === 'resolved' ? theme.ok : levelColor(theme, alert.level);
					return <Row key={row.key} width={width} selected={cursor.start + offset === cursor.index} cells={[{text: `${prefix} ${alertLine(alert)}`, width, color}]} />;
				})}
			</Box>
			{details ? <DetailView details={details} width={width} height={detailHeight} /> : null}
		</Box>
	);
}
