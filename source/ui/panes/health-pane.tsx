// Health: every check with its status, reason and duration, failing first. `r` (or the clock) re-runs them. The
// table shows the run that last changed something (see health-slice.ts); Enter opens the selected check's details
// (its whole reason, and when the checks last ran), which follow the cursor.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo} from 'react';
import {redactText} from '../../log/redact.js';
import {shallowEqual} from '../../store/equality.js';
import type {CheckStatus, HealthCheckResult} from '../../store/ports.js';
import type {HealthSlice} from '../../store/health-slice.js';
import {DetailView, detailRows, type Details} from '../components/detail-view.js';
import {fitColumns, Row} from '../components/row.js';
import {useConsole} from '../kit/console-context.js';
import {formatClock, formatDuration} from '../../format/duration.js';
import {displayWidth} from '../../format/text.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {byNumber, byText, useSort, type SortColumn} from '../hooks/use-sort.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme, type Theme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';

const label: Record<CheckStatus, string> = {pass: 'PASS', warn: 'WARN', fail: 'FAIL'};
const severity: Record<CheckStatus, number> = {fail: 0, warn: 1, pass: 2};

export function statusColor(theme: Theme, status: CheckStatus): string | undefined {
	return status === 'pass' ? theme.ok : status === 'warn' ? theme.warn : theme.fail;
}

const sortColumns: SortColumn<HealthCheckResult>[] = [
	{title: 'STATUS', compare: (a, b) => severity[a.status] - severity[b.status]},
	{title: 'CHECK', compare: (a, b) => byText(a.name.toLowerCase(), b.name.toLowerCase())},
	{title: 'TIME', compare: (a, b) => byNumber(a.ms, b.ms), descending: true},
];

/** STATUS and TIME fixed, CHECK as wide as the longest name (and no wider), REASON the rest. */
export function healthColumns(width: number, checks: readonly HealthCheckResult[]): number[] {
	const longest = Math.max(5, ...checks.map(check => displayWidth(check.name)));
	return fitColumns(width, [7, {min: 12, max: Math.min(32, longest + 1), grow: 1}, 8, {min: 16, grow: 1}]);
}

export function HealthPane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore} = useConsole();
	// Only what the table draws: a run on the clock that changed nothing must not even re-render the pane.
	const health = useStoreSelector(
		state => ({
			checks: state.health.checks,
			shownAt: state.health.shownAt,
			busy: state.health.running && (state.health.manual || state.health.checks === null),
			error: state.health.error,
		}),
		shallowEqual as (a: ShownHealth, b: ShownHealth) => boolean,
	);
	const [open, setOpen] = useViewState('health.details', false);
	// When the checks last ran moves on every run: read only while the details show it.
	const run = useStoreSelector(
		state => (open ? {lastRunAt: state.health.lastRunAt, lastRunMs: state.health.lastRunMs, shownAt: state.health.shownAt} : NO_RUN),
		shallowEqual as (a: LastRun, b: LastRun) => boolean,
	);
	const sort = useSort('health.sort', sortColumns);
	const checks = useMemo(() => sort.apply(health.checks ?? []), [health.checks, sort.key]);
	const area = height - 2;
	const detailsAt = (index: number) => (open && checks[index] ? checkDetails(checks[index], run) : null);
	const cursor = useListCursor({count: checks.length, height: index => Math.max(1, area - detailRows(detailsAt(index), width, area)), keyAt: index => checks[index].id, persistKey: 'health.cursor'});
	const listHeight = cursor.height;
	const details = detailsAt(cursor.index);
	const detailHeight = detailRows(details, width, area);

	useKeys(key => {
		const binding = resolveKey(key.name, ['health', 'list']);
		if (!binding) return false;
		if (cursor.handle(binding.command) || sort.handle(binding.command)) return true;
		switch (binding.command) {
			case 'health.rerun':
				void consoleStore.actions.health.run();
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

	const counts = {pass: 0, warn: 0, fail: 0};
	for (const check of checks) counts[check.status]++;
	const [statusW, nameW, timeW, reasonW] = healthColumns(width, checks);
	const summary =
		health.checks === null
			? health.busy
				? 'running the checks…'
				: 'no run yet'
			: `${checks.length} checks · ${counts.pass} pass · ${counts.warn} warn · ${counts.fail} fail · as of ${formatClock(health.shownAt)}${health.busy ? ' · re-running…' : ''}`;
	const {start} = cursor;

	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text wrap="truncate-end" bold color={counts.fail > 0 ? theme.fail : counts.warn > 0 ? theme.warn : theme.ok}>
				{summary}
			</Text>
			{health.error ? (
				<Text color={theme.fail} wrap="truncate-end">{`health run failed: ${health.error}`}</Text>
			) : (
				<Row
					bold
					width={width}
					cells={[
						{text: sort.mark('STATUS'), width: statusW},
						{text: sort.mark('CHECK'), width: nameW},
						{text: sort.mark('TIME'), width: timeW, align: 'right'},
						{text: 'REASON', width: reasonW},
					]}
				/>
			)}
			{health.checks !== null && checks.length === 0 ? <Text>the health service reported no checks</Text> : null}
			<Box flexDirection="column" height={details ? listHeight : undefined} overflowY="hidden">
				{checks.slice(start, start + listHeight).map((check, offset) => (
					<Row
						key={check.id}
						width={width}
						selected={start + offset === cursor.index}
						cells={[
							{text: label[check.status], width: statusW, color: statusColor(theme, check.status), bold: check.status !== 'pass'},
							{text: check.name, width: nameW},
							{text: formatDuration(check.ms), width: timeW, align: 'right'},
							{text: redactText(check.reason), width: reasonW},
						]}
					/>
				))}
			</Box>
			{details ? <DetailView details={details} width={width} height={detailHeight} /> : null}
		</Box>
	);
}

type ShownHealth = Pick<HealthSlice, 'checks' | 'shownAt' | 'error'> & {busy: boolean};
type LastRun = {lastRunAt: number | null; lastRunMs: number | null; shownAt: number | null};
const NO_RUN: LastRun = {lastRunAt: null, lastRunMs: null, shownAt: null};

/** The selected check in full, and when the checks last ran (the table only follows real changes). */
function checkDetails(check: HealthCheckResult, run: LastRun): Details {
	const same = run.lastRunAt === run.shownAt;
	return {
		title: `${label[check.status]} ${check.name} (${formatDuration(check.ms)})`,
		fields: [
			{label: 'reason', value: redactText(check.reason)},
			{label: 'check id', value: check.id},
			{
				label: 'last run',
				value: `${formatClock(run.lastRunAt)} in ${formatDuration(run.lastRunMs)}${same ? '' : ` · no change since ${formatClock(run.shownAt)}, so the table shows that run`} · r re-runs`,
			},
		],
	};
}
