// `frameio-admin verify DIR`: did every render of DIR land on Frame.io? Like `rclone check`: each local file is looked
// for in the folder it belongs in (--scene/--shot, or its name's mapping), loose or inside a version stack, by name
// and size; the files of those folders that DIR does not have are listed too (unless --one-way). Read-only: nothing
// is created, and every listing is fresh from the API (a cached one could hide what changed since).
import {printable} from '../format/printable.js';
import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {openApp, type App} from '../app/open-app.js';
import {resolvePaths} from '../config/paths.js';
import type {Folder} from '../frameio/types.js';
import {formatBytes} from '../format/bytes.js';

import {describePlace, oldestFolder, placedFiles, readFolderContents, type FilePlace, type PlacedFile} from '../structure/index.js';
import {planTarget} from '../upload/name-target.js';
import {sceneShotFlags} from './upload/flag-values.js';

import {targetFlags, targetHelp} from './kit/target-flags.js';
import {printFailure} from './kit/failure.js';
import {defineCommand, EXIT, UsageError, type Io} from './kit/command.js';

export default defineCommand({
	help: `frameio-admin verify: compare local renders with Frame.io (like rclone check)

  Usage
    $ frameio-admin verify DIR [--scene SCENE --shot SHOT] [--one-way] [--json]

  Every file directly in DIR (not hidden, not in sub-directories) is looked for in its folder below the project's
  root folder: the SCENE/SHOT folder of --scene/--shot, or the folder its name maps to (config/nomenclature.json),
  loose or inside a version stack. Each line starts like rclone check's --combined output:
    = NAME  SIZE  stacked, head of 3   in Frame.io with the same size (loose, or where in its version stack)
    - NAME  missing on Frame.io        not in its folder (or the folder does not exist)
    * NAME  size differs               same name, another size on Frame.io
    + NAME  only on Frame.io           in one of those folders, not in DIR (not with --one-way)
    ! NAME  no target folder           the name maps to no folder: give --scene/--shot, or rename it
  Nothing is created or changed, and listings are read fresh from the API (two requests per folder, plus one per
  version stack: Frame.io allows 100 of those a minute).

  Options
    --scene SCENE     Scene folder, e.g. SC01_SEQ01 (with --shot): every file of DIR belongs in SCENE/SHOT
    --shot SHOT       Shot folder, e.g. UNDLM_00042
    --strict-names    A name that does not match the naming patterns is "!" even with --scene/--shot
    --one-way         Only check that DIR's files are on Frame.io (earlier versions there are not differences)
    --json            {dir, files: [{name, status, local_size, remote_size, folder_path, placement, …}], summary}

  ${targetHelp.split('\n').join('\n  ')}

  Exit codes: 0 everything matches, 1 something differs (or an API call failed), 2 usage or setup error`,
	flags: {
		...targetFlags,
		scene: {type: 'string'},
		shot: {type: 'string'},
		strictNames: {type: 'boolean', default: false},
		oneWay: {type: 'boolean', default: false},
	},
	async run(cli, io) {
		const {flags} = cli;
		if (cli.input.length !== 1) throw new UsageError(cli.input.length === 0 ? 'give the DIR of renders to verify' : `verify takes one DIR, got ${cli.input.length} arguments`);
		const sceneShot = sceneShotFlags(flags.scene, flags.shot);
		const dir = path.resolve(cli.input[0]);
		const info = await stat(dir).catch(() => undefined);
		if (!info) throw new UsageError(`directory not found: ${printable(cli.input[0])}`);
		if (!info.isDirectory()) throw new UsageError(`not a directory: ${printable(cli.input[0])}`);
		const local = await localFiles(dir);

		const paths = resolvePaths(flags);
		let app: App | undefined;
		try {
			app = await openApp({paths, sandbox: flags.sandbox, allowInsecureHttp: flags.allowInsecureHttp, targetFlags: flags});
			const report = await compare(app, local, {...sceneShot, strictNames: flags.strictNames, oneWay: flags.oneWay});
			if (flags.json) io.stdout.write(`${JSON.stringify({dir, one_way: flags.oneWay, ...report})}\n`);
			else print(io, dir, report, flags.oneWay);
			return report.summary.differences > 0 ? EXIT.failed : EXIT.ok;
		} catch (error) {
			return printFailure(io, error, app?.api.auth.source);
		} finally {
			await app?.close();
		}
	},
});

type LocalFile = {name: string; path: string; size: number};

export type VerifyStatus = 'match' | 'missing' | 'size_differs' | 'only_remote' | 'unmatched';

export type VerifyLine = {
	name: string;
	status: VerifyStatus;
	path: string | null;
	local_size: number | null;
	remote_size: number | null;
	folder_path: string | null;
	folder_id: string | null;
	file_id: string | null;
	placement: 'loose' | 'stacked' | null;
	stack_id: string | null;
	/** `stacked, head of 3` / `loose`, or why (for missing and unmatched). */
	detail: string;
};

export type VerifySummary = {
	local: number;
	folders: number;
	match: number;
	stacked: number;
	loose: number;
	missing: number;
	size_differs: number;
	only_remote: number;
	unmatched: number;
	differences: number;
};

async function localFiles(dir: string): Promise<LocalFile[]> {
	const files: LocalFile[] = [];
	for (const entry of await readdir(dir, {withFileTypes: true})) {
		if (entry.name.startsWith('.') || !(entry.isFile() || entry.isSymbolicLink())) continue;
		const file = path.join(dir, entry.name);
		const info = await stat(file).catch(() => undefined);
		if (info?.isFile()) files.push({name: entry.name, path: file, size: info.size});
	}
	return files.sort((a, b) => a.name.localeCompare(b.name, 'en', {numeric: true}));
}

type Choice = {scene?: string; shot?: string; strictNames: boolean; oneWay: boolean};

async function compare(app: App, local: LocalFile[], choice: Choice): Promise<{files: VerifyLine[]; summary: VerifySummary}> {
	const accountId = await app.target.accountId();
	const rootFolderId = await app.target.rootFolderId();
	const lines: VerifyLine[] = [];
	const byFolder = new Map<string, LocalFile[]>();
	for (const file of local) {
		const plan = planTarget(file.name, app.nomenclature, choice);
		if (!plan.ok) {
			lines.push(line(file.name, 'unmatched', {path: file.path, local_size: file.size, detail: plan.reason}));
			continue;
		}
		const folder = plan.folderPath.join('/');
		byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
	}
	// With --scene/--shot the folder is known even for an empty DIR: its files are still compared.
	if (choice.scene !== undefined && choice.shot !== undefined && byFolder.size === 0) {
		const plan = planTarget('', app.nomenclature, {...choice, strictNames: false});
		if (plan.ok) byFolder.set(plan.folderPath.join('/'), []);
	}

	const subfolders = memo((parentId: string) => app.client.subfolders(accountId, parentId));
	const folderAt = async (segments: string[]): Promise<string | null> => {
		let id = rootFolderId;
		for (const name of segments) {
			const found: Folder | undefined = oldestFolder((await subfolders(id)).filter(folder => folder.name === name));
			if (!found) return null;
			id = found.id;
		}
		return id;
	};

	let folders = 0;
	for (const [folder, files] of byFolder) {
		const folderId = await folderAt(folder.split('/'));
		if (!folderId) {
			for (const file of files) lines.push(line(file.name, 'missing', {path: file.path, local_size: file.size, folder_path: folder, detail: `its folder ${folder} does not exist on Frame.io`}));
			continue;
		}
		folders++;
		const remote = placedFiles(await readFolderContents(app.client, accountId, folderId));
		const landed = remote.filter(({file}) => file.status !== 'created');
		const named = new Map<string, PlacedFile[]>();
		for (const placed of landed) named.set(placed.file.name, [...(named.get(placed.file.name) ?? []), placed]);
		const at = {folder_path: folder, folder_id: folderId};
		for (const file of files) {
			const candidates = named.get(file.name) ?? [];
			const same = candidates.find(({file: remoteFile}) => remoteFile.file_size === file.size);
			const found = same ?? candidates[0];
			if (!found) {
				const unfinished = remote.some(({file: remoteFile}) => remoteFile.name === file.name);
				lines.push(line(file.name, 'missing', {...at, path: file.path, local_size: file.size, detail: unfinished ? 'only an unfinished upload on Frame.io (status created: not all of its bytes are in)' : 'not on Frame.io'}));
				continue;
			}
			lines.push(line(file.name, same ? 'match' : 'size_differs', {...at, path: file.path, local_size: file.size, ...remoteFields(found)}));
		}
		if (choice.oneWay) continue;
		const localNames = new Set(files.map(file => file.name));
		for (const placed of landed) {
			if (!localNames.has(placed.file.name)) lines.push(line(placed.file.name, 'only_remote', {...at, ...remoteFields(placed)}));
		}
	}
	lines.sort((a, b) => (a.folder_path ?? '').localeCompare(b.folder_path ?? '') || a.name.localeCompare(b.name, 'en', {numeric: true}));
	const count = (status: VerifyStatus) => lines.filter(each => each.status === status).length;
	const matches = lines.filter(each => each.status === 'match');
	const summary: VerifySummary = {
		local: local.length,
		folders,
		match: matches.length,
		stacked: matches.filter(each => each.placement === 'stacked').length,
		loose: matches.filter(each => each.placement === 'loose').length,
		missing: count('missing'),
		size_differs: count('size_differs'),
		only_remote: count('only_remote'),
		unmatched: count('unmatched'),
		differences: lines.length - matches.length,
	};
	return {files: lines, summary};
}

function remoteFields({file, place}: PlacedFile): Partial<VerifyLine> {
	return {
		remote_size: file.file_size,
		file_id: file.id,
		placement: place.kind,
		stack_id: place.kind === 'stacked' ? place.stackId : null,
		detail: describePlace(place as FilePlace),
	};
}

function line(name: string, status: VerifyStatus, fields: Partial<VerifyLine>): VerifyLine {
	return {
		name,
		status,
		path: null,
		local_size: null,
		remote_size: null,
		folder_path: null,
		folder_id: null,
		file_id: null,
		placement: null,
		stack_id: null,
		detail: '',
		...fields,
	};
}

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
	const known = new Map<string, Promise<T>>();
	return key => {
		let pending = known.get(key);
		if (!pending) {
			pending = load(key);
			known.set(key, pending);
		}
		return pending;
	};
}

const SYMBOL: Record<VerifyStatus, string> = {match: '=', missing: '-', size_differs: '*', only_remote: '+', unmatched: '!'};

function describe(each: VerifyLine): string {
	const size = (bytes: number | null) => (bytes === null ? '?' : formatBytes(bytes));
	const where = each.folder_path ? `  in ${each.folder_path}` : '';
	switch (each.status) {
		case 'match':
			return `${size(each.local_size)}  ${each.detail}${where}`;
		case 'missing':
			return `missing on Frame.io: ${each.detail}${each.folder_path && !each.detail.includes(each.folder_path) ? ` (belongs in ${each.folder_path})` : ''}`;
		case 'size_differs':
			return `size differs: ${size(each.local_size)} here, ${size(each.remote_size)} on Frame.io (${each.detail})${where}`;
		case 'only_remote':
			return `only on Frame.io: ${size(each.remote_size)}, ${each.detail}${where}`;
		case 'unmatched':
			return each.detail;
	}
}

function print(io: Io, dir: string, report: {files: VerifyLine[]; summary: VerifySummary}, oneWay: boolean): void {
	const {summary} = report;
	// A line names files and folders of the API and of the disk: printable, one line each.
	const out = report.files.map(each => printable(`${SYMBOL[each.status]} ${each.name}  ${describe(each)}`));
	const parts = [
		`${summary.match} match${summary.match === 1 ? '' : 'es'} (${summary.stacked} stacked, ${summary.loose} loose)`,
		`${summary.missing} missing on Frame.io`,
		`${summary.size_differs} of another size`,
		oneWay ? '' : `${summary.only_remote} only on Frame.io`,
		summary.unmatched ? `${summary.unmatched} with no target folder` : '',
	].filter(Boolean);
	out.push(
		`${summary.differences === 0 ? 'OK' : 'DIFFERENT'}: ${summary.local} local file${summary.local === 1 ? '' : 's'} in ${printable(dir)}, ${summary.folders} folder${summary.folders === 1 ? '' : 's'} on Frame.io: ${parts.join(', ')}`,
	);
	io.stdout.write(`${out.join('\n')}\n`);
}
