// The selected row of a virtualized list. Selection follows the row's key when the list changes under it (a refresh,
// a filter, a sort). When the row is gone (deleted, purged), it goes to its nearest neighbour that is still there:
// the row below it in the list as it was, else the row above.
import {useContext, useRef} from 'react';
import {clampIndex, windowStart} from './list-window.js';
import {useViewState, ViewStateContext} from './use-view-state.js';

export type ListCursor = {
	index: number;
	/** First visible row. */
	start: number;
	select(index: number): void;
	/** Handles movement commands of the keymap; false for anything else. */
	handle(command: string): boolean;
};

type Selection = {key: string | null; index: number};
type Seen = {count: number; keyAt: (index: number) => string; index: number};

/** Where `key` is now: near where it was first (a refresh rarely moves it far), then anywhere. */
function find(key: string, around: number, count: number, keyAt: (index: number) => string): number {
	for (let d = 0; d < 64; d++) {
		if (around + d < count && keyAt(around + d) === key) return around + d;
		if (d > 0 && around - d >= 0 && around - d < count && keyAt(around - d) === key) return around - d;
	}
	for (let i = 0; i < count; i++) if (keyAt(i) === key) return i;
	return -1;
}

/** How far from the vanished row its neighbour is looked for (a filter keystroke on 100 000 keys must stay cheap). */
const NEIGHBOUR_REACH = 512;

/**
 * The nearest row of the old list around `index` that the new list still has: below first, then above. One pass
 * over the new list against the few candidates (a Map of 100 000 new keys per filter keystroke would cost more than
 * the filter itself).
 */
function neighbour(old: Seen, count: number, keyAt: (index: number) => string): number {
	const preference = new Map<string, number>();
	for (let d = 1; d < Math.min(old.count, NEIGHBOUR_REACH); d++) {
		for (const i of [old.index + d, old.index - d]) {
			if (i < 0 || i >= old.count) continue;
			const key = old.keyAt(i);
			if (!preference.has(key)) preference.set(key, preference.size);
		}
	}
	let best = -1;
	let bestRank = Infinity;
	for (let i = 0; i < count && bestRank > 0; i++) {
		const rank = preference.get(keyAt(i));
		if (rank !== undefined && rank < bestRank) {
			bestRank = rank;
			best = i;
		}
	}
	return best;
}

/**
 * `height`: the rows the list has, or a function of the selected row (details under the list take what the selected
 * row needs).
 */
export function useListCursor(options: {count: number; height: number | ((index: number) => number); keyAt: (index: number) => string; persistKey: string; follow?: boolean}): ListCursor & {height: number} {
	const {count, keyAt} = options;
	const [state, setState] = useViewState<Selection>(options.persistKey, {key: null, index: 0});
	const views = useContext(ViewStateContext);
	const startRef = useRef(0);
	const seen = useRef<Seen | null>(null);
	// Where the selection settled when the rows changed under it: used until the user moves (a new `state`), and kept
	// for the next visit of the tab, without a render of its own (a filter keystroke over 100 000 keys renders once).
	const settled = useRef<{base: Selection; value: Selection} | null>(null);
	const current = settled.current && settled.current.base === state ? settled.current.value : state;

	let index = clampIndex(current.index, count);
	if (options.follow && count > 0) index = count - 1;
	else if (current.key !== null && count > 0 && keyAt(index) !== current.key) {
		const found = find(current.key, index, count, keyAt);
		if (found >= 0) index = found;
		else if (seen.current && seen.current.count > 0) {
			const near = neighbour(seen.current, count, keyAt);
			if (near >= 0) index = near;
		}
	}
	seen.current = {count, keyAt, index};
	// An empty list (a filter that matches nothing yet) keeps the old selection for when the rows come back.
	if (count > 0 && (keyAt(index) !== current.key || index !== current.index)) {
		const value = {key: keyAt(index), index};
		settled.current = {base: state, value};
		views.set(options.persistKey, value);
	}

	const height = typeof options.height === 'function' ? options.height(index) : options.height;
	const start = windowStart(index, startRef.current, height, count);
	startRef.current = start;

	const select = (next: number) => {
		const clamped = clampIndex(next, count);
		setState({index: clamped, key: count > 0 ? keyAt(clamped) : null});
	};
	const page = Math.max(1, height - 1);

	return {
		index,
		start,
		height,
		select,
		handle(command) {
			switch (command) {
				case 'move.down':
					select(index + 1);
					return true;
				case 'move.up':
					select(index - 1);
					return true;
				case 'page.down':
					select(index + page);
					return true;
				case 'page.up':
					select(index - page);
					return true;
				case 'move.top':
					select(0);
					return true;
				case 'move.bottom':
					select(count - 1);
					return true;
				default:
					return false;
			}
		},
	};
}
