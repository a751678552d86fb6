// What every part of the console reads from context: the store and its actions, the mode, the one-line message
// area of the footer, and the terminal's clipboard.
import {createContext, useContext} from 'react';
import type {ConsoleStore} from '../../store/console-store.js';

export type ConsoleContextValue = {
	console: ConsoleStore;
	readonly: boolean;
	/** Shows a one-line message in the footer until the next key. */
	flash(message: string, tone?: 'info' | 'error'): void;
	/** Copies `text` to the user's clipboard (OSC 52) and says so in the footer, naming `what` was copied. */
	copy(text: string | undefined, what: string): void;
	/** A text input is open: the footer shows its editing keys instead of the pane's. */
	setInputOpen(open: boolean): void;
};

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
	const value = useContext(ConsoleContext);
	if (!value) throw new Error('useConsole outside <ConsoleContext.Provider>');
	return value;
}
