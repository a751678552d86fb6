// Cache: stats, and a virtualized, filterable list of every key (only the visible rows reach React, so 100 000
// keys cost a filter pass, not 100 000 nodes). d / P / x / C delete and purge, each behind a confirmation.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import type {CacheStats} from '../../store/ports.js';
import {countExpired, countMatching, createRowFilter, EXPIRED_PATTERN, type CacheRow} from '../../store/cache-slice.js';
import {ConfirmDialog, TypedConfirmDialog} from '../components/confirm-dialog.js';
import {columnWidths, Row} from '../components/row.js';
import {TextPrompt} from '../components/text-prompt.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes} from '../../format/bytes.js';
import {formatAge, formatSeconds} from '../../format/duration.js';
import {formatCount} from '../../format/number.js';
import {formatPercent} from '../../format/percent.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
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
		if (next.length > width && line !== '') {
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

export function CachePane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore, flash} = useConsole();
	const cache = useStoreSelector(state => state.cache);
	const cacheOf = useStoreSelector(state => state.status.cacheOf);
	const [filter, setFilter] = useViewState('cache.filter', '');
	const [mode, setMode] = useState<Mode>({kind: 'list'});

	// Narrows the previous result while a filter is typed, instead of scanning every key per character.
	const filterRows = useMemo(createRowFilter, []);
	const rows = useMemo(() => filterRows(cache.rows, filter), [filterRows, cache.rows, filter]);

	const summary = statsLines(cache.stats, width, cacheOf);
	const listHeight = Math.max(1, height - summary.length - 2);
	const cursor = useListCursor({count: rows.length, height: listHeight, keyAt: index => rows[index].key, persistKey: 'cache.cursor'});
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
			if (cursor.handle(binding.command)) return true;
			switch (binding.command) {
				case 'filter':
					setMode({kind: 'filter'});
					return true;
				case 'clear':
					setFilter('');
					return true;
				case 'cache.delete':
					if (selected) setMode({kind: 'confirm-delete', key: selected.key});
					else flash('no key selected');
					return true;
				case 'cache.purgePattern':
					setMode({kind: 'pattern', value: filter});
					return true;
				case 'cache.purgeExpired': {
					const count = countExpired(cache.rows, Date.now());
					setMode({kind: 'confirm-expired', count});
					return true;
				}
				case 'cache.clear':
					setMode({kind: 'confirm-clear', count: cache.rows.length});
					return true;
			}
			return false;
		},
		{active: mode.kind === 'list'},
	);

	const [keyW, typeW, ageW, ttlW] = columnWidths(width, [null, 11, 6, 9], 16);
	const now = cache.now || Date.now();
	const dialogWidth = width;

	let body: React.ReactNode;
	switch (mode.kind) {
		case 'confirm-delete':
			body = (
				<ConfirmDialog
					width={dialogWidth}
					title="Delete cache key?"
					lines={[mode.key]}
					confirmLabel="Delete"
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
					confirmLabel="Purge"
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
							{text: 'KEY', width: keyW},
							{text: 'TYPE', width: typeW},
							{text: 'AGE', width: ageW, align: 'right'},
							{text: 'TTL LEFT', width: ttlW, align: 'right'},
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
											{text: row.key, width: keyW},
											{text: row.type, width: typeW},
											{text: formatAge(now - row.setAt), width: ageW, align: 'right'},
											{text: expired ? 'expired' : formatAge(row.expiresAt - now), width: ttlW, align: 'right', color: expired ? theme.warn : undefined},
										]}
									/>
								);
							})
						)}
					</Box>
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
