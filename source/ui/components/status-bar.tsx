// SANDBOX or LIVE (and READ-ONLY under --readonly), account, breaker, rate-limit headroom, the refresh interval, staleness, and the active alerts.
// No clock: a bar that ticks every refresh repaints an idle console for nothing. It says "stale 35s" instead, in the
// warning colour, once the API has not answered for a while or is down, which is the moment the time matters.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {shallowEqual} from '../../store/equality.js';
import type {ClockState} from '../../store/refresh-clock.js';
import type {StatusSlice} from '../../store/status-slice.js';
import {formatSeconds} from '../../format/duration.js';
import {truncate} from '../../format/text.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useConsole} from '../kit/console-context.js';
import {useTheme, type Theme} from '../kit/theme.js';

const SEP = ' │ ';

export function StatusBar({width}: {width: number}) {
	const theme = useTheme();
	const {readonly} = useConsole();
	const status = useStoreSelector(state => state.status);
	const clock = useStoreSelector(
		state => ({intervalMs: state.clock.intervalMs, paused: state.clock.paused}),
		shallowEqual as (a: Pick<ClockState, 'intervalMs' | 'paused'>, b: Pick<ClockState, 'intervalMs' | 'paused'>) => boolean,
	);
	return <StatusLine status={status} readonly={readonly} paused={clock.paused} intervalMs={clock.intervalMs} width={width} theme={theme} />;
}

/**
 * "rate ok" with room to spare, "rate 12/100" (the tightest endpoint class; Health names it) once it runs low,
 * "rate -" before any answer.
 */
export function rateText(rate: StatusSlice['rate']): string {
	if (rate === 'unknown') return 'rate -';
	if (rate === 'ok') return 'rate ok';
	return `rate ${rate.remaining}/${rate.limit}`;
}

/** "farm 4" (joined, processes counted), "farm LOST" (working alone until Redis is back); nothing when off. */
export function farmText(farm: StatusSlice['farm']): string | null {
	if (!farm) return null;
	if (farm.state === 'joined') return `farm ${farm.nodes}`;
	return farm.state === 'lost' ? 'farm LOST' : 'farm …';
}

/**
 * "↻2s" or "paused", plus "stale 35s" when the API has not answered for a while, or "down 35s" when it is not
 * answering now (the seconds count from its last answer; the Health tab says why).
 */
export function refreshText(status: Pick<StatusSlice, 'stale'>, paused: boolean, intervalMs: number): string {
	const refresh = paused ? 'paused' : `↻${intervalMs / 1000}s`;
	const {stale} = status;
	if (!stale) return refresh;
	return `${refresh} ${stale.down ? 'down' : 'stale'} ${formatSeconds(stale.seconds)}`;
}

function StatusLine({status, readonly, paused, intervalMs, width, theme}: {status: StatusSlice; readonly: boolean; paused: boolean; intervalMs: number; width: number; theme: Theme}) {
	const mode = status.mode === 'sandbox' ? 'SANDBOX' : 'LIVE';
	const lock = readonly ? ' READ-ONLY ' : '';
	const breaker = `breaker ${status.breaker}`;
	const rate = rateText(status.rate);
	const refresh = refreshText(status, paused, intervalMs);
	const alerts = `alerts ${status.alerts}`;
	const farm = farmText(status.farm);
	const fixed = [mode, breaker, rate, refresh, alerts, ...(farm ? [farm] : [])].join(SEP).length + SEP.length + 2 + lock.length;
	const account = truncate(status.account ?? '…', Math.max(6, width - fixed));
	const breakerColor = status.breaker === 'closed' ? theme.ok : status.breaker === 'open' ? theme.fail : theme.warn;
	const rateColor = typeof status.rate === 'string' ? undefined : status.rate.remaining === 0 ? theme.fail : theme.warn;
	return (
		<Box width={width} height={1} overflowY="hidden">
			<Text wrap="truncate-end">
				<Text bold inverse color={status.mode === 'sandbox' ? theme.sandbox : theme.live}>
					{` ${mode} `}
				</Text>
				{lock ? (
					<Text bold inverse color={theme.warn}>
						{lock}
					</Text>
				) : null}
				{SEP}
				<Text bold>{account}</Text>
				{SEP}
				<Text color={breakerColor}>{breaker}</Text>
				{SEP}
				<Text color={rateColor}>{rate}</Text>
				{SEP}
				<Text color={status.stale?.down ? theme.fail : paused || status.stale ? theme.warn : undefined} bold={status.stale !== null}>
					{refresh}
				</Text>
				{SEP}
				<Text color={status.alerts > 0 ? theme.fail : undefined} bold={status.alerts > 0}>
					{alerts}
				</Text>
				{farm ? (
					<>
						{SEP}
						<Text color={status.farm?.state === 'joined' ? undefined : theme.fail} bold={status.farm?.state !== 'joined'}>
							{farm}
						</Text>
					</>
				) : null}
			</Text>
		</Box>
	);
}
