// Logs: the tail of logs/frameio_admin.log in the seed's human form, following new lines as any process of this tool
// writes them (the same file `frameio-admin logs -f` reads). `v` cycles the level shown, `/` keeps only the lines
// containing a text, Enter shows the selected line's whole JSON record, y copies it. At the last line the view
// follows what arrives; moving up stops it there (G follows again).
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import {levelRank} from '../../log/read-logs.js';
import {redactText} from '../../log/redact.js';
import type {LogLine} from '../../store/ports.js';
import {DetailView, detailRows, type Details} from '../components/detail-view.js';
import {Row} from '../components/row.js';
import {TextPrompt} from '../components/text-prompt.js';
import {formatCount} from '../../format/number.js';
import {displayWidth, middleEllipsis} from '../../format/text.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {byNumber, useSort, type SortColumn} from '../hooks/use-sort.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useConsole} from '../kit/console-context.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme, type Theme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';

/** The levels `v` cycles through: each shows that level and above. */
export const LOG_LEVELS = [
	{label: 'all levels', min: null},
	{label: 'info and above', min: 'info'},
	{label: 'warn and above', min: 'warn'},
	{label: 'errors', min: 'error'},
] as const;

const sortColumns: SortColumn<LogLine>[] = [
	{title: 'TIME', compare: (a, b) => byNumber(a.at, b.at) || a.seq - b.seq},
	{title: 'LEVEL', compare: (a, b) => levelRank(a.level) - levelRank(b.level) || a.seq - b.seq, descending: true},
];

/** The lines shown: at or above the level, containing the search text (any case). */
export function visibleLines(lines: readonly LogLine[], levelIndex: number, search: string): readonly LogLine[] {
	const min = LOG_LEVELS[levelIndex]?.min ?? null;
	const needle = search.toLowerCase();
	if (min === null && needle === '') return lines;
	const rank = min === null ? -Infinity : levelRank(min);
	return lines.filter(line => (min === null || levelRank(line.level) >= rank) && (needle === '' || line.text.toLowerCase().includes(needle)));
}

function lineColor(theme: Theme, level: string): string | undefined {
	if (level === 'error' || level === 'fatal') return theme.fail;
	if (level === 'warn') return theme.warn;
	return undefined;
}

/** Enter: the JSON record, one field a line, values whole. */
export function lineDetails(line: LogLine): Details {
	let record: Record<string, unknown> | null = null;
	try {
		const parsed: unknown = JSON.parse(line.json);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) record = parsed as Record<string, unknown>;
	} catch {
		// not JSON: shown as it is
	}
	if (!record) return {title: 'a line that is not a JSON record', fields: [{label: 'line', value: line.json}]};
	return {
		title: line.text,
		fields: Object.entries(record).map(([label, value]) => ({label, value: redactText(typeof value === 'string' ? value : JSON.stringify(value))})),
	};
}

export function LogsPane({width, height}: PaneProps) {
	const theme = useTheme();
	const {copy} = useConsole();
	const logs = useStoreSelector(state => state.logs);
	const [levelIndex, setLevelIndex] = useViewState('logs.level', 0);
	const [search, setSearch] = useViewState('logs.search', '');
	const [follow, setFollow] = useViewState('logs.follow', true);
	const [open, setOpen] = useViewState('logs.details', false);
	const [editing, setEditing] = useState(false);
	const sort = useSort('logs.sort', sortColumns);

	const lines = useMemo(() => {
		const shown = visibleLines(logs.lines, levelIndex, search);
		// The file is in time order already: TIME ↑ needs no sort.
		return sort.column.title === 'TIME' && !sort.descending ? shown : sort.apply(shown);
	}, [logs.lines, levelIndex, search, sort.key]);
	const tailing = follow && sort.column.title === 'TIME' && !sort.descending;
	const area = height - 2;
	const detailsAt = (index: number) => (open && !editing && lines[index] ? lineDetails(lines[index]) : null);
	const cursor = useListCursor({
		count: lines.length,
		height: index => Math.max(1, area - detailRows(detailsAt(index), width, area)),
		keyAt: index => String(lines[index].seq),
		persistKey: 'logs.cursor',
		follow: tailing,
	});
	const listHeight = cursor.height;
	const selected = lines[cursor.index];
	const details = detailsAt(cursor.index);
	const detailHeight = detailRows(details, width, area);

	useKeys(
		key => {
			const binding = resolveKey(key.name, ['logs', 'list']);
			if (!binding) return false;
			switch (binding.command) {
				case 'move.up':
				case 'page.up':
				case 'move.top':
					setFollow(false);
					break;
				case 'move.bottom':
					setFollow(true);
					break;
				case 'move.down':
				case 'page.down':
					// Reaching the last line follows again, as `less +F` does.
					if (cursor.index + (binding.command === 'move.down' ? 1 : listHeight - 1) >= lines.length - 1) setFollow(true);
					break;
			}
			if (cursor.handle(binding.command) || sort.handle(binding.command)) return true;
			switch (binding.command) {
				case 'logs.level':
					setLevelIndex(current => (current + 1) % LOG_LEVELS.length);
					return true;
				case 'filter':
					setEditing(true);
					return true;
				case 'details':
					setOpen(current => !current);
					return true;
				case 'copy.id':
					copy(selected?.json, 'JSON record');
					return true;
				case 'clear':
					if (open) setOpen(false);
					else setSearch('');
					return true;
			}
			return false;
		},
		{active: !editing},
	);

	if (logs.file === null) {
		return (
			<Box flexDirection="column" width={width} height={height}>
				<Text wrap="wrap">this console has no log file to follow</Text>
			</Box>
		);
	}

	const level = LOG_LEVELS[levelIndex];
	const state = [
		tailing ? 'following' : 'stopped at the cursor (G follows)',
		level.label,
		search ? `search "${search}"` : null,
		sort.column.title === 'TIME' && !sort.descending ? null : sort.label,
	]
		.filter(Boolean)
		.join(' · ');
	// The file last, cut in its middle: its name (frameio_admin.log) stays.
	const header = `${state} · ${middleEllipsis(logs.file, Math.max(17, width - displayWidth(state) - 3))}`;

	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text wrap="truncate-end" bold>
				{header}
			</Text>
			<Box flexDirection="column" height={listHeight} overflowY="hidden">
				{lines.length === 0 ? (
					<Text color={theme.border} dimColor={theme.dim} wrap="truncate-end">
						{logs.lines.length === 0 ? `no line yet in ${logs.file}` : `no line at ${level.label}${search ? ` contains "${search}"` : ''}`}
					</Text>
				) : (
					lines.slice(cursor.start, cursor.start + listHeight).map((line, offset) => (
						<Row key={line.seq} width={width} selected={cursor.start + offset === cursor.index} cells={[{text: line.text, width, color: lineColor(theme, line.level)}]} />
					))
				)}
			</Box>
			{details ? <DetailView details={details} width={width} height={detailHeight} /> : null}
			{editing ? (
				<TextPrompt
					label="search: "
					value={search}
					width={width}
					suffix={`${formatCount(lines.length)} of ${formatCount(logs.lines.length)} lines`}
					onChange={setSearch}
					onSubmit={() => setEditing(false)}
					onCancel={() => {
						setSearch('');
						setEditing(false);
					}}
				/>
			) : (
				<Text wrap="truncate-end" color={theme.border} dimColor={theme.dim}>
					{`${lines.length === 0 ? 0 : formatCount(cursor.index + 1)} of ${formatCount(lines.length)}${lines.length !== logs.lines.length ? ` (${formatCount(logs.lines.length)} read)` : ''} · v level · / search · Enter record`}
				</Text>
			)}
		</Box>
	);
}
