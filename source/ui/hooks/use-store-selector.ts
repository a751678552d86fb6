// A pane reads its slice through a selector; it re-renders only when what it selected changed (by `equal`), not
// on every snapshot the store publishes.
import {useCallback, useRef, useSyncExternalStore} from 'react';
import type {ConsoleState} from '../../store/console-store.js';
import {useConsole} from '../kit/console-context.js';

export function useStoreSelector<T>(selector: (state: ConsoleState) => T, equal: (a: T, b: T) => boolean = Object.is): T {
	const {store} = useConsole().console;
	const selectorRef = useRef(selector);
	selectorRef.current = selector;
	const equalRef = useRef(equal);
	equalRef.current = equal;
	const cache = useRef<{snapshot: ConsoleState; value: T} | null>(null);
	const getSelection = useCallback(() => {
		const snapshot = store.get();
		const cached = cache.current;
		if (cached && cached.snapshot === snapshot) return cached.value;
		const value = selectorRef.current(snapshot);
		// An equal selection keeps the previous value's identity, which is what stops the re-render.
		if (cached && equalRef.current(cached.value, value)) {
			cache.current = {snapshot, value: cached.value};
			return cached.value;
		}
		cache.current = {snapshot, value};
		return value;
	}, [store]);
	return useSyncExternalStore(store.subscribe, getSelection, getSelection);
}
