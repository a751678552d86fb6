// Farm: every process of the farm from its heartbeat (node, role, health, breaker, uptime, requests and 429s over
// the last minute, uploads, alerts), the farm's totals, the shared buckets' levels, and the uploads in progress across the farm. Enter shows
// the selected process instead of the farm's uploads. Read-only: the farm is changed on its nodes, not from here.
// Without Redis it says how to turn farm mode on.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {bucketsLine, farmLine, healthLabel, uploadsLine} from '../../app/farm-lines.js';
import {formatBytes} from '../../format/bytes.js';
import {formatAge, formatDuration} from '../../format/duration.js';
import {formatCount} from '../../format/number.js';
import {formatProgress, progressBar} from '../../format/percent.js';
import {formatSpeed} from '../../format/speed.js';
import {middleEllipsis, wrapLines} from '../../format/text.js';
import type {FarmNodeView, FarmUploadView, FarmView} from '../../store/ports.js';
import {fitColumns, Row} from '../components/row.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme, type Theme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';

type FarmOn = Extract<FarmView, {mode: 'on'}>;

const countOrDash = (value: number | null) => (value === null ? '-' : formatCount(value));

const processKey = (node: FarmNodeView) => `${node.node}\u0000${node.instance}`;

function healthColor(theme: Theme, node: FarmNodeView): string | undefined {
	return node.health === 'ok' ? theme.ok : node.health === 'degraded' ? theme.warn : node.health === 'failing' ? theme.fail : undefined;
}

/** Lines below the list: the farm's uploads, or the selected process. At least 3, about a third of the pane. */
function lowerHeight(height: number): number {
	return Math.max(3, Math.min(8, Math.floor((height - 5) / 3)));
}

export function FarmPane({width, height}: PaneProps) {
	const theme = useTheme();
	const farm = useStoreSelector(state => state.farm);
	const view = farm.view;

	if (view === null || view.mode === 'off') {
		const text = view?.mode === 'off' ? view.reason : farm.error ? `cannot read the farm: ${farm.error}` : 'reading the farm…';
		return (
			<Box flexDirection="column" width={width} height={height} overflowY="hidden">
				{wrapLines(text, width)
					.slice(0, height)
					.map((line, index) => (
						<Text key={index} wrap="truncate-end" color={farm.error && view === null ? theme.fail : undefined}>
							{line}
						</Text>
					))}
			</Box>
		);
	}
	return <FarmTable view={view} error={farm.error} width={width} height={height} theme={theme} />;
}

function FarmTable({view, error, width, height, theme}: {view: FarmOn; error: string | null; width: number; height: number; theme: Theme}) {
	const [details, setDetails] = useViewState<boolean>('farm.details', false);
	const nodes = view.nodes;
	// A failed read keeps the farm as read before on screen; the reason takes up to two lines at the bottom.
	const errorLines = error ? wrapLines(`last read failed (the farm as read before): ${error}`, width).slice(0, 2) : [];
	// The selected process gets up to 10 lines (its alerts, its files), leaving the list at least 3 rows. The same for
	// every process, so the list does not jump while moving through it.
	const lower = details ? Math.max(lowerHeight(height), Math.min(10, height - 4 - 1 - 3 - errorLines.length)) : lowerHeight(height);
	// Totals, uploads, buckets, the table's header, the lower part, the errors and the bottom line.
	const listHeight = Math.max(1, height - 4 - lower - errorLines.length - 1);
	const cursor = useListCursor({count: nodes.length, height: listHeight, keyAt: index => processKey(nodes[index]), persistKey: 'farm.cursor'});
	const selected = nodes[cursor.index];

	useKeys(key => {
		const binding = resolveKey(key.name, ['farm', 'list']);
		if (!binding) return false;
		if (cursor.handle(binding.command)) return true;
		switch (binding.command) {
			case 'farm.details':
				setDetails(current => !current);
				return true;
			case 'clear':
				setDetails(false);
				return true;
		}
		return false;
	});

	// On a narrow terminal the uptime goes first, then the request rate: the 429s, the breaker and the alerts stay.
	const [nodeW, roleW, healthW, breakerW, upW, reqW, limitedW, uplW, alertW] = fitColumns(width, [
		{min: 10, max: 32, grow: 1},
		7,
		8,
		9,
		{min: 5, drop: 2},
		{min: 8, drop: 1},
		6,
		4,
		3,
	]);
	const {totals} = view;

	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text wrap="truncate-end" bold color={totals.failing > 0 ? theme.fail : totals.alerts > 0 ? theme.warn : theme.ok}>
				{farmLine(totals)}
			</Text>
			<Text wrap="truncate-end">{uploadsLine(totals)}</Text>
			<Text wrap="truncate-end" color={theme.info}>{`buckets: ${bucketsLine(view.buckets)}`}</Text>
			<Row
				bold
				width={width}
				cells={[
					{text: 'NODE', width: nodeW},
					{text: 'ROLE', width: roleW},
					{text: 'HEALTH', width: healthW},
					{text: 'BREAKER', width: breakerW},
					{text: 'UP', width: upW, align: 'right'},
					{text: 'REQ/M', width: reqW, align: 'right'},
					{text: '429/M', width: limitedW, align: 'right'},
					{text: 'UPL', width: uplW, align: 'right'},
					{text: 'ALR', width: alertW, align: 'right'},
				]}
			/>
			<Box flexDirection="column" height={listHeight} overflowY="hidden">
				{nodes.length === 0 ? (
					<Text wrap="truncate-end">no live heartbeat: no node of this farm is running watch, upload or the console</Text>
				) : (
					nodes.slice(cursor.start, cursor.start + listHeight).map((node, offset) => (
						<Row
							key={processKey(node)}
							width={width}
							selected={cursor.start + offset === cursor.index}
							cells={[
								{text: middleEllipsis(node.node, nodeW), width: nodeW},
								{text: node.role, width: roleW},
								{text: healthLabel(node), width: healthW, color: healthColor(theme, node)},
								{text: node.breaker, width: breakerW, color: node.breaker === 'open' ? theme.fail : node.breaker === 'half-open' ? theme.warn : undefined},
								{text: formatAge(node.uptimeMs), width: upW, align: 'right'},
								{text: node.requestsLastMinute === null ? '-' : formatCount(node.requestsLastMinute), width: reqW, align: 'right'},
								{text: node.rateLimitedLastMinute === null ? '-' : formatCount(node.rateLimitedLastMinute), width: limitedW, align: 'right', color: (node.rateLimitedLastMinute ?? 0) > 0 ? theme.warn : undefined},
								{text: formatCount(node.uploads.active), width: uplW, align: 'right'},
								{text: formatCount(node.alerts.length), width: alertW, align: 'right', color: node.alerts.length > 0 ? theme.warn : undefined},
							]}
						/>
					))
				)}
			</Box>
			<Box flexDirection="column" height={lower} overflowY="hidden">
				{details && selected ? (
					processLines(selected, theme)
						.slice(0, lower)
						.map((line, index) => (
							<Text key={index} wrap="truncate-end" color={line.color}>
								{line.text}
							</Text>
						))
				) : (
					<FarmUploads view={view} width={width} height={lower} theme={theme} />
				)}
			</Box>
			{errorLines.map((line, index) => (
				<Text key={`error:${index}`} wrap="truncate-end" color={theme.fail}>
					{line}
				</Text>
			))}
			<Text wrap="truncate-end" color={theme.border} dimColor={theme.dim}>
				{`${nodes.length === 0 ? 0 : formatCount(cursor.index + 1)} of ${formatCount(nodes.length)} processes · ${view.redis}`}
			</Text>
		</Box>
	);
}

/** The uploads in progress across the farm, the most bytes left first. */
function FarmUploads({view, width, height, theme}: {view: FarmOn; width: number; height: number; theme: Theme}) {
	const files = view.nodes.flatMap(node => node.files).sort((a, b) => b.size - b.bytesDone - (a.size - a.bytesDone) || a.name.localeCompare(b.name));
	const rows = files.slice(0, height - 1);
	// A beat lists at most 20 files of its node; the totals count them all.
	const more = view.totals.active - rows.length;
	const [nameW, nodeW, barW, pctW, sizeW, speedW] = fitColumns(width, [{min: 12, grow: 3}, {min: 8, max: 20, grow: 1}, {min: 10, max: 20, grow: 1, drop: 1}, 5, 8, 10]);
	const title = view.totals.active === 0 ? 'UPLOADS IN PROGRESS: none' : `UPLOADS IN PROGRESS: ${formatCount(view.totals.active)}${more > 0 ? ` (${formatCount(more)} not shown)` : ''}`;
	return (
		<>
			<Text wrap="truncate-end" bold>
				{title}
			</Text>
			{rows.map((file: FarmUploadView, index) => (
				<Row
					key={`${file.node}:${file.name}:${index}`}
					width={width}
					cells={[
						{text: middleEllipsis(file.name, nameW), width: nameW},
						{text: middleEllipsis(file.node, nodeW), width: nodeW},
						{text: progressBar(file.percent / 100, barW), width: barW, color: theme.accent},
						{text: formatProgress(file.percent), width: pctW, align: 'right'},
						{text: formatBytes(file.size), width: sizeW, align: 'right'},
						{text: formatSpeed(file.speed), width: speedW, align: 'right'},
					]}
				/>
			))}
		</>
	);
}

/** One process: what it is, why its health is what it is, its requests, its alerts, its uploads. */
function processLines(node: FarmNodeView, theme: Theme): Array<{text: string; color?: string}> {
	return [
		{text: `${node.node} · ${node.role} · ${node.version ?? 'version ?'} · instance ${node.instance} · up ${formatAge(node.uptimeMs)} · last beat ${formatDuration(node.beatAgeMs)} ago`},
		{text: `${healthLabel(node)}${node.summary ? `: ${node.summary}` : ''} · breaker ${node.breaker}`, color: healthColor(theme, node)},
		{text: `requests ${countOrDash(node.requests)} (${countOrDash(node.requestsLastMinute)} in the last minute) · 429s ${countOrDash(node.rateLimited)} (${countOrDash(node.rateLimitedLastMinute)})`},
		...node.alerts.map(alert => ({text: `alert ${alert.rule} (${alert.level}): ${alert.message}`, color: theme.warn})),
		{text: uploadsLine(node.uploads)},
		...node.files.map(file => ({text: `  ${file.name} · ${formatProgress(file.percent)} of ${formatBytes(file.size)} · ${formatSpeed(file.speed)}`})),
	];
}
