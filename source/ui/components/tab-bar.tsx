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
};

export function TabBar({active, width}: {active: PaneId; width: number}) {
	const theme = useTheme();
	return (
		<Box width={width} height={1} overflowY="hidden">
			<Text wrap="truncate-end">
				<Text bold color={theme.accent}>
					frameio-admin{' '}
				</Text>
				{PANES.map((pane, index) => (
					<Text key={pane} inverse={pane === active} bold={pane === active}>
						{` ${index + 1} ${paneTitles[pane]} `}
					</Text>
				))}
				<Text color={theme.border} dimColor={theme.dim}>
					{'  ? help'}
				</Text>
			</Text>
		</Box>
	);
}
