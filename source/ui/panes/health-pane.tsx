// Health: every check with its status, reason and duration, failing first. `r` (or the clock) re-runs them. The
// table shows the run that last changed something (see health-slice.ts); Enter says when the latest run was.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useState} from 'react';
import {redactText} from '../../log/redact.js';
import {shallowEqual} from '../../store/equality.js';
import type {CheckStatus, HealthCheckResult} from '../../store/ports.js';
import type {HealthSlice} from '../../store/health-slice.js';
import {columnWidths, Row} from '../components/row.js';
import {useConsole} from '../kit/console-context.js';
import {formatClock, formatDuration} from '../../format/duration.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme, type Theme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';

const label: Record<CheckStatus, string> = {pass: 'PASS', warn: 'WARN', fail: 'FAIL'};

export function statusColor(theme: Theme, status: CheckStatus): string | undefined {
	return status === 'pass' ? theme.ok : status === 'warn' ? theme.warn : theme.fail;
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
	const checks = health.checks ?? [];
	const [details, setDetails] = useState(false);
	const detailLines = details ? 4 : 0;
	const listHeight = Math.max(1, height - 2 - detailLines);
	const cursor = useListCursor({count: checks.length, height: listHeight, keyAt: index => checks[index].id, persistKey: 'health.cursor'});

	useKeys(key => {
		const binding = resolveKey(key.name, ['health', 'list']);
		if (!binding) return false;
		if (cursor.handle(binding.command)) return true;
		switch (binding.command) {
			case 'health.rerun':
				void consoleStore.actions.health.run();
				return true;
			case 'health.details':
				setDetails(current => !current);
				return true;
			case 'clear':
				setDetails(false);
				return true;
		}
		return false;
	});

	const counts = {pass: 0, warn: 0, fail: 0};
	for (const check of checks) counts[check.status]++;
	const [statusW, nameW, timeW, reasonW] = columnWidths(width, [6, 30, 8, null]);
	const summary =
		health.checks === null
			? health.busy
				? 'running the checks…'
				: 'no run yet'
			: `${checks.length} checks · ${counts.pass} pass · ${counts.warn} warn · ${counts.fail} fail · as of ${formatClock(health.shownAt)}${health.busy ? ' · re-running…' : ''}`;
	const selected = checks[cursor.index];

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
						{text: 'STATUS', width: statusW},
						{text: 'CHECK', width: nameW},
						{text: 'TIME', width: timeW, align: 'right'},
						{text: 'REASON', width: reasonW},
					]}
				/>
			)}
			{health.checks !== null && checks.length === 0 ? <Text>the health service reported no checks</Text> : null}
			{checks.slice(cursor.start, cursor.start + listHeight).map((check, offset) => (
				<Row
					key={check.id}
					width={width}
					selected={cursor.start + offset === cursor.index}
					cells={[
						{text: label[check.status], width: statusW, color: statusColor(theme, check.status), bold: check.status !== 'pass'},
						{text: check.name, width: nameW},
						{text: formatDuration(check.ms), width: timeW, align: 'right'},
						{text: redactText(check.reason), width: reasonW},
					]}
				/>
			))}
			{details && selected ? <CheckDetails check={selected} width={width} /> : null}
		</Box>
	);
}

type ShownHealth = Pick<HealthSlice, 'checks' | 'shownAt' | 'error'> & {busy: boolean};

/** Enter: the selected check in full, and when the checks last ran (the table only follows real changes). */
function CheckDetails({check, width}: {check: HealthCheckResult; width: number}) {
	const run = useStoreSelector(
		state => ({lastRunAt: state.health.lastRunAt, lastRunMs: state.health.lastRunMs, shownAt: state.health.shownAt}),
		shallowEqual as (a: LastRun, b: LastRun) => boolean,
	);
	const same = run.lastRunAt === run.shownAt;
	return (
		<Box flexDirection="column" width={width}>
			<Text bold wrap="truncate-end">{`${label[check.status]} ${check.name} (${formatDuration(check.ms)})`}</Text>
			<Text wrap="wrap">{redactText(check.reason)}</Text>
			<Text wrap="truncate-end">
				{`last run ${formatClock(run.lastRunAt)} in ${formatDuration(run.lastRunMs)}${same ? '' : ` · no change since ${formatClock(run.shownAt)}, so the table shows that run`} · r re-runs`}
			</Text>
		</Box>
	);
}

type LastRun = {lastRunAt: number | null; lastRunMs: number | null; shownAt: number | null};
