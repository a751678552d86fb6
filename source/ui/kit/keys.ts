// Ink's (input, key) pair as one name the keymap can match: "q", "G", "ctrl+c", "shift+tab", "pagedown"…
import type {Key} from 'ink';

export type KeyPress = {
	/** The binding name; for printable keys the character itself. */
	name: string;
	/** The text typed (empty for special keys); a paste arrives as one string. */
	text: string;
};

export function keyPress(input: string, key: Key): KeyPress {
	const special = (name: string): KeyPress => ({name, text: ''});
	if (key.upArrow) return special('up');
	if (key.downArrow) return special('down');
	if (key.leftArrow) return special('left');
	if (key.rightArrow) return special('right');
	if (key.pageUp) return special('pageup');
	if (key.pageDown) return special('pagedown');
	if (key.home) return special('home');
	if (key.end) return special('end');
	if (key.return) return special('enter');
	if (key.escape) return special('escape');
	if (key.tab) return special(key.shift ? 'shift+tab' : 'tab');
	// Terminals send DEL (0x7f) for Backspace, which Ink calls "delete".
	if (key.backspace || key.delete) return special('backspace');
	if (key.ctrl && input.length === 1) return special(`ctrl+${input.toLowerCase()}`);
	if (input.length > 1) return {name: 'paste', text: input};
	return {name: input, text: input};
}

const CONTROL_NAMES: Record<string, string> = {'\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007F': 'backspace', '\b': 'backspace', '\u001B': 'escape'};

/**
 * Ink hands over several keys typed in one read (a busy process, a slow SSH link) as one "paste" string. Split it
 * back into key presses: a user who typed "P", "p", "r" faster than we read meant three keys, not one paste.
 */
export function splitKeys(text: string): KeyPress[] {
	return [...text].map(char => {
		const control = CONTROL_NAMES[char];
		if (control) return {name: control, text: ''};
		const code = char.charCodeAt(0);
		if (code < 0x20) return {name: `ctrl+${String.fromCharCode(code + 96)}`, text: ''};
		return {name: char, text: char};
	});
}

/** How a key name reads in the help and the footer. */
export function keyLabel(name: string): string {
	const labels: Record<string, string> = {
		up: '↑',
		down: '↓',
		left: '←',
		right: '→',
		pageup: 'PgUp',
		pagedown: 'PgDn',
		home: 'Home',
		end: 'End',
		enter: 'Enter',
		escape: 'Esc',
		tab: 'Tab',
		'shift+tab': 'Shift-Tab',
		backspace: 'Backspace',
	};
	if (labels[name]) return labels[name];
	if (name.startsWith('ctrl+')) return `Ctrl-${name.slice(5).toUpperCase()}`;
	return name;
}
