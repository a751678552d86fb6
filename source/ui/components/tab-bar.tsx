// The tabs, each with the key that opens it (from the keymap). A narrow terminal drops the title and the help hint
// first, then shortens the tabs that are not shown, so that every tab's key stays visible.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {PANES, type PaneId} from '../../store/console-store.js';
import {tabKey} from '../kit/keymap.js';
import {useTheme} from '../kit/theme.js';

export const paneTitles: Record<PaneId, string> = {
	health: 'Health',
	cache: 'Cache',
	structure: 'Structure',
	metrics: 'Metrics',
	uploads: 'Uploads',
	farm: 'Farm',
	logs: 'Logs',
};

const TITLE = 'frameio-admin ';
const HELP = '  ? help';

type Layout = {title: boolean; help: boolean; label(pane: PaneId, active: boolean): string};

const layouts: Layout[] = [
	{title: true, help: true, label: pane => paneTitles[pane]},
	{title: false, help: true, label: pane => paneTitles[pane]},
	{title: false, help: false, label: pane => paneTitles[pane]},
	{title: false, help: false, label: (pane, active) => (active ? paneTitles[pane] : paneTitles[pane].slice(0, 4))},
	{title: false, help: false, label: (pane, active) => (active ? paneTitles[pane] : '')},
];

const tabText = (layout: Layout, pane: PaneId, active: boolean) => {
	const label = layout.label(pane, active);
	return ` ${tabKey(pane)}${label ? ` ${label}` : ''} `;
};

/** The first layout whose line fits `width`. */
export function tabLayout(active: PaneId, width: number): Layout {
	for (const layout of layouts) {
		const length = (layout.title ? TITLE.length : 0) + PANES.reduce((sum, pane) => sum + tabText(layout, pane, pane === active).length, 0) + (layout.help ? HELP.length : 0);
		if (length <= width) return layout;
	}
	return layouts.at(-1)!;
}

export function TabBar({active, width}: {active: PaneId; width: number}) {
	const theme = useTheme();
	const layout = tabLayout(active, width);
	return (
		<Box width={width} height={1} overflowY="hidden">
			<Text wrap="truncate-end">
				{layout.title ? (
					<Text bold color={theme.accent}>
						{TITLE}
					</Text>
				) : null}
				{PANES.map(pane => (
					<Text key={pane} inverse={pane === active} bold={pane === active}>
						{tabText(layout, pane, pane === active)}
					</Text>
				))}
				{layout.help ? (
					<Text color={theme.border} dimColor={theme.dim}>
						{HELP}
					</Text>
				) : null}
			</Text>
		</Box>
	);
}
