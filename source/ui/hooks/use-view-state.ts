// Pane view state (selection, filter, expanded groups) that survives switching tabs: panes unmount when hidden,
// so their state lives in a map the App owns.
import {createContext, useContext, useEffect, useState, type Dispatch, type SetStateAction} from 'react';

export const ViewStateContext = createContext<Map<string, unknown>>(new Map());

export function useViewState<T>(key: string, initial: T): [T, Dispatch<SetStateAction<T>>] {
	const map = useContext(ViewStateContext);
	const [value, setValue] = useState<T>(() => (map.has(key) ? (map.get(key) as T) : initial));
	useEffect(() => {
		map.set(key, value);
	}, [map, key, value]);
	return [value, setValue];
}
