// SANDBOX or LIVE (and READ-ONLY under --readonly), account, breaker, rate-limit headroom, the refresh interval,
// staleness, the active alerts (kept at any width) and, in farm mode, the farm link.
// No clock: a bar that ticks every refresh repaints an idle console for nothing. It says "stale 35s" instead, in the
// warning colour, once the API has not answered for a while or is down, which is the moment the time matters.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {shallowEqual} from '../../store/equality.js';
import type {ClockState} from '../../store/refresh-clock.js';
import type {StatusSlice} from '../../store/status-slice.js';
import {formatSeconds} from '../../format/duration.js';
import {displayWidth, truncate} from '../../format/text.js';
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
 * "↻2s" or "frozen" (f froze the refresh), plus "stale 35s" when the API has not answered for a while, or "down 35s"
 * when it is not answering now (the seconds count from its last answer; the Health tab says why).
 */
export function refreshText(status: Pick<StatusSlice, 'stale'>, paused: boolean, intervalMs: number): string {
	const refresh = paused ? 'frozen' : `↻${intervalMs / 1000}s`;
	const {stale} = status;
	if (!stale) return refresh;
	return `${refresh} ${stale.down ? 'down' : 'stale'} ${formatSeconds(stale.seconds)}`;
}

type Part = {id: 'account' | 'breaker' | 'rate' | 'refresh' | 'alerts' | 'farm'; text: string; color?: string; bold?: boolean};

/**
 * The bar's parts that fit `width`: the account shrinks first, then the breaker says less, then the least telling
 * parts go (the account, a rate that is ok, a farm joined, the refresh, the rate, the breaker). The mode, the alert
 * count and a farm LOST always stay: a narrow terminal still says how many alerts are active, and that Redis is gone.
 */
export function fitStatusParts(parts: Part[], width: number, fixedWidth: number): Part[] {
	const line = (list: Part[]) => fixedWidth + list.reduce((sum, part) => sum + SEP.length + displayWidth(part.text), 0);
	let kept = parts.map(part => ({...part}));
	const account = () => kept.find(part => part.id === 'account');
	const shrinkAccount = () => {
		const part = account();
		if (!part) return;
		const room = width - line(kept.filter(other => other !== part)) - SEP.length;
		part.text = truncate(part.text, Math.max(6, room));
	};
	const drop = (id: Part['id'], when: (part: Part) => boolean = () => true) => {
		kept = kept.filter(part => part.id !== id || !when(part));
	};
	const steps = [
		shrinkAccount,
		() => {
			const breaker = kept.find(part => part.id === 'breaker');
			if (breaker) breaker.text = breaker.text.replace('breaker ', 'brk ');
			shrinkAccount();
		},
		() => drop('account'),
		() => drop('rate', part => part.text === 'rate ok'),
		() => drop('farm', part => part.text !== 'farm LOST'),
		() => drop('refresh'),
		() => drop('rate'),
		() => drop('breaker'),
	];
	for (const step of steps) {
		if (line(kept) <= width) break;
		step();
	}
	return kept;
}

function StatusLine({status, readonly, paused, intervalMs, width, theme}: {status: StatusSlice; readonly: boolean; paused: boolean; intervalMs: number; width: number; theme: Theme}) {
	const mode = status.mode === 'sandbox' ? 'SANDBOX' : 'LIVE';
	const lock = readonly ? ' READ-ONLY ' : '';
	const farm = farmText(status.farm);
	const breakerColor = status.breaker === 'closed' ? theme.ok : status.breaker === 'open' ? theme.fail : theme.warn;
	const rateColor = typeof status.rate === 'string' ? undefined : status.rate.remaining === 0 ? theme.fail : theme.warn;
	const parts = fitStatusParts(
		[
			{id: 'account', text: status.account ?? '…', bold: true},
			{id: 'breaker', text: `breaker ${status.breaker}`, color: breakerColor},
			{id: 'rate', text: rateText(status.rate), color: rateColor},
			{
				id: 'refresh',
				text: refreshText(status, paused, intervalMs),
				color: status.stale?.down ? theme.fail : paused || status.stale ? theme.warn : undefined,
				bold: status.stale !== null,
			},
			{id: 'alerts', text: `alerts ${status.alerts}`, color: status.alerts > 0 ? theme.fail : undefined, bold: status.alerts > 0},
			...(farm ? [{id: 'farm' as const, text: farm, color: status.farm?.state === 'joined' ? undefined : theme.fail, bold: status.farm?.state !== 'joined'}] : []),
		],
		width,
		mode.length + 2 + lock.length,
	);
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
				{parts.map(part => (
					<React.Fragment key={part.id}>
						{SEP}
						<Text color={part.color} bold={part.bold}>
							{part.text}
						</Text>
					</React.Fragment>
				))}
			</Text>
		</Box>
	);
}
