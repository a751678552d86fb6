// One line of a table: cells cut or padded to their widths (display widths: CJK and emoji take two cells), in one
// Text so a row costs one node. Our own instead of @alcalzone/ink-table: a virtualized list needs rows, not a whole
// table, and widths that adapt to the terminal.
import {Text} from '../kit/text.js';
import React from 'react';
import {fit, fitMiddle} from '../../format/text.js';

export type Cell = {
	text: string;
	/** Display cells; a cell of width 0 (a column dropped on a narrow terminal) is left out. */
	width: number;
	align?: 'left' | 'right';
	color?: string;
	bold?: boolean;
	/** Where a text too long is cut: its end (default), or its middle, keeping the words at the end whole. */
	cut?: 'end' | 'middle';
};

export function Row({cells, selected = false, width, bold = false}: {cells: Cell[]; selected?: boolean; width: number; bold?: boolean}) {
	// Adjacent cells of the same style become one string: every nested Text costs Ink a measure and a layout
	// node, and a screen of rows is redrawn on every key press.
	const segments: Array<{text: string; color?: string; bold?: boolean}> = [];
	let used = 0;
	for (const cell of cells) {
		if (cell.width <= 0) continue;
		const gap = used > 0 ? ' ' : '';
		const text = gap + (cell.cut === 'middle' ? fitMiddle(cell.text, cell.width, cell.align) : fit(cell.text, cell.width, cell.align));
		used += cell.width + gap.length;
		const last = segments.at(-1);
		if (last && last.color === cell.color && last.bold === cell.bold) last.text += text;
		else segments.push({text, color: cell.color, bold: cell.bold});
	}
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

/**
 * A column's width: a number is fixed; otherwise at least `min`, at most `max` (default: no limit), growing by
 * `grow` (a weight, default 0: it stays at min) into the room the terminal leaves. `drop`: on a terminal too narrow
 * for every minimum, columns with a drop rank go first, the highest rank first (width 0).
 */
export type ColumnSpec = number | {min: number; max?: number; grow?: number; drop?: number};

/** Widths for `specs` in `total` cells (one space between columns). */
export function fitColumns(total: number, specs: readonly ColumnSpec[]): number[] {
	const all = specs.map(spec => (typeof spec === 'number' ? {min: spec, max: spec, grow: 0, drop: 0} : {grow: 0, drop: 0, max: Infinity, ...spec}));
	const kept = all.map(() => true);
	const needed = () => all.reduce((sum, spec, i) => sum + (kept[i] ? spec.min : 0), 0) + Math.max(0, kept.filter(Boolean).length - 1);
	// Drop the optional columns, highest rank first, until the minimums fit.
	const ranks = [...new Set(all.map(spec => spec.drop).filter(rank => rank > 0))].sort((a, b) => b - a);
	for (const rank of ranks) {
		if (needed() <= total) break;
		all.forEach((spec, i) => {
			if (spec.drop === rank) kept[i] = false;
		});
	}
	const widths = all.map((spec, i) => (kept[i] ? spec.min : 0));
	let free = total - needed();
	// Shares of the free room by weight, capped at max; what a capped column leaves goes round again.
	while (free > 0) {
		const growing = all.map((spec, i) => i).filter(i => kept[i] && all[i].grow > 0 && widths[i] < all[i].max);
		if (growing.length === 0) break;
		const weight = growing.reduce((sum, i) => sum + all[i].grow, 0);
		let given = 0;
		for (const i of growing) {
			const share = Math.min(all[i].max - widths[i], Math.floor((free * all[i].grow) / weight));
			widths[i] += share;
			given += share;
		}
		if (given === 0) {
			// Less room than columns: a cell each, in order.
			for (const i of growing) {
				if (given >= free) break;
				widths[i]++;
				given++;
			}
		}
		free -= given;
	}
	return widths;
}
