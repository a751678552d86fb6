// SANDBOX or LIVE, account, breaker, rate-limit headroom, when the data last changed, the refresh interval, and
// the active alerts.
import {Box, Text} from 'ink';
import React from 'react';
import type {ClockState} from '../../store/refresh-clock.js';
import type {StatusSlice} from '../../store/slices/status-slice.js';
import {shallowEqual} from '../../store/equality.js';
import {formatClock, truncate} from '../format.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useTheme} from '../theme.js';

const SEP = ' │ ';

export function StatusBar({width}: {width: number}) {
	const theme = useTheme();
	const status = useStoreSelector(state => state.status);
	const clock = useStoreSelector(
		state => ({intervalMs: state.clock.intervalMs, paused: state.clock.paused}),
		shallowEqual as (a: Pick<ClockState, 'intervalMs' | 'paused'>, b: Pick<ClockState, 'intervalMs' | 'paused'>) => boolean,
	);
	return <StatusLine status={status} paused={clock.paused} intervalMs={clock.intervalMs} width={width} theme={theme} />;
}

function StatusLine({
	status,
	paused,
	intervalMs,
	width,
	theme,
}: {
	status: StatusSlice;
	paused: boolean;
	intervalMs: number;
	width: number;
	theme: ReturnType<typeof useTheme>;
}) {
	const mode = status.mode === 'sandbox' ? 'SANDBOX' : 'LIVE';
	const breaker = `breaker ${status.breaker}`;
	const rate = status.rateLimit ? `rate ${status.rateLimit.remaining}/${status.rateLimit.limit}` : 'rate -';
	const refresh = `${formatClock(status.updatedAt)} ${paused ? 'paused' : `↻${intervalMs / 1000}s`}`;
	const alerts = `alerts ${status.alerts}`;
	const fixed = [mode, breaker, rate, refresh, alerts].join(SEP).length + SEP.length + 2;
	const account = truncate(status.account ?? '…', Math.max(6, width - fixed));
	const breakerColor = status.breaker === 'closed' ? theme.ok : status.breaker === 'open' ? theme.fail : theme.warn;
	const low = status.rateLimit !== null && status.rateLimit.remaining <= status.rateLimit.limit * 0.1;
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end">
				<Text bold inverse color={status.mode === 'sandbox' ? theme.sandbox : theme.live}>
					{` ${mode} `}
				</Text>
				{SEP}
				<Text bold>{account}</Text>
				{SEP}
				<Text color={breakerColor}>{breaker}</Text>
				{SEP}
				<Text color={low ? theme.warn : undefined}>{rate}</Text>
				{SEP}
				<Text color={paused ? theme.warn : undefined}>{refresh}</Text>
				{SEP}
				<Text color={status.alerts > 0 ? theme.fail : undefined} bold={status.alerts > 0}>
					{alerts}
				</Text>
			</Text>
		</Box>
	);
}
