// Cache: stats, and a virtualized, filterable, sortable list of every key (only the visible rows reach React, so
// 100 000 keys cost a filter pass, not 100 000 nodes). d / P / x / C delete and purge, each behind a confirmation
// that says what it removes; Enter shows the selected key's details, y copies it.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import type {CacheStats} from '../../store/ports.js';
import {countExpired, countMatching, createRowFilter, EXPIRED_PATTERN, type CacheRow} from '../../store/cache-slice.js';
import {ConfirmDialog, TypedConfirmDialog} from '../components/confirm-dialog.js';
import {DetailView, detailRows, type Details} from '../components/detail-view.js';
import {fitColumns, Row} from '../components/row.js';
import {TextPrompt} from '../components/text-prompt.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes} from '../../format/bytes.js';
import {formatAge, formatClock, formatDuration, formatSeconds} from '../../format/duration.js';
import {formatCount} from '../../format/number.js';
import {formatPercent} from '../../format/percent.js';
import {displayWidth} from '../../format/text.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {byNumber, byText, useSort, type SortColumn} from '../hooks/use-sort.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme} from '../kit/theme.js';
import {errorMessage} from '../../store/error-message.js';
import type {PaneProps} from './pane-props.js';

type Mode =
	| {kind: 'list'}
	| {kind: 'filter'}
	| {kind: 'pattern'; value: string}
	| {kind: 'confirm-delete'; key: string}
	| {kind: 'confirm-pattern'; pattern: string; count: number}
	| {kind: 'confirm-expired'; count: number}
	| {kind: 'confirm-clear'; count: number};

/** Items packed into lines of at most `width` columns, at most `maxLines` lines. */
export function packLine(items: string[], width: number, maxLines: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const item of items) {
		const next = line === '' ? item : `${line} · ${item}`;
		if (displayWidth(next) > width && line !== '') {
			lines.push(line);
			line = item;
		} else line = next;
	}
	if (line !== '') lines.push(line);
	return lines.slice(0, maxLines);
}

export function statsLines(stats: CacheStats | null, width: number, cacheOf: string | null = null): string[] {
	const owner = cacheOf ? `cache of ${cacheOf} · ` : '';
	if (!stats) return [`${owner}reading the cache…`, ''];
	const first = `${owner}entries ${formatCount(stats.total)} (valid ${formatCount(stats.valid)}, expired ${formatCount(stats.expired)}) · ${formatBytes(stats.bytes)} · oldest ${stats.oldestAgeMs === null ? '-' : formatAge(stats.oldestAgeMs)}`;
	const hitRate = `hit rate ${formatPercent(stats.hitRate)} (${formatCount(stats.hits)} hits, ${formatCount(stats.misses)} misses)`;
	const types = Object.entries(stats.byType).map(([type, row]) => {
		const ttl = stats.ttlByType[type];
		return `${type} ${formatCount(row.count)}${ttl !== undefined ? ` ttl ${formatSeconds(ttl)}` : ''}`;
	});
	return [first, ...packLine([hitRate, ...types], width, 2)];
}

const sortColumns: SortColumn<CacheRow>[] = [
	{title: 'KEY', compare: (a, b) => byText(a.key, b.key)},
	{title: 'TYPE', compare: (a, b) => byText(a.type, b.type)},
	// The age grows as setAt goes back: newest first is the largest setAt.
	{title: 'AGE', compare: (a, b) => byNumber(b.setAt, a.setAt)},
	{title: 'TTL LEFT', compare: (a, b) => byNumber(a.expiresAt, b.expiresAt)},
];

/** KEY as wide as the longest key (so that a wide terminal keeps TYPE, AGE and TTL next to it), the rest fixed. */
export function cacheColumns(width: number, longestKey: number): number[] {
	return fitColumns(width, [{min: 16, max: Math.max(16, Math.min(72, longestKey + 1)), grow: 1}, 11, 6, 9]);
}

function longestKey(rows: readonly CacheRow[]): number {
	let longest = 0;
	for (const row of rows) {
		const width = row.key.length > longest ? displayWidth(row.key) : 0;
		if (width > longest) longest = width;
	}
	return longest;
}

/** Enter: the selected key, its size, and its age and TTL as times. */
export function keyDetails(row: CacheRow, now: number): Details {
	const expired = row.expiresAt <= now;
	return {
		title: row.key,
		fields: [
			{label: 'key', value: row.key},
			{label: 'type', value: row.type},
			{label: 'size', value: formatBytes(row.bytes)},
			{label: 'cached at', value: `${formatClock(row.setAt)} (${formatDuration(Math.max(0, now - row.setAt))} ago)`},
			{
				label: expired ? 'expired at' : 'expires at',
				value: `${formatClock(row.expiresAt)} (${expired ? `${formatDuration(now - row.expiresAt)} ago` : `TTL left ${formatDuration(row.expiresAt - now)}`})`,
			},
			{label: 'TTL', value: formatDuration(row.expiresAt - row.setAt)},
		],
	};
}

export function CachePane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore, flash, copy} = useConsole();
	const cache = useStoreSelector(state => state.cache);
	const cacheOf = useStoreSelector(state => state.status.cacheOf);
	const [filter, setFilter] = useViewState('cache.filter', '');
	const [open, setOpen] = useViewState('cache.details', false);
	const [mode, setMode] = useState<Mode>({kind: 'list'});
	const sort = useSort('cache.sort', sortColumns);

	// Sorted once per change of the keys or of the order; the filter then narrows the sorted array (keeping its
	// order), and narrows its previous result while a filter is typed instead of scanning every key per character.
	const sorted = useMemo(() => sort.apply(cache.rows), [cache.rows, sort.key]);
	const filterRows = useMemo(createRowFilter, []);
	const rows = useMemo(() => filterRows(sorted, filter), [filterRows, sorted, filter]);
	const longest = useMemo(() => longestKey(cache.rows), [cache.rows]);

	const summary = statsLines(cache.stats, width, cacheOf);
	const area = height - summary.length - 2;
	const now = cache.now || Date.now();
	const detailsAt = (index: number) => (open && mode.kind === 'list' && rows[index] ? keyDetails(rows[index], now) : null);
	const cursor = useListCursor({count: rows.length, height: index => Math.max(1, area - detailRows(detailsAt(index), width, area)), keyAt: index => rows[index].key, persistKey: 'cache.cursor'});
	const listHeight = cursor.height;
	const details = detailsAt(cursor.index);
	const detailHeight = detailRows(details, width, area);
	const selected: CacheRow | undefined = rows[cursor.index];

	const run = (label: string, action: () => Promise<number | boolean>) => {
		setMode({kind: 'list'});
		action().then(
			result => flash(typeof result === 'number' ? `${label}: ${formatCount(result)} ${result === 1 ? 'key' : 'keys'} removed` : `${label}: ${result ? 'removed' : 'already gone'}`),
			error => flash(`${label} failed: ${errorMessage(error)}`, 'error'),
		);
	};

	useKeys(
		key => {
			const binding = resolveKey(key.name, ['cache', 'list']);
			if (!binding) return false;
			if (cursor.handle(binding.command) || sort.handle(binding.command)) return true;
			switch (binding.command) {
				case 'filter':
					setMode({kind: 'filter'});
					return true;
				case 'details':
					setOpen(current => !current);
					return true;
				case 'copy.id':
					copy(selected?.key, 'key');
					return true;
				case 'clear':
					// Esc closes the details first, then clears the filter.
					if (open) setOpen(false);
					else setFilter('');
					return true;
				case 'cache.delete':
					if (selected) setMode({kind: 'confirm-delete', key: selected.key});
					else flash('no key selected');
					return true;
				case 'cache.purgePattern':
					setMode({kind: 'pattern', value: filter});
					return true;
				case 'cache.purgeExpired': {
					// Nothing to remove: said, not asked.
					const count = countExpired(cache.rows, Date.now());
					if (count === 0) flash('no entry has expired: nothing to purge');
					else setMode({kind: 'confirm-expired', count});
					return true;
				}
				case 'cache.clear':
					if (cache.rows.length === 0) flash('the cache is already empty: nothing to clear');
					else setMode({kind: 'confirm-clear', count: cache.rows.length});
					return true;
			}
			return false;
		},
		{active: mode.kind === 'list'},
	);

	const [keyW, typeW, ageW, ttlW] = cacheColumns(width, longest);
	const dialogWidth = width;

	let body: React.ReactNode;
	switch (mode.kind) {
		case 'confirm-delete':
			body = (
				<ConfirmDialog
					width={dialogWidth}
					title="Delete cache key?"
					lines={[mode.key]}
					cancelLabel="Keep the key"
					confirmLabel="Delete key"
					onCancel={() => setMode({kind: 'list'})}
					onConfirm={() => run(`delete ${mode.key}`, () => consoleStore.actions.cache.del(mode.key))}
				/>
			);
			break;
		case 'confirm-pattern':
			body = (
				<ConfirmDialog
					width={dialogWidth}
					title={`Purge ${formatCount(mode.count)} ${mode.count === 1 ? 'key' : 'keys'} containing "${mode.pattern}"?`}
					lines={['Other processes using this cache see the purge too.']}
					cancelLabel="Keep them"
					confirmLabel={`Purge ${formatCount(mode.count)} ${mode.count === 1 ? 'key' : 'keys'}`}
					onCancel={() => setMode({kind: 'list'})}
					onConfirm={() => run(`purge "${mode.pattern}"`, () => consoleStore.actions.cache.purge({pattern: mode.pattern}))}
				/>
			);
			break;
		case 'confirm-expired':
			body = (
				<ConfirmDialog
					width={dialogWidth}
					title={`Purge ${formatCount(mode.count)} expired ${mode.count === 1 ? 'entry' : 'entries'}?`}
					lines={['Entries past their TTL are dropped from the cache and its snapshot.']}
					cancelLabel="Keep them"
					confirmLabel="Purge expired"
					onCancel={() => setMode({kind: 'list'})}
					onConfirm={() => run('purge expired', () => consoleStore.actions.cache.purge({expired: true}))}
				/>
			);
			break;
		case 'confirm-clear':
			body = (
				<TypedConfirmDialog
					width={dialogWidth}
					title={`Clear the whole cache (${formatCount(mode.count)} entries)?`}
					lines={['Every entry goes, in every process that shares this cache.']}
					word="clear"
					onCancel={() => setMode({kind: 'list'})}
					onConfirm={() => run('clear', () => consoleStore.actions.cache.purge({all: true}))}
				/>
			);
			break;
		default:
			body = (
				<>
					<Row
						bold
						width={width}
						cells={[
							{text: sort.mark('KEY'), width: keyW},
							{text: sort.mark('TYPE'), width: typeW},
							{text: sort.mark('AGE'), width: ageW, align: 'right'},
							{text: sort.mark('TTL LEFT'), width: ttlW, align: 'right'},
						]}
					/>
					<Box flexDirection="column" height={listHeight} overflow="hidden">
						{rows.length === 0 ? (
							<Text color={theme.border} dimColor={theme.dim}>
								{cache.rows.length === 0 ? 'the cache is empty' : `no key contains "${filter}"`}
							</Text>
						) : (
							rows.slice(cursor.start, cursor.start + listHeight).map((row, offset) => {
								const expired = row.expiresAt <= now;
								return (
									<Row
										key={row.key}
										width={width}
										selected={cursor.start + offset === cursor.index}
										cells={[
											{text: row.key, width: keyW, cut: 'middle'},
											{text: row.type, width: typeW},
											{text: formatAge(now - row.setAt), width: ageW, align: 'right'},
											{text: expired ? 'expired' : formatAge(row.expiresAt - now), width: ttlW, align: 'right', color: expired ? theme.warn : undefined},
										]}
									/>
								);
							})
						)}
					</Box>
					{details ? <DetailView details={details} width={width} height={detailHeight} /> : null}
				</>
			);
	}

	let bottom: React.ReactNode;
	if (mode.kind === 'filter') {
		bottom = (
			<TextPrompt
				label="filter: "
				value={filter}
				width={width}
				suffix={`${formatCount(rows.length)} of ${formatCount(cache.rows.length)} keys`}
				onChange={setFilter}
				onSubmit={() => setMode({kind: 'list'})}
				onCancel={() => {
					setFilter('');
					setMode({kind: 'list'});
				}}
			/>
		);
	} else if (mode.kind === 'pattern') {
		const count = countMatching(cache.rows, mode.value);
		bottom = (
			<TextPrompt
				label="purge keys containing: "
				value={mode.value}
				width={width}
				suffix={
					mode.value === ''
						? 'type a pattern'
						: `${formatCount(count)} ${count === 1 ? 'key matches' : 'keys match'}${mode.value === EXPIRED_PATTERN ? ': the expired entries' : ''}`
				}
				onChange={value => setMode({kind: 'pattern', value})}
				onSubmit={value => {
					if (value === '') setMode({kind: 'list'});
					else if (countMatching(cache.rows, value) === 0) {
						setMode({kind: 'list'});
						flash(`no key contains "${value}": nothing to purge`);
					} else setMode({kind: 'confirm-pattern', pattern: value, count: countMatching(cache.rows, value)});
				}}
				onCancel={() => setMode({kind: 'list'})}
			/>
		);
	} else {
		bottom = (
			<Text wrap="truncate-end" color={theme.border} dimColor={theme.dim}>
				{`${rows.length === 0 ? 0 : formatCount(cursor.index + 1)} of ${formatCount(rows.length)}${filter ? ` (filter "${filter}" of ${formatCount(cache.rows.length)}, Esc clears)` : ''}${cache.error ? ` · error: ${cache.error}` : ''}`}
			</Text>
		);
	}

	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			{summary.map((line, index) => (
				<Text key={index} wrap="truncate-end" bold={index === 0}>
					{line}
				</Text>
			))}
			<Box flexDirection="column" flexGrow={1} overflow="hidden">
				{body}
			</Box>
			{bottom}
		</Box>
	);
}
