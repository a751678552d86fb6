// Structure: account → workspace → project → folders, loaded lazily per node, every page. The visible part of the
// tree is flattened and only the rows on screen are rendered, so a folder of 10 000 children scrolls freely.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import {ROOT_KEY, type NodeState} from '../../store/structure-tree.js';
import {TextPrompt} from '../components/text-prompt.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes} from '../../format/bytes.js';
import {formatSeconds} from '../../format/duration.js';
import {formatCount} from '../../format/number.js';
import {fit, truncate} from '../../format/text.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const kindLabel: Record<NodeState['node']['kind'], string> = {
	account: 'account',
	workspace: 'workspace',
	project: 'project',
	folder: '',
	file: '',
	version_stack: 'stack',
};

/** "(1 234 items)", "(200 of 10 000…)", "[cache]" when the listing came from the cache, "[stale: …]" past its TTL. */
export function listingInfo(state: NodeState): string {
	if (state.error) return `error: ${state.error}`;
	if (state.children === null) return state.node.kind === 'file' && state.node.size !== undefined ? formatBytes(state.node.size) : '';
	const loaded = state.children.length;
	const count = state.loading
		? `${formatCount(loaded)}${state.totalCount !== null ? ` of ${formatCount(state.totalCount)}` : ''}…`
		: `${formatCount(loaded)} ${loaded === 1 ? 'item' : 'items'}`;
	const pages = state.pages > 1 ? ` · ${state.pages} pages` : '';
	const cached =
		state.staleAgeMs !== null ? ` [stale: cached ${formatSeconds(state.staleAgeMs / 1000)} ago]` : state.fromCache === 'all' ? ' [cache]' : state.fromCache === 'some' ? ' [part cache]' : '';
	return `(${count}${pages})${cached}`;
}

export function StructurePane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore} = useConsole();
	const structure = useStoreSelector(state => state.structure);
	const frame = useStoreSelector(state => (state.structure.loading > 0 ? state.clock.frame : 0));
	const [filter, setFilter] = useViewState('structure.filter', '');
	const [editing, setEditing] = useState(false);
	const {tree, version} = structure;

	// The tree is mutable: its version, not its identity, says when it changed.
	const {rows, matches} = useMemo(() => tree.filterRows(filter), [tree, version, filter]);
	const listHeight = Math.max(1, height - 2);
	const cursor = useListCursor({count: rows.length, height: listHeight, keyAt: index => rows[index].key, persistKey: 'structure.cursor'});
	const selectedKey = rows[cursor.index]?.key;
	const actions = consoleStore.actions.structure;

	useKeys(
		key => {
			const binding = resolveKey(key.name, ['structure', 'list']);
			if (!binding) return false;
			if (cursor.handle(binding.command)) return true;
			const state = selectedKey ? tree.get(selectedKey) : undefined;
			switch (binding.command) {
				case 'filter':
					setEditing(true);
					return true;
				case 'clear':
					setFilter('');
					return true;
				case 'tree.reload':
					void actions.reload(state ? state.key : ROOT_KEY);
					return true;
				case 'tree.toggle':
					if (state) void actions.toggle(state.key);
					return true;
				case 'tree.expand':
					if (!state) return true;
					if (state.expanded && state.children && state.children.length > 0) cursor.select(cursor.index + 1);
					else void actions.expand(state.key);
					return true;
				case 'tree.collapse': {
					if (!state) return true;
					if (state.expanded) actions.collapse(state.key);
					else if (state.parent && state.parent !== ROOT_KEY) {
						const parentIndex = rows.findIndex(row => row.key === state.parent);
						if (parentIndex >= 0) cursor.select(parentIndex);
					}
					return true;
				}
			}
			return false;
		},
		{active: !editing},
	);

	const root = tree.root;
	const spinner = SPINNER[frame % SPINNER.length];
	const headline =
		root.children === null
			? root.loading
				? `${spinner} listing the accounts…`
				: root.error
					? `error: ${root.error}`
					: 'no data yet'
			: `${formatCount(tree.size)} nodes loaded${structure.loading > 0 ? ` · ${spinner} loading ${structure.loading}` : ''}${filter ? ` · filter "${filter}": ${formatCount(matches)} ${matches === 1 ? 'match' : 'matches'}` : ''} · [cache] = listing from the cache`;

	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text wrap="truncate-end" bold>
				{headline}
			</Text>
			<Box flexDirection="column" height={listHeight} overflowY="hidden">
				{rows.slice(cursor.start, cursor.start + listHeight).map((row, offset) => {
					const state = tree.get(row.key);
					if (!state) return null;
					const selected = cursor.start + offset === cursor.index;
					const open = filter ? Boolean(state.children && state.children.length > 0) : state.expanded;
					const marker = state.loading ? spinner : !state.node.expandable ? ' ' : open ? '▾' : '▸';
					const kind = kindLabel[state.node.kind];
					const info = listingInfo(state);
					const indent = '  '.repeat(Math.max(0, row.depth));
					const nameRoom = Math.max(8, width - indent.length - 2 - (kind ? kind.length + 1 : 0) - info.length - 2);
					const name = truncate(state.node.name, nameRoom);
					const line = `${indent}${marker} ${kind ? `${kind} ` : ''}${name}`;
					return (
						<Text key={row.key} inverse={selected} wrap="truncate-end">
							<Text bold={state.node.kind !== 'file'}>{fit(line, Math.max(1, width - info.length - 1))}</Text>
							<Text color={state.error ? theme.fail : state.fromCache !== 'none' ? theme.info : theme.border}> {info}</Text>
						</Text>
					);
				})}
			</Box>
			{editing ? (
				<TextPrompt
					label="filter loaded nodes: "
					value={filter}
					width={width}
					suffix={`${formatCount(matches)} ${matches === 1 ? 'match' : 'matches'}`}
					onChange={setFilter}
					onSubmit={() => setEditing(false)}
					onCancel={() => {
						setFilter('');
						setEditing(false);
					}}
				/>
			) : (
				<Text wrap="truncate-end" color={theme.border} dimColor={theme.dim}>
					{`${rows.length === 0 ? 0 : formatCount(cursor.index + 1)} of ${formatCount(rows.length)} · →/Enter open · ← close · r reload`}
				</Text>
			)}
		</Box>
	);
}
