// Every key binding as data. The help overlay lists all of them, the footer shows the current pane's hints, and
// the input router resolves keys through this table, so what the help says is what the keys do.
import type {PaneId} from '../../store/console-store.js';
import {keyLabel} from './keys.js';

export type Scope = 'global' | 'list' | PaneId | 'dialog';

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
	{command: 'tab.next', keys: ['tab'], description: 'Next tab', scope: 'global'},
	{command: 'tab.previous', keys: ['shift+tab'], description: 'Previous tab', scope: 'global'},
	{command: 'refresh', keys: ['r'], description: 'Refresh now', scope: 'global'},
	{command: 'pause', keys: ['p'], description: 'Pause or resume the refresh (where the pane does not use p)', scope: 'global'},
	{command: 'interval.slower', keys: ['+', '='], description: 'Refresh less often', scope: 'global'},
	{command: 'interval.faster', keys: ['-'], description: 'Refresh more often', scope: 'global'},
	{command: 'help', keys: ['?'], description: 'Show or hide this help', scope: 'global', hint: 'help'},
	{command: 'quit', keys: ['q', 'ctrl+c'], description: 'Quit', scope: 'global', hint: 'quit'},

	{command: 'move.down', keys: ['j', 'down'], description: 'Move down', scope: 'list', hint: 'move', hintKeys: 'j/k'},
	{command: 'move.up', keys: ['k', 'up'], description: 'Move up', scope: 'list'},
	{command: 'page.down', keys: ['pagedown'], description: 'Page down', scope: 'list'},
	{command: 'page.up', keys: ['pageup'], description: 'Page up', scope: 'list'},
	{command: 'move.top', keys: ['g', 'home'], description: 'First row', scope: 'list'},
	{command: 'move.bottom', keys: ['G', 'end'], description: 'Last row', scope: 'list'},
	{command: 'clear', keys: ['escape'], description: 'Clear the filter, close details', scope: 'list'},

	{command: 'health.details', keys: ['enter'], description: 'Show the full reason of the selected check, and when the checks last ran', scope: 'health', hint: 'reason'},
	{command: 'health.rerun', keys: ['r'], description: 'Re-run every check now (the table follows only changed results)', scope: 'health', hint: 're-run'},

	{command: 'filter', keys: ['/'], description: 'Filter keys (Enter keeps the filter, Esc clears it)', scope: 'cache', hint: 'filter'},
	{command: 'cache.delete', keys: ['d'], description: 'Delete the selected key', scope: 'cache', destructive: true, hint: 'delete'},
	{command: 'cache.purgePattern', keys: ['P'], description: 'Purge the keys containing a pattern', scope: 'cache', destructive: true, hint: 'purge'},
	{command: 'cache.purgeExpired', keys: ['x'], description: 'Purge expired entries', scope: 'cache', destructive: true, hint: 'expired'},
	{command: 'cache.clear', keys: ['C'], description: 'Clear the whole cache (type "clear" to confirm)', scope: 'cache', destructive: true, hint: 'clear'},

	{command: 'tree.expand', keys: ['right', 'l'], description: 'Expand (load the children)', scope: 'structure', hint: 'open'},
	{command: 'tree.collapse', keys: ['left', 'h'], description: 'Collapse, or go to the parent', scope: 'structure', hint: 'close'},
	{command: 'tree.toggle', keys: ['enter'], description: 'Expand or collapse', scope: 'structure'},
	{command: 'tree.reload', keys: ['r'], description: 'Reload the selected listing', scope: 'structure', hint: 'reload'},
	{command: 'filter', keys: ['/'], description: 'Filter the loaded nodes', scope: 'structure', hint: 'filter'},

	{command: 'metrics.window', keys: ['w'], description: 'Cycle the window: 1 m / 5 m / 1 h', scope: 'metrics', hint: 'window'},

	{command: 'uploads.add', keys: ['a'], description: 'Add a file by path (Tab completes)', scope: 'uploads', writes: true, hint: 'add'},
	{command: 'uploads.pause', keys: ['p'], description: 'Pause or resume the upload queue', scope: 'uploads', hint: 'pause'},
	{command: 'uploads.cancel', keys: ['c'], description: 'Cancel the selected upload', scope: 'uploads', destructive: true, hint: 'cancel'},
	{command: 'uploads.retry', keys: ['R'], description: 'Retry the failed uploads', scope: 'uploads', writes: true, hint: 'retry'},
	{command: 'uploads.details', keys: ['enter'], description: 'Details of the selected row (expand done/failed)', scope: 'uploads', hint: 'details'},

	{command: 'farm.details', keys: ['enter'], description: "The selected process's health, alerts and uploads (Enter again: the farm's uploads)", scope: 'farm', hint: 'details'},

	{command: 'dialog.switch', keys: ['tab', 'shift+tab', 'left', 'right'], description: 'Move between Cancel and the action', scope: 'dialog'},
	{command: 'dialog.choose', keys: ['enter'], description: 'Choose the focused button (Cancel is focused first)', scope: 'dialog'},
	{command: 'dialog.cancel', keys: ['escape'], description: 'Cancel', scope: 'dialog'},
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
	dialog: 'Confirmations',
};

export const scopeOrder: readonly Scope[] = ['global', 'list', 'health', 'cache', 'structure', 'metrics', 'uploads', 'farm', 'dialog'];

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

export function keysLabel(binding: Binding): string {
	return binding.keys.map(keyLabel).join('/');
}

/** Panes that show a list the movement keys move through. */
const LIST_PANES: ReadonlySet<Scope> = new Set<Scope>(['health', 'cache', 'structure', 'uploads', 'farm']);

/** The footer: the pane's hints, then movement (panes with a list), then help and quit. */
export function footerHints(pane: Scope, readonly: boolean): Array<{keys: string; label: string; disabled: boolean}> {
	const pick = (scope: Scope) =>
		keymap
			.filter(binding => binding.scope === scope && binding.hint)
			.map(binding => ({
				keys: binding.hintKeys ?? keyLabel(binding.keys[0]),
				label: binding.hint!,
				disabled: Boolean((binding.destructive || binding.writes) && readonly),
			}));
	return [...(pane === 'global' ? [] : pick(pane)), ...(LIST_PANES.has(pane) ? pick('list') : []), ...pick('global')];
}
