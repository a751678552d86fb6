// Uploads: a totals line, one row per active upload, then the history: every finished upload (done, failed,
// cancelled) with when it finished, its size, how long it took, its speed and its folder, newest first. The history
// is the queue's own (a live console persists it in uploads.json: it survives a restart). Enter shows the selected
// upload's details, y/Y copy its file id and view_url; a adds a file (Tab completes the path; a name that maps to no
// folder is asked its scene/shot), p pauses the queue, c cancels (confirmed), R retries failures, s/S sort the
// history.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import {formatTimestamp} from '../../log/human-format.js';
import {redactText} from '../../log/redact.js';
import {errorMessage} from '../../store/error-message.js';
import type {UploadJobSnapshot, UploadTotals} from '../../store/ports.js';
import {isActive} from '../../store/uploads-slice.js';
import {ConfirmDialog} from '../components/confirm-dialog.js';
import {DetailView, detailRows, type DetailField, type Details} from '../components/detail-view.js';
import {completePath} from '../components/path-completion.js';
import {fitColumns, Row} from '../components/row.js';
import {TextPrompt} from '../components/text-prompt.js';
import {useConsole} from '../kit/console-context.js';
import {formatBytes} from '../../format/bytes.js';
import {formatClock, formatDuration, formatEta} from '../../format/duration.js';
import {formatCount} from '../../format/number.js';
import {formatPercent, formatProgress, progressBar} from '../../format/percent.js';
import {formatSpeed} from '../../format/speed.js';
import {displayWidth, middleEllipsis, truncate, wrapLines} from '../../format/text.js';
import {parseSceneShot, type SceneShot} from '../../upload/local-add.js';
import {useListCursor} from '../hooks/use-list-cursor.js';
import {byNumber, byText, useSort, type SortColumn} from '../hooks/use-sort.js';
import {useStoreSelector} from '../hooks/use-store-selector.js';
import {useViewState} from '../hooks/use-view-state.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme} from '../kit/theme.js';
import type {PaneProps} from './pane-props.js';


type ListRow = {kind: 'active'; item: UploadJobSnapshot} | {kind: 'history'} | {kind: 'finished'; item: UploadJobSnapshot};

const rowKey = (row: ListRow) => (row.kind === 'history' ? 'history' : `${row.kind}:${row.item.id}`);

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

const timeOf = (iso: string | undefined): number | null => {
	const at = iso ? Date.parse(iso) : NaN;
	return Number.isFinite(at) ? at : null;
};

/** How long a finished upload took, from its start to its end (ms); null when it never started. */
export function tookMs(job: UploadJobSnapshot): number | null {
	const start = timeOf(job.startedAt);
	const end = timeOf(job.finishedAt);
	return start === null || end === null ? null : Math.max(0, end - start);
}

/** Bytes per second of a done upload over the time it took; null for the others. */
export function averageSpeed(job: UploadJobSnapshot): number | null {
	const took = tookMs(job);
	return job.state === 'done' && took !== null && took > 0 ? job.size / (took / 1000) : null;
}

/** "14:30:15" today, "01-06 14:30" another day: a history kept across restarts spans days. */
export function formatWhen(at: number | null, now = Date.now()): string {
	if (at === null) return '-';
	const date = new Date(at);
	const today = new Date(now);
	if (date.toDateString() === today.toDateString()) return formatClock(at);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const finishedAt = (job: UploadJobSnapshot) => timeOf(job.finishedAt) ?? timeOf(job.addedAt);

const historyColumns: SortColumn<UploadJobSnapshot>[] = [
	{title: 'FINISHED', compare: (a, b) => byNumber(finishedAt(a), finishedAt(b)), descending: true},
	{title: 'NAME', compare: (a, b) => byText(a.name.toLowerCase(), b.name.toLowerCase())},
	{title: 'STATE', compare: (a, b) => byText(a.state, b.state)},
	{title: 'SIZE', compare: (a, b) => byNumber(a.size, b.size), descending: true},
	{title: 'TOOK', compare: (a, b) => byNumber(tookMs(a), tookMs(b)), descending: true},
	{title: 'SPEED', compare: (a, b) => byNumber(averageSpeed(a), averageSpeed(b)), descending: true},
];

export function buildRows(items: readonly UploadJobSnapshot[], history: readonly UploadJobSnapshot[]): ListRow[] {
	const rows: ListRow[] = items.filter(isActive).map(item => ({kind: 'active', item}));
	if (history.length > 0) {
		rows.push({kind: 'history'});
		for (const item of history) rows.push({kind: 'finished', item});
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

const when = (iso: string | undefined) => {
	const at = timeOf(iso);
	return at === null ? null : formatTimestamp(new Date(at));
};

/** Enter: everything the queue knows of one upload. */
export function uploadDetails(job: UploadJobSnapshot): Details {
	const took = tookMs(job);
	const speed = averageSpeed(job);
	const stack = job.stack
		? job.stack.state === 'stacked'
			? `in version stack ${job.stack.stackId ?? '?'}${job.stack.on ? ` on ${job.stack.on}` : ''}${job.stack.created ? ' (new stack)' : ''}`
			: `${job.stack.state}: ${job.stack.reason ?? ''}`
		: null;
	const fields: Array<DetailField | null> = [
		{label: 'state', value: `${job.state}${job.origin === 'demo' ? ' (sandbox demo)' : ''}`},
		job.error ? {label: 'error', value: redactText(job.error)} : null,
		{label: 'size', value: `${formatBytes(job.size)} (${formatCount(job.size)} bytes)${job.state !== 'done' ? ` · ${formatBytes(job.bytesDone)} sent` : ''}`},
		{label: 'folder', value: job.target?.folder ?? job.targetFolderId ?? '-'},
		{label: 'file id', value: job.fileId ?? 'not created yet'},
		job.viewUrl ? {label: 'view_url', value: job.viewUrl} : null,
		{label: 'from', value: redactText(job.path ?? job.sourceUrl ?? '-')},
		{label: 'added', value: when(job.addedAt) ?? '-'},
		when(job.startedAt) ? {label: 'started', value: when(job.startedAt)!} : null,
		when(job.finishedAt) ? {label: 'finished', value: when(job.finishedAt)!} : null,
		took !== null ? {label: 'took', value: `${formatDuration(took)}${speed !== null ? ` at ${formatSpeed(speed)}` : ''}`} : null,
		{label: 'parts', value: `${job.partsDone}/${job.partsTotal} · retries ${job.retries} · runs ${job.runs}`},
		stack ? {label: 'stack', value: stack} : null,
		{label: 'upload id', value: job.id},
	];
	return {title: job.name, fields: fields.filter((field): field is DetailField => field !== null)};
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
	const {console: consoleStore, flash, copy} = useConsole();
	const uploads = useStoreSelector(state => state.uploads);
	const [open, setOpen] = useViewState('uploads.details', false);
	const [mode, setMode] = useState<Mode>({kind: 'list'});
	const [addNote, setAddNote] = useState<AddNote | null>(null);
	const sort = useSort('uploads.sort', historyColumns);
	const actions = consoleStore.actions.uploads;
	const noteLines = addNote ? wrapLines(redactText(addNote.text), width) : [];
	const sandboxNote = uploads.note ? wrapLines(uploads.note, width).slice(0, 2) : [];

	const totals = uploads.total;
	const demo = useMemo(() => uploads.jobs.filter(job => job.origin === 'demo').length, [uploads.jobs]);
	const history = useMemo(() => sort.apply(uploads.jobs.filter(job => !isActive(job))), [uploads.jobs, sort.key]);
	const rows = useMemo(() => buildRows(uploads.jobs, history), [uploads.jobs, history]);
	const activeCount = totals.queued + totals.uploading + totals.verifying;
	const area = height - 3 - sandboxNote.length - noteLines.length;
	const detailsAt = (index: number) => {
		const row = open && mode.kind === 'list' ? rows[index] : undefined;
		return row && row.kind !== 'history' ? uploadDetails(row.item) : null;
	};
	const cursor = useListCursor({count: rows.length, height: index => Math.max(1, area - detailRows(detailsAt(index), width, area)), keyAt: index => rowKey(rows[index]), persistKey: 'uploads.cursor'});
	const listHeight = cursor.height;
	const selected = rows[cursor.index];
	const selectedJob = selected && selected.kind !== 'history' ? selected.item : undefined;
	const details = detailsAt(cursor.index);
	const detailHeight = detailRows(details, width, area);

	useKeys(
		key => {
			const binding = resolveKey(key.name, ['uploads', 'list']);
			if (!binding) return false;
			if (cursor.handle(binding.command) || sort.handle(binding.command)) return true;
			switch (binding.command) {
				case 'uploads.add':
					setAddNote(null);
					setMode({kind: 'add', value: '', candidates: []});
					return true;
				case 'uploads.pause':
					try {
						actions.togglePause();
						flash(totals.paused ? 'upload queue resumed' : 'upload queue paused: no new part starts (p resumes)');
					} catch (error) {
						flash(`cannot pause or resume: ${errorMessage(error)}`, 'error');
					}
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
				case 'details':
					setOpen(current => !current);
					return true;
				case 'copy.id':
					copy(selectedJob?.fileId, 'file id');
					return true;
				case 'copy.url':
					copy(selectedJob?.viewUrl, 'view_url');
					return true;
				case 'clear':
					setOpen(false);
					setAddNote(null);
					return true;
			}
			return false;
		},
		{active: mode.kind === 'list'},
	);

	const longestName = useMemo(() => Math.max(8, ...uploads.jobs.map(job => displayWidth(job.name))), [uploads.jobs]);
	const [nameW, barW, pctW, sizeW, speedW, etaW, partsW, retryW] = fitColumns(width, [
		{min: 14, max: longestName + 1, grow: 1},
		10,
		5,
		8,
		10,
		6,
		{min: 7, max: 7, drop: 1},
		{min: 3, max: 3, drop: 2},
	]);
	const otherDay = useMemo(() => history.some(job => formatWhen(finishedAt(job)).includes('-')), [history]);
	const [hWhenW, hNameW, hStateW, hSizeW, hTookW, hSpeedW, hFolderW] = fitColumns(width, [
		otherDay ? 11 : 9,
		{min: 14, max: longestName + 1, grow: 2},
		9,
		8,
		{min: 7, max: 7, drop: 2},
		{min: 9, max: 9, drop: 1},
		{min: 10, grow: 1, drop: 3},
	]);

	const renderRow = (row: ListRow, isSelected: boolean) => {
		if (row.kind === 'history') {
			return (
				<Row
					key={rowKey(row)}
					bold
					width={width}
					selected={isSelected}
					cells={[
						{text: sort.mark('FINISHED'), width: hWhenW},
						{text: sort.mark('NAME'), width: hNameW},
						{text: sort.mark('STATE'), width: hStateW},
						{text: sort.mark('SIZE'), width: hSizeW, align: 'right'},
						{text: sort.mark('TOOK'), width: hTookW, align: 'right'},
						{text: sort.mark('SPEED'), width: hSpeedW, align: 'right'},
						{text: 'FOLDER', width: hFolderW},
					]}
				/>
			);
		}
		const item = row.item;
		if (row.kind === 'finished') {
			const took = tookMs(item);
			const speed = averageSpeed(item);
			return (
				<Row
					key={rowKey(row)}
					width={width}
					selected={isSelected}
					cells={[
						{text: formatWhen(finishedAt(item)), width: hWhenW},
						{text: item.name, width: hNameW, cut: 'middle'},
						{text: item.state, width: hStateW, color: item.state === 'failed' ? theme.fail : item.state === 'done' ? theme.ok : undefined},
						{text: formatBytes(item.size), width: hSizeW, align: 'right'},
						{text: took === null ? '-' : formatDuration(took), width: hTookW, align: 'right'},
						{text: speed === null ? '-' : formatSpeed(speed), width: hSpeedW, align: 'right'},
						{text: item.state === 'failed' ? redactText(outcomeOf(item)) : (item.target?.folder ?? ''), width: hFolderW, cut: item.state === 'failed' ? 'end' : 'middle', color: item.state === 'failed' ? theme.fail : undefined},
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
					{text: item.name, width: nameW, cut: 'middle'},
					{text: item.state === 'queued' ? 'queued' : progressBar(item.percent / 100, barW), width: barW, color: theme.accent},
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

	const historyCounts = `history ${totals.done} done · ${totals.failed} failed · ${totals.cancelled} cancelled`;
	let bottom: React.ReactNode = (
		<Text wrap="truncate-end" color={theme.border} dimColor={theme.dim}>
			{`${activeCount} active · ${historyCounts} · ${rows.length === 0 ? 0 : formatCount(cursor.index + 1)} of ${rows.length}${uploads.error ? ` · error: ${uploads.error}` : ''}`}
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
			{sandboxNote.map((line, index) => (
				<Text key={`sandbox:${index}`} wrap="truncate-end" color={theme.info}>
					{line}
				</Text>
			))}
			{mode.kind === 'confirm-cancel' ? (
				<Box flexGrow={1} flexDirection="column">
					<ConfirmDialog
						width={width}
						title="Cancel this upload?"
						lines={[middleEllipsis(mode.item.name, Math.min(width, 76) - 4), 'Its placeholder on Frame.io is deleted.']}
						cancelLabel="Keep uploading"
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
					{rows[cursor.start]?.kind === 'finished' ? (
						// Scrolled into the history: its columns head the list.
						renderRow({kind: 'history'}, false)
					) : activeCount > 0 ? (
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
					) : (
						<Text wrap="truncate-end" color={theme.border} dimColor={theme.dim}>
							{`no upload in progress${uploads.heldBy ? '' : ' · a adds a file'}${history.length > 0 ? ` · ${historyCounts}, ${sort.label}` : ''}`}
						</Text>
					)}
					<Box flexDirection="column" height={listHeight} overflowY="hidden">
						{rows.slice(cursor.start, cursor.start + listHeight).map((row, offset) => renderRow(row, cursor.start + offset === cursor.index))}
					</Box>
					{details ? <DetailView details={details} width={width} height={detailHeight} /> : null}
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
