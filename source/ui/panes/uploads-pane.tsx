// Uploads: a totals line, one row per active upload, and the finished ones collapsed into counters (Enter opens
// them). a adds a file (Tab completes the path; a name that maps to no folder is asked its scene/shot), p pauses
// the queue, c cancels (confirmed), R retries failures.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import {redactText} from '../../log/redact.js';
import {errorMessage} from '../../store/error-message.js';
import type {UploadJobSnapshot, UploadJobState, UploadTotals} from '../../store/ports.js';
import {isActive} from '../../store/uploads-slice.js';
import {ConfirmDialog} from '../components/confirm-dialog.js';
import {completePath} from '../components/path-completion.js';
import {columnWidths, Row} from '../components/row.js';
import {TextPrompt} from '../components/text-prompt.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes} from '../../format/bytes.js';
import {formatEta} from '../../format/duration.js';
import {formatCount} from '../../format/number.js';
import {formatPercent, formatProgress, progressBar} from '../../format/percent.js';
import {formatSpeed} from '../../format/speed.js';
import {middleEllipsis, truncate, wrapLines} from '../../format/text.js';
import {parseSceneShot, type SceneShot} from '../../upload/local-add.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';

type FinishedState = Extract<UploadJobState, 'done' | 'failed' | 'cancelled'>;
const GROUPS: FinishedState[] = ['done', 'failed', 'cancelled'];

type ListRow = {kind: 'active'; item: UploadJobSnapshot} | {kind: 'group'; state: FinishedState; count: number} | {kind: 'finished'; item: UploadJobSnapshot};

const rowKey = (row: ListRow) => (row.kind === 'group' ? `group:${row.state}` : `${row.kind}:${row.item.id}`);

/**
 * The queue's totals, the sum of the rows below (cancelled uploads are out of the bytes). The sandbox's made-up
 * demo uploads are in it and said so. A paused queue says "paused" where a speed and an ETA would be.
 */
export function totalsLine(totals: UploadTotals, demo = 0): string {
	const moving = !(totals.paused && totals.speed === 0);
	const parts = [
		`files ${totals.done}/${totals.files - totals.cancelled}${demo > 0 ? ` (${demo} sandbox demo)` : ''}`,
		`${formatBytes(totals.bytesDone)} / ${formatBytes(totals.bytesTotal)}`,
		totals.bytesTotal > 0 ? formatPercent(totals.percent / 100) : '-',
		moving ? formatSpeed(totals.speed) : 'paused',
		moving ? `ETA ${formatEta(totals.eta)}` : 'ETA -',
		`failed ${totals.failed}`,
	];
	// First, so that a narrow terminal never cuts it off.
	return `${totals.paused ? 'QUEUE PAUSED · ' : ''}${parts.join(' · ')}`;
}

export function buildRows(items: readonly UploadJobSnapshot[], expanded: readonly FinishedState[]): ListRow[] {
	const rows: ListRow[] = items.filter(isActive).map(item => ({kind: 'active', item}));
	for (const state of GROUPS) {
		const group = items.filter(item => item.state === state);
		rows.push({kind: 'group', state, count: group.length});
		if (expanded.includes(state)) for (const item of group) rows.push({kind: 'finished', item});
	}
	return rows;
}

/** Why it failed, or where it went (folder path, file id) once done. */
function outcomeOf(job: UploadJobSnapshot): string {
	if (job.error) return job.error;
	if (job.state === 'done') return `${job.target?.folder ?? ''} (file ${job.fileId ?? '?'})`;
	if (job.state === 'cancelled' && job.bytesDone > 0) return `cancelled after ${formatBytes(job.bytesDone)}`;
	return '';
}

type Mode =
	| {kind: 'list'}
	| {kind: 'add'; value: string; candidates: string[]}
	| {kind: 'add-folder'; input: string; value: string}
	| {kind: 'confirm-cancel'; item: UploadJobSnapshot};

/** What the add-file flow has to say: a refusal, or why it asks for a scene and shot. Shown whole, wrapped. */
type AddNote = {text: string; error: boolean};

export function UploadsPane({width, height}: PaneProps) {
	const theme = useTheme();
	const {console: consoleStore, flash} = useConsole();
	const uploads = useStoreSelector(state => state.uploads);
	const [expanded, setExpanded] = useViewState<FinishedState[]>('uploads.expanded', []);
	const [details, setDetails] = useState<string | null>(null);
	const [mode, setMode] = useState<Mode>({kind: 'list'});
	const [addNote, setAddNote] = useState<AddNote | null>(null);
	const actions = consoleStore.actions.uploads;
	const noteLines = addNote ? wrapLines(redactText(addNote.text), width) : [];

	const totals = uploads.total;
	const demo = useMemo(() => uploads.jobs.filter(job => job.origin === 'demo').length, [uploads.jobs]);
	const rows = useMemo(() => buildRows(uploads.jobs, expanded), [uploads.jobs, expanded]);
	const detailItem = details ? uploads.jobs.find(item => item.id === details) : undefined;
	const detailHeight = detailItem ? 3 : 0;
	const listHeight = Math.max(1, height - 3 - detailHeight - noteLines.length);
	const cursor = useListCursor({count: rows.length, height: listHeight, keyAt: index => rowKey(rows[index]), persistKey: 'uploads.cursor'});
	const selected = rows[cursor.index];

	useKeys(
		key => {
			const binding = resolveKey(key.name, ['uploads', 'list']);
			if (!binding) return false;
			if (cursor.handle(binding.command)) return true;
			switch (binding.command) {
				case 'uploads.add':
					setAddNote(null);
					setMode({kind: 'add', value: '', candidates: []});
					return true;
				case 'uploads.pause':
					actions.togglePause();
					flash(totals.paused ? 'upload queue resumed' : 'upload queue paused');
					return true;
				case 'uploads.cancel':
					if (selected?.kind === 'active') setMode({kind: 'confirm-cancel', item: selected.item});
					else flash('select an active upload to cancel');
					return true;
				case 'uploads.retry':
					actions.retryFailed().then(
						count => flash(count === 0 ? 'no failed upload to retry' : `retrying ${count} failed ${count === 1 ? 'upload' : 'uploads'}`),
						error => flash(`retry failed: ${errorMessage(error)}`, 'error'),
					);
					return true;
				case 'uploads.details':
					if (!selected) return true;
					if (selected.kind === 'group') {
						const state = selected.state;
						setExpanded(current => (current.includes(state) ? current.filter(entry => entry !== state) : [...current, state]));
					} else setDetails(current => (current === selected.item.id ? null : selected.item.id));
					return true;
				case 'clear':
					setDetails(null);
					setAddNote(null);
					return true;
			}
			return false;
		},
		{active: mode.kind === 'list'},
	);

	const [nameW, barW, pctW, sizeW, speedW, etaW, partsW, retryW] = columnWidths(width, [null, 10, 5, 8, 10, 6, 7, 3], 12);
	const [fNameW, fStateW, fSizeW, fReasonW] = columnWidths(width, [Math.max(12, Math.floor(width * 0.35)), 9, 8, null], 10);

	const renderRow = (row: ListRow, isSelected: boolean) => {
		if (row.kind === 'group') {
			const open = expanded.includes(row.state);
			const color = row.state === 'failed' && row.count > 0 ? theme.fail : row.state === 'done' ? theme.ok : undefined;
			return (
				<Row
					key={rowKey(row)}
					width={width}
					selected={isSelected}
					cells={[{text: `${open ? '▾' : '▸'} ${row.state} ${formatCount(row.count)}${row.count > 0 && !open ? '  (Enter: list)' : ''}`, width: width, color}]}
				/>
			);
		}
		const item = row.item;
		if (row.kind === 'finished') {
			return (
				<Row
					key={rowKey(row)}
					width={width}
					selected={isSelected}
					cells={[
						{text: `  ${middleEllipsis(item.name, fNameW - 2)}`, width: fNameW},
						{text: item.state, width: fStateW, color: item.state === 'failed' ? theme.fail : item.state === 'done' ? theme.ok : undefined},
						{text: formatBytes(item.size), width: fSizeW, align: 'right'},
						{text: redactText(outcomeOf(item)), width: fReasonW},
					]}
				/>
			);
		}
		const stalled = totals.paused && item.state === 'uploading' && item.partsInFlight === 0;
		return (
			<Row
				key={rowKey(row)}
				width={width}
				selected={isSelected}
				cells={[
					{text: middleEllipsis(item.name, nameW), width: nameW},
					{text: item.state === 'queued' ? 'queued'.padEnd(barW) : progressBar(item.percent / 100, barW), width: barW, color: theme.accent},
					{text: formatProgress(item.percent), width: pctW, align: 'right'},
					{text: formatBytes(item.size), width: sizeW, align: 'right'},
					{text: item.state === 'verifying' ? 'verifying' : stalled ? 'paused' : formatSpeed(item.speed), width: speedW, align: 'right'},
					{text: formatEta(item.eta), width: etaW, align: 'right'},
					{text: `${item.partsDone}/${item.partsTotal}`, width: partsW, align: 'right'},
					{text: `r${item.retries}`, width: retryW, align: 'right', color: item.retries > 0 ? theme.warn : undefined},
				]}
			/>
		);
	};

	let bottom: React.ReactNode = (
		<Text wrap="truncate-end" color={theme.border} dimColor={theme.dim}>
			{`${totals.queued + totals.uploading + totals.verifying} active · ${rows.length === 0 ? 0 : formatCount(cursor.index + 1)} of ${rows.length}${uploads.error ? ` · error: ${uploads.error}` : ''}`}
		</Text>
	);
	// The file is checked before its name; a name that maps to no folder gets the scene/shot prompt.
	const submitAdd = (input: string, folder?: SceneShot) => {
		actions.add(input, folder).then(
			result => {
				if (result.queued) {
					setAddNote(null);
					flash(`queued ${result.name}${result.folder ? ` to ${result.folder}` : ''}`);
					return;
				}
				setAddNote({text: `${result.reason}. Give its scene and shot folders as SCENE/SHOT (Esc cancels).`, error: false});
				setMode({kind: 'add-folder', input, value: ''});
			},
			error => setAddNote({text: `cannot add: ${error instanceof Error ? error.message : String(error)}`, error: true}),
		);
	};

	if (mode.kind === 'add-folder') {
		bottom = (
			<TextPrompt
				label="scene/shot: "
				value={mode.value}
				width={width}
				suffix="Enter adds"
				onChange={value => setMode(current => (current.kind === 'add-folder' ? {...current, value} : current))}
				onSubmit={value => {
					let folder: SceneShot;
					try {
						folder = parseSceneShot(value);
					} catch (error) {
						setAddNote({text: (error as Error).message, error: true});
						return;
					}
					setMode({kind: 'list'});
					submitAdd(mode.input, folder);
				}}
				onCancel={() => {
					setAddNote(null);
					setMode({kind: 'list'});
				}}
			/>
		);
	}
	if (mode.kind === 'add') {
		const suffix =
			mode.candidates.length > 0
				? `${mode.candidates.length} matches: ${truncate(mode.candidates.slice(0, 6).join(' '), Math.max(10, Math.floor(width / 2)))}`
				: 'Tab completes · Enter adds';
		bottom = (
			<TextPrompt
				label="add file: "
				value={mode.value}
				width={width}
				suffix={suffix}
				onChange={value => setMode(current => (current.kind === 'add' && current.value === value ? current : {kind: 'add', value, candidates: current.kind === 'add' && value.startsWith(current.value) ? current.candidates : []}))}
				onComplete={value => {
					const completion = completePath(value);
					setMode({kind: 'add', value: completion.value, candidates: completion.candidates});
					return completion.value;
				}}
				onSubmit={value => {
					setMode({kind: 'list'});
					if (value.trim() !== '') submitAdd(value);
				}}
				onCancel={() => setMode({kind: 'list'})}
			/>
		);
	}

	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text wrap="truncate-end" bold color={totals.paused ? theme.warn : undefined}>
				{totalsLine(totals, demo)}
			</Text>
			{mode.kind === 'confirm-cancel' ? (
				<Box flexGrow={1} flexDirection="column">
					<ConfirmDialog
						width={width}
						title="Cancel this upload?"
						lines={[middleEllipsis(mode.item.name, Math.min(width, 76) - 4), 'Its placeholder on Frame.io is deleted.']}
						confirmLabel="Cancel upload"
						onCancel={() => setMode({kind: 'list'})}
						onConfirm={() => {
							const item = mode.item;
							setMode({kind: 'list'});
							actions.cancel(item.id).then(
								() => flash(`cancelled ${item.name}`),
								error => flash(`cancel failed: ${errorMessage(error)}`, 'error'),
							);
						}}
					/>
				</Box>
			) : (
				<>
					<Row
						bold
						width={width}
						cells={[
							{text: 'NAME', width: nameW},
							{text: 'PROGRESS', width: barW},
							{text: '%', width: pctW, align: 'right'},
							{text: 'SIZE', width: sizeW, align: 'right'},
							{text: 'SPEED', width: speedW, align: 'right'},
							{text: 'ETA', width: etaW, align: 'right'},
							{text: 'PARTS', width: partsW, align: 'right'},
							{text: 'RTY', width: retryW, align: 'right'},
						]}
					/>
					<Box flexDirection="column" height={listHeight} overflowY="hidden">
						{rows.slice(cursor.start, cursor.start + listHeight).map((row, offset) => renderRow(row, cursor.start + offset === cursor.index))}
					</Box>
					{detailItem ? (
						<Box flexDirection="column" height={detailHeight} overflowY="hidden">
							<Text bold wrap="truncate-end">{`${detailItem.name} · ${detailItem.state}${detailItem.origin === 'demo' ? ' (sandbox demo)' : ''} · ${formatBytes(detailItem.bytesDone)} of ${formatBytes(detailItem.size)} · parts ${detailItem.partsDone}/${detailItem.partsTotal} · retries ${detailItem.retries}`}</Text>
							<Text wrap="truncate-end">{`from ${redactText(detailItem.path ?? detailItem.sourceUrl ?? '')}`}</Text>
							<Text wrap="truncate-end" color={detailItem.state === 'failed' ? theme.fail : undefined}>
								{redactText(outcomeOf(detailItem))}
							</Text>
						</Box>
					) : null}
				</>
			)}
			{noteLines.map((line, index) => (
				<Text key={`note:${index}`} wrap="truncate-end" color={addNote?.error ? theme.fail : theme.info}>
					{line}
				</Text>
			))}
			{bottom}
		</Box>
	);
}
