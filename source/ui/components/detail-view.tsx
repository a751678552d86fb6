// The details of the selected row, under the list of every pane: Enter opens them, they follow the cursor, Enter or
// Esc closes them. One component, so that every tab's details look and behave the same. Values are wrapped, never
// cut, until the view runs out of rows; it then says how many lines are left.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {displayWidth, fit, pad, truncate, wrapLines} from '../../format/text.js';
import {useTheme} from '../kit/theme.js';

export type DetailField = {label: string; value: string; color?: string};

export type Details = {title: string; fields: DetailField[]};

type Line = {label: string; text: string; color?: string};

/** The fields as lines of `width` cells: the label in its column, the value wrapped beside it. */
export function detailLines(fields: readonly DetailField[], width: number): Line[] {
	const labelW = Math.min(14, Math.max(0, ...fields.map(field => displayWidth(field.label))) + 1);
	const valueW = Math.max(8, width - labelW - 1);
	const lines: Line[] = [];
	for (const field of fields) {
		const wrapped = wrapLines(field.value === '' ? '-' : field.value, valueW);
		wrapped.forEach((text, index) => lines.push({label: index === 0 ? fit(field.label, labelW) : pad('', labelW), text, color: field.color}));
	}
	return lines;
}

/**
 * The rows the details of `details` take in a pane area `height` rows high at `width`: what they need (title line
 * included), and no more than leaves the list 3 rows. Closed (null): none.
 */
export function detailRows(details: Details | null, width: number, height: number): number {
	if (!details) return 0;
	const needed = 1 + detailLines(details.fields, width).length;
	return Math.max(0, Math.min(needed, height - 3));
}

export function DetailView({details, width, height}: {details: Details; width: number; height: number}) {
	const theme = useTheme();
	const lines = detailLines(details.fields, width);
	const room = Math.max(1, height - 1);
	const shown = lines.length > room ? lines.slice(0, room - 1) : lines;
	const left = lines.length - shown.length;
	const rule = `── ${truncate(details.title, Math.max(4, width - 20))} `;
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text bold color={theme.accent} wrap="truncate-end">
				{`${rule}${'─'.repeat(Math.max(0, width - displayWidth(rule) - 12))}${fit(' Esc closes', 12, 'right')}`}
			</Text>
			{shown.map((line, index) => (
				<Text key={index} wrap="truncate-end">
					<Text bold>{line.label}</Text> <Text color={line.color}>{line.text}</Text>
				</Text>
			))}
			{left > 0 ? <Text color={theme.border} dimColor={theme.dim} wrap="truncate-end">{`… ${left} more ${left === 1 ? 'line' : 'lines'}`}</Text> : null}
		</Box>
	);
}
