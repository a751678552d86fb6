import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {PANES, type PaneId} from '../../store/console-store.js';
import {useTheme} from '../kit/theme.js';

export const paneTitles: Record<PaneId, string> = {
	health: 'Health',
	cache: 'Cache',
	structure: 'Structure',
	metrics: 'Metrics',
	uploads: 'Uploads',
	farm: 'Farm',
};

const BRAND = 'frameio-admin ';
const HELP = '  ? help';
const tabText = (pane: PaneId, index: number) => ` ${index + 1} ${paneTitles[pane]} `;
/** Every tab and the help hint; the name of the program goes first only when it fits too (not at 80 columns). */
const TABS_WIDTH = PANES.reduce((sum, pane, index) => sum + tabText(pane, index).length, 0) + HELP.length;

export function TabBar({active, width}: {active: PaneId; width: number}) {
	const theme = useTheme();
	return (
		<Box width={width} height={1} overflowY="hidden">
			<Text wrap="truncate-end">
				{width >= BRAND.length + TABS_WIDTH ? (
					<Text bold color={theme.accent}>
						{BRAND}
					</Text>
				) : null}
				{PANES.map((pane, index) => (
					<Text key={pane} inverse={pane === active} bold={pane === active}>
						{tabText(pane, index)}
					</Text>
				))}
				<Text color={theme.border} dimColor={theme.dim}>
					{HELP}
				</Text>
			</Text>
		</Box>
	);
}
