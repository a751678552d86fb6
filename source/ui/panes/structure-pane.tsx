// Structure: account → workspace → project → folders, loaded lazily per node, every page. The visible part of the
// tree is flattened and only the rows on screen are rendered, so a folder of 10 000 children scrolls freely. → opens,
// ← closes, Enter shows the selected node's details (ids, size, status, times, folder path, view_url), y/Y copy its
// id and view_url, s/S sort the children of every node.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import {formatTimestamp} from '../../log/human-format.js';
import {ROOT_KEY, type ChildOrder, type NodeState, type StructureTree} from '../../store/structure-tree.js';
import {DetailView, detailRows, type DetailField, type Details} from '../components/detail-view.js';
import {TextPrompt} from '../components/text-prompt.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes} from '../../format/bytes.js';
import {formatSeconds} from '../../format/duration.js';
import {formatCount} from '../../format/number.js';
import {displayWidth, fit, middleEllipsis} from '../../format/text.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {byNumber, byText, useSort, type SortColumn} from '../hooks/use-sort.js';
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
	if (state.children === null) {
		if (state.node.kind !== 'file') return '';
		const size = state.node.size !== undefined ? formatBytes(state.node.size) : '';
		return state.node.head ? `head${size ? ` · ${size}` : ''}` : size;
	}
	const loaded = state.children.length;
	const noun = state.node.kind === 'version_stack' ? ['version', 'versions'] : ['item', 'items'];
	const count = state.loading
		? `${formatCount(loaded)}${state.totalCount !== null ? ` of ${formatCount(state.totalCount)}` : ''}…`
		: `${formatCount(loaded)} ${loaded === 1 ? noun[0] : noun[1]}`;
	const pages = state.pages > 1 ? ` · ${state.pages} pages` : '';
	const cached =
		state.staleAgeMs !== null ? ` [stale: cached ${formatSeconds(state.staleAgeMs / 1000)} ago]` : state.fromCache === 'all' ? ' [cache]' : state.fromCache === 'some' ? ' [part cache]' : '';
	return `(${count}${pages})${cached}`;
}

const sortColumns: SortColumn<NodeState>[] = [
	// As Frame.io lists them.
	{title: 'LISTED', compare: () => 0},
	{title: 'NAME', compare: (a, b) => byText(a.lowerName, b.lowerName)},
	{title: 'SIZE', compare: (a, b) => byNumber(a.node.size, b.node.size), descending: true},
	{title: 'UPDATED', compare: (a, b) => byText(a.node.updatedAt ?? '', b.node.updatedAt ?? ''), descending: true},
];

/** Account / workspace / project / folders above the node (its own name last). */
export function nodePath(tree: StructureTree, state: NodeState): string {
	const names: string[] = [];
	for (let current: NodeState | undefined = state; current && current.key !== ROOT_KEY; current = current.parent === null ? undefined : tree.get(current.parent)) {
		names.unshift(current.node.name);
	}
	return names.join(' / ');
}

const when = (iso: string | undefined) => (iso && Number.isFinite(Date.parse(iso)) ? formatTimestamp(new Date(iso)) : undefined);

/** Enter: what the API said of the node, and where it sits. */
export function nodeDetails(tree: StructureTree, state: NodeState): Details {
	const {node} = state;
	const parent = state.parent !== null && state.parent !== ROOT_KEY ? tree.get(state.parent) : undefined;
	const fields: Array<DetailField | null> = [
		{label: 'kind', value: node.kind === 'version_stack' ? 'version stack' : node.head ? 'file, the head of its version stack' : parent?.node.kind === 'version_stack' ? 'file, a version in a stack' : node.kind},
		{label: 'id', value: node.id},
		node.size !== undefined ? {label: 'size', value: `${formatBytes(node.size)} (${formatCount(node.size)} bytes)`} : null,
		node.status ? {label: 'status', value: node.status} : null,
		{label: 'in', value: parent ? nodePath(tree, parent) : '(top)'},
		node.viewUrl ? {label: 'view_url', value: node.viewUrl} : null,
		when(node.createdAt) ? {label: 'created', value: when(node.createdAt)!} : null,
		when(node.updatedAt) ? {label: 'updated', value: when(node.updatedAt)!} : null,
		node.mediaType ? {label: 'media type', value: node.mediaType} : null,
		node.expandable ? {label: 'listing', value: listingInfo(state) || 'not listed yet (→ opens it)'} : null,
	];
	return {title: `${node.kind === 'file' || node.kind === 'folder' ? '' : `${kindLabel[node.kind]} `}${node.name}`, fields: fields.filter((field): field is DetailField => field !== null)};
}

export function StructurePane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore, copy} = useConsole();
	const structure = useStoreSelector(state => state.structure);
	const frame = useStoreSelector(state => (state.structure.loading > 0 ? state.clock.frame : 0));
	const [filter, setFilter] = useViewState('structure.filter', '');
	const [open, setOpen] = useViewState('structure.details', false);
	const [editing, setEditing] = useState(false);
	const sort = useSort('structure.sort', sortColumns);
	const {tree, version} = structure;

	// As listed (no sort at all) unless another order is asked for.
	const order = useMemo<ChildOrder>(() => {
		if (sort.column.title === 'LISTED' && !sort.descending) return null;
		const compare = sort.column.compare;
		return {key: sort.key, compare: sort.descending ? (a, b) => compare(b, a) : compare};
	}, [sort.key]);
	// The tree is mutable: its version, not its identity, says when it changed.
	const {rows, matches} = useMemo(() => tree.filterRows(filter, order), [tree, version, filter, order]);
	const area = height - 2;
	const detailsAt = (index: number) => {
		const state = open && !editing && rows[index] ? tree.get(rows[index].key) : undefined;
		return state ? nodeDetails(tree, state) : null;
	};
	const cursor = useListCursor({count: rows.length, height: index => Math.max(1, area - detailRows(detailsAt(index), width, area)), keyAt: index => rows[index].key, persistKey: 'structure.cursor'});
	const listHeight = cursor.height;
	const selectedKey = rows[cursor.index]?.key;
	const selectedState = selectedKey ? tree.get(selectedKey) : undefined;
	const details = detailsAt(cursor.index);
	const detailHeight = detailRows(details, width, area);
	const actions = consoleStore.actions.structure;

	useKeys(
		key => {
			const binding = resolveKey(key.name, ['structure', 'list']);
			if (!binding) return false;
			if (cursor.handle(binding.command) || sort.handle(binding.command)) return true;
			const state = selectedState;
			switch (binding.command) {
				case 'filter':
					setEditing(true);
					return true;
				case 'details':
					setOpen(current => !current);
					return true;
				case 'copy.id':
					copy(state?.node.id, `${state?.node.kind === 'version_stack' ? 'version stack' : (state?.node.kind ?? 'node')} id`);
					return true;
				case 'copy.url':
					copy(state?.node.viewUrl, 'view_url');
					return true;
				case 'clear':
					if (open) setOpen(false);
					else setFilter('');
					return true;
				case 'tree.reload':
					void actions.reload(state ? state.key : ROOT_KEY);
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
			: `${formatCount(tree.size)} nodes loaded${structure.loading > 0 ? ` · ${spinner} loading ${structure.loading}` : ''}${filter ? ` · filter "${filter}": ${formatCount(matches)} ${matches === 1 ? 'match' : 'matches'}` : ''} · ${order ? sort.label : 'as listed'} · [cache] = from the cache`;

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
					const nameRoom = Math.max(8, width - indent.length - 2 - (kind ? kind.length + 1 : 0) - displayWidth(info) - 2);
					const name = middleEllipsis(state.node.name, nameRoom);
					const line = `${indent}${marker} ${kind ? `${kind} ` : ''}${name}`;
					return (
						<Text key={row.key} inverse={selected} wrap="truncate-end">
							<Text bold={state.node.kind !== 'file'}>{fit(line, Math.max(1, width - displayWidth(info) - 1))}</Text>
							<Text color={state.error ? theme.fail : state.fromCache !== 'none' ? theme.info : theme.border}> {info}</Text>
						</Text>
					);
				})}
			</Box>
			{details ? <DetailView details={details} width={width} height={detailHeight} /> : null}
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
					{`${rows.length === 0 ? 0 : formatCount(cursor.index + 1)} of ${formatCount(rows.length)} · → open · ← close · Enter details · r reload`}
				</Text>
			)}
		</Box>
	);
}
