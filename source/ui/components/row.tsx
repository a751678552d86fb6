// One line of a table: cells cut or padded to their widths, in one Text so a row costs one node. Our own instead
// of @alcalzone/ink-table: a virtualized list needs rows, not a whole table, and fixed widths.
import {Text} from '../kit/text.js';
import React from 'react';
import {fit} from '../../format/text.js';

export type Cell = {text: string; width: number; align?: 'left' | 'right'; color?: string; bold?: boolean};

export function Row({cells, selected = false, width, bold = false}: {cells: Cell[]; selected?: boolean; width: number; bold?: boolean}) {
	// Adjacent cells of the same style become one string: every nested Text costs Ink a measure and a layout
	// node, and a screen of rows is redrawn on every key press.
	const segments: Array<{text: string; color?: string; bold?: boolean}> = [];
	let used = 0;
	cells.forEach((cell, index) => {
		const text = (index > 0 ? ' ' : '') + fit(cell.text, cell.width, cell.align);
		used += cell.width + (index > 0 ? 1 : 0);
		const last = segments.at(-1);
		if (last && last.color === cell.color && last.bold === cell.bold) last.text += text;
		else segments.push({text, color: cell.color, bold: cell.bold});
	});
	// Selected rows are inverse to the full width, so the bar reads across the screen.
	if (selected && used < width) segments.push({text: ' '.repeat(width - used)});
	if (segments.length === 1 && !segments[0].color && !segments[0].bold) {
		return (
			<Text inverse={selected} bold={bold} wrap="truncate-end">
				{segments[0].text}
			</Text>
		);
	}
	return (
		<Text inverse={selected} bold={bold} wrap="truncate-end">
			{segments.map((segment, index) =>
				segment.color || segment.bold ? (
					<Text key={index} color={segment.color} bold={segment.bold}>
						{segment.text}
					</Text>
				) : (
					segment.text
				),
			)}
		</Text>
	);
}

/** Column widths: fixed ones as given, the flexible one (null) takes what is left, at least `min`. */
export function columnWidths(total: number, widths: Array<number | null>, min = 8): number[] {
	const fixed = widths.reduce<number>((sum, width) => sum + (width ?? 0), 0) + Math.max(0, widths.length - 1);
	const flexible = Math.max(min, total - fixed);
	return widths.map(width => width ?? flexible);
}
