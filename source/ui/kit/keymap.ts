// Every key binding as data. The help overlay lists all of them, the footer shows the current pane's hints, and
// the input router resolves keys through this table, so what the help says is what the keys do.
import type {PaneId} from '../../store/console-store.js';
import {keyLabel} from './keys.js';

export type Scope = 'global' | 'list' | PaneId | 'input' | 'dialog';

type BindingSpec = {
	command: string;
	keys: readonly string[];
	description: string;
	scope: Scope;
	/** Removes or stops something: asks for confirmation, and --readonly disables it. */
	destructive?: boolean;
	/** Writes to Frame.io (an upload, a retry): --readonly disables it, without a confirmation otherwise. */
	writes?: boolean;
	/** Short label for the footer; bindings without one are only in the help. */
	hint?: string;
	/** The keys as the footer shows them, when not the first key. */
	hintKeys?: string;
};

const bindings = [
	{command: 'tab.health', keys: ['1'], description: 'Health tab', scope: 'global'},
	{command: 'tab.cache', keys: ['2'], description: 'Cache tab', scope: 'global'},
	{command: 'tab.structure', keys: ['3'], description: 'Structure tab', scope: 'global'},
	{command: 'tab.metrics', keys: ['4'], description: 'Metrics tab', scope: 'global'},
	{command: 'tab.uploads', keys: ['5'], description: 'Uploads tab', scope: 'global'},
	{command: 'tab.farm', keys: ['6'], description: 'Farm tab', scope: 'global'},
	{command: 'tab.logs', keys: ['7'], description: 'Logs tab', scope: 'global'},
	{command: 'tab.next', keys: ['tab'], description: 'Next tab', scope: 'global'},
	{command: 'tab.previous', keys: ['shift+tab'], description: 'Previous tab', scope: 'global'},
	{command: 'refresh', keys: ['r'], description: 'Refresh now', scope: 'global'},
	{command: 'freeze', keys: ['f'], description: 'Freeze or unfreeze the automatic refresh (the screen stays as it is; r still refreshes)', scope: 'global'},
	{command: 'interval.faster', keys: ['+', '='], description: 'Refresh more often', scope: 'global'},
	{command: 'interval.slower', keys: ['-'], description: 'Refresh less often', scope: 'global'},
	{command: 'redraw', keys: ['ctrl+l'], description: 'Redraw the whole screen (after a stray message)', scope: 'global'},
	{command: 'help', keys: ['?'], description: 'Show or hide this help', scope: 'global', hint: 'help'},
	{command: 'quit', keys: ['q', 'ctrl+c'], description: 'Quit', scope: 'global', hint: 'quit'},

	{command: 'move.down', keys: ['j', 'down'], description: 'Move down', scope: 'list', hint: 'move', hintKeys: 'j/k'},
	{command: 'move.up', keys: ['k', 'up'], description: 'Move up', scope: 'list'},
	{command: 'page.down', keys: ['pagedown'], description: 'Page down', scope: 'list'},
	{command: 'page.up', keys: ['pageup'], description: 'Page up', scope: 'list'},
	{command: 'move.top', keys: ['g', 'home'], description: 'First row', scope: 'list'},
	{command: 'move.bottom', keys: ['G', 'end'], description: 'Last row', scope: 'list'},
	{command: 'details', keys: ['enter'], description: 'Details of the selected row; they follow the cursor (Enter or Esc closes)', scope: 'list', hint: 'details'},
	{command: 'sort.next', keys: ['s'], description: 'Sort by the next column (the header marks it ↑ or ↓)', scope: 'list', hint: 'sort'},
	{command: 'sort.reverse', keys: ['S'], description: 'Reverse the sort', scope: 'list'},
	{command: 'clear', keys: ['escape'], description: 'Close the details, clear the filter', scope: 'list'},

	{command: 'health.rerun', keys: ['r'], description: 'Re-run every check now (the table follows only changed results)', scope: 'health', hint: 're-run'},

	{command: 'filter', keys: ['/'], description: 'Filter keys (Enter keeps the filter, Esc clears it)', scope: 'cache', hint: 'filter'},
	{command: 'copy.id', keys: ['y'], description: 'Copy the selected key to the clipboard (OSC 52, works over SSH)', scope: 'cache', hint: 'copy'},
	{command: 'cache.delete', keys: ['d'], description: 'Delete the selected key', scope: 'cache', destructive: true, hint: 'delete'},
	{command: 'cache.purgePattern', keys: ['P'], description: 'Purge the keys containing a pattern', scope: 'cache', destructive: true, hint: 'purge'},
	{command: 'cache.purgeExpired', keys: ['x'], description: 'Purge expired entries', scope: 'cache', destructive: true, hint: 'expired'},
	{command: 'cache.clear', keys: ['C'], description: 'Clear the whole cache (type "clear" to confirm)', scope: 'cache', destructive: true, hint: 'clear'},

	{command: 'tree.expand', keys: ['right', 'l'], description: 'Expand (load the children)', scope: 'structure', hint: 'open/close', hintKeys: '→/←'},
	{command: 'tree.collapse', keys: ['left', 'h'], description: 'Collapse, or go to the parent', scope: 'structure'},
	{command: 'tree.reload', keys: ['r'], description: 'Reload the selected listing', scope: 'structure', hint: 'reload'},
	{command: 'filter', keys: ['/'], description: 'Filter the loaded nodes', scope: 'structure', hint: 'filter'},
	{command: 'copy.id', keys: ['y'], description: 'Copy the selected id to the clipboard (OSC 52, works over SSH)', scope: 'structure', hint: 'copy id'},
	{command: 'copy.url', keys: ['Y'], description: 'Copy the selected view_url to the clipboard (OSC 52)', scope: 'structure'},

	{command: 'metrics.window', keys: ['w'], description: 'Cycle the window: 1 m / 5 m / 1 h', scope: 'metrics', hint: 'window'},

	{command: 'uploads.add', keys: ['a'], description: 'Add a file by path (Tab completes)', scope: 'uploads', writes: true, hint: 'add'},
	{command: 'uploads.pause', keys: ['p'], description: 'Pause or resume the upload queue', scope: 'uploads', hint: 'pause queue'},
	{command: 'uploads.cancel', keys: ['c'], description: 'Cancel the selected upload', scope: 'uploads', destructive: true, hint: 'cancel'},
	{command: 'uploads.retry', keys: ['R'], description: 'Retry the failed uploads', scope: 'uploads', writes: true, hint: 'retry'},
	{command: 'copy.id', keys: ['y'], description: 'Copy the selected upload\'s file id to the clipboard (OSC 52, works over SSH)', scope: 'uploads', hint: 'copy id'},
	{command: 'copy.url', keys: ['Y'], description: 'Copy the selected upload\'s view_url to the clipboard (OSC 52)', scope: 'uploads'},

	{command: 'farm.details', keys: ['enter'], description: "The selected process's health, alerts and uploads (Enter again: the farm's uploads)", scope: 'farm'},

	{command: 'logs.level', keys: ['v'], description: 'Cycle the level shown: all / info and above / warn and above / error', scope: 'logs', hint: 'level'},
	{command: 'filter', keys: ['/'], description: 'Search: only the lines containing a text (Enter keeps it, Esc clears it)', scope: 'logs', hint: 'search'},
	{command: 'copy.id', keys: ['y'], description: 'Copy the selected line\'s JSON record to the clipboard (OSC 52)', scope: 'logs', hint: 'copy'},

	{command: 'input.left', keys: ['left'], description: 'Move the cursor left', scope: 'input', hint: 'move', hintKeys: '←/→'},
	{command: 'input.right', keys: ['right'], description: 'Move the cursor right', scope: 'input'},
	{command: 'input.home', keys: ['home', 'ctrl+a'], description: 'Start of the line', scope: 'input', hint: 'start/end', hintKeys: 'Ctrl-A/E'},
	{command: 'input.end', keys: ['end', 'ctrl+e'], description: 'End of the line', scope: 'input'},
	{command: 'input.backspace', keys: ['backspace'], description: 'Delete the character before the cursor', scope: 'input'},
	{command: 'input.deleteToStart', keys: ['ctrl+u'], description: 'Delete from the start of the line to the cursor', scope: 'input', hint: 'delete start/word', hintKeys: 'Ctrl-U/W'},
	{command: 'input.deleteWord', keys: ['ctrl+w'], description: 'Delete the word before the cursor', scope: 'input'},
	{command: 'input.deleteToEnd', keys: ['ctrl+k'], description: 'Delete from the cursor to the end of the line', scope: 'input'},
	{command: 'input.complete', keys: ['tab'], description: 'Complete the path (add file)', scope: 'input'},
	{command: 'input.submit', keys: ['enter'], description: 'Accept', scope: 'input', hint: 'ok'},
	{command: 'input.cancel', keys: ['escape'], description: 'Cancel', scope: 'input', hint: 'cancel'},

	{command: 'dialog.switch', keys: ['tab', 'shift+tab', 'left', 'right'], description: 'Move between the buttons (each says what it does)', scope: 'dialog'},
	{command: 'dialog.choose', keys: ['enter'], description: 'Choose the focused button (the one that changes nothing is focused first)', scope: 'dialog'},
	{command: 'dialog.cancel', keys: ['escape'], description: 'Close, changing nothing', scope: 'dialog'},
] as const satisfies readonly BindingSpec[];

/** Every command a key can trigger: a pane's `switch (binding.command)` with a misspelt case does not compile. */
export type Command = (typeof bindings)[number]['command'];

export type Binding = Omit<BindingSpec, 'command'> & {command: Command};

export const keymap: readonly Binding[] = bindings;

export const scopeTitles: Record<Scope, string> = {
	global: 'Everywhere',
	list: 'Lists (every pane)',
	health: 'Health',
	cache: 'Cache',
	structure: 'Structure',
	metrics: 'Metrics',
	uploads: 'Uploads',
	farm: 'Farm',
	logs: 'Logs',
	input: 'Text inputs (filter, pattern, path)',
	dialog: 'Confirmations',
};

export const scopeOrder: readonly Scope[] = ['global', 'list', 'health', 'cache', 'structure', 'metrics', 'uploads', 'farm', 'logs', 'input', 'dialog'];

/** The help's order for a pane: its own keys first, then the list keys, then the rest. */
export function scopesFor(pane: Scope): Scope[] {
	const first: Scope[] = pane === 'global' ? [] : [pane];
	if (LIST_PANES.has(pane)) first.push('list');
	return [...first, ...scopeOrder.filter(scope => !first.includes(scope))];
}

/** Whether --readonly turns the binding off: it removes something, or writes to Frame.io. */
export function disabledByReadonly(binding: Pick<Binding, 'destructive' | 'writes'>): boolean {
	return Boolean(binding.destructive || binding.writes);
}

/** The binding a key triggers in the first scope that binds it (scopes in priority order). */
export function resolveKey(name: string, scopes: readonly Scope[]): Binding | undefined {
	for (const scope of scopes) {
		const binding = keymap.find(entry => entry.scope === scope && entry.keys.includes(name));
		if (binding) return binding;
	}
	return undefined;
}

/** The key that opens a pane's tab ("1" … "7"), from the keymap, for the tab bar. */
export function tabKey(pane: PaneId): string {
	return keymap.find(binding => binding.command === `tab.${pane}`)?.keys[0] ?? '';
}

export function keysLabel(binding: Binding): string {
	return binding.keys.map(keyLabel).join('/');
}

/** Panes that show a list the movement keys move through. */
const LIST_PANES: ReadonlySet<Scope> = new Set<Scope>(['health', 'cache', 'structure', 'metrics', 'uploads', 'farm', 'logs']);

/**
 * The footer: the pane's hints, then movement (panes with a list), then help and quit. While a text input is open
 * (scope 'input'), only its editing keys: "?" and "q" type themselves there.
 */
export function footerHints(pane: Scope, readonly: boolean, uploadsHeld = false): Array<{keys: string; label: string; disabled: boolean}> {
	// Another process's upload queue (uploadsHeld): its writes, and its pause, are that process's.
	const off = (binding: Binding) => (readonly || uploadsHeld ? disabledByReadonly(binding) : false) || (uploadsHeld && binding.command === 'uploads.pause');
	const pick = (scope: Scope) =>
		keymap
			.filter(binding => binding.scope === scope && binding.hint)
			.map(binding => ({
				keys: binding.hintKeys ?? keyLabel(binding.keys[0]),
				label: binding.hint!,
				disabled: off(binding),
			}));
	if (pane === 'input') return pick('input');
	return [...(pane === 'global' ? [] : pick(pane)), ...(LIST_PANES.has(pane) ? pick('list') : []), ...pick('global')];
}
