// The selected row of a virtualized list. Selection follows the row's key when the list changes under it (a
// refresh, a filter), and falls back to the same position when that row is gone.
import {useRef} from 'react';
import {clampIndex, windowStart} from './list-window.js';
import {useViewState} from './use-view-state.js';

export type ListCursor = {
	index: number;
	/** First visible row. */
	start: number;
	select(index: number): void;
	/** Handles movement commands of the keymap; false for anything else. */
	handle(command: string): boolean;
};

export function useListCursor(options: {count: number; height: number; keyAt: (index: number) => string; persistKey: string}): ListCursor {
	const {count, height, keyAt} = options;
	const [state, setState] = useViewState<{key: string | null; index: number}>(options.persistKey, {key: null, index: 0});
	const startRef = useRef(0);

	let index = clampIndex(state.index, count);
	if (state.key !== null && count > 0 && keyAt(index) !== state.key) {
		for (let i = 0; i < count; i++) {
			if (keyAt(i) === state.key) {
				index = i;
				break;
			}
		}
	}
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
