// What every part of the console reads from context: the store and its actions, the mode, and the one-line
// message area of the footer.
import {createContext, useContext} from 'react';
import type {ConsoleStore} from '../../store/console-store.js';

export type ConsoleContextValue = {
	console: ConsoleStore;
	readonly: boolean;
	/** Shows a one-line message in the footer until the next key. */
	flash(message: string, tone?: 'info' | 'error'): void;
};

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
	const value = useContext(ConsoleContext);
	if (!value) throw new Error('useConsole outside <ConsoleContext.Provider>');
	return value;
}
