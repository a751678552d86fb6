import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	return (
		<Box width={columns} height={rows} flexDirection="column" overflowY="hidden">
			<Text wrap="wrap">{`terminal too small: need ${MIN_COLUMNS}×${MIN_ROWS}, have ${columns}×${rows}`}</Text>
			<Text wrap="wrap">q quits</Text>
		</Box>
	);
}
