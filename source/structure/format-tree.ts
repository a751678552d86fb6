// Text for `structure`: the tree drawn with ├─ └─, the scene/shot layout as a grid of shots per scene, and the line
// that says how many listings the cache answered. Every line is made printable where it is drawn: the names in it
// are the API's (a folder named with an escape sequence or a newline must neither drive the terminal nor forge a
// line of the tree).
import {printable} from '../format/printable.js';
import {formatBytes} from '../format/bytes.js';
import {formatSeconds} from '../format/duration.js';

import type {ItemCounts, ListingCounts, ProjectTree, SceneShotLayoutResult, StructureOverview, TreeFolder, TreeProject, TreeStack} from './types.js';

type Line = {label: string; children: Line[]};

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function formatCounts(counts: ItemCounts | null): string {
	if (!counts) return 'not listed';
	const parts = [
		counts.folders ? plural(counts.folders, 'folder') : '',
		counts.files ? plural(counts.files, 'file') : '',
		counts.versionStacks ? plural(counts.versionStacks, 'version stack') : '',
	].filter(Boolean);
	return parts.length > 0 ? parts.join(', ') : 'empty';
}

/** `▤ UNDLM_SEQ01_00042_v003.mp4  (version stack, head 1.2 MB; 3 versions)`, and with --versions one line per version. */
function stackLine(stack: TreeStack): Line {
	const head = stack.head ? `head ${stack.head.name === stack.name ? '' : `${printable(stack.head.name)}, `}${formatBytes(stack.head.size)}` : 'no head';
	const count = stack.versions ? `; ${plural(stack.versions.length, 'version')}` : '';
	const versions = (stack.versions ?? []).map(version => ({
		label: `${printable(version.name)}  ${formatBytes(version.size)}${version.id === stack.head?.id ? '  (head)' : ''}`,
		children: [],
	}));
	return {label: `▤ ${printable(stack.name)}  (version stack, ${head}${count}; id ${printable(stack.id)})`, children: versions};
}

function folderLine(folder: TreeFolder): Line {
	const stale = folder.staleAgeMs === undefined ? '' : `  [stale: cached ${formatSeconds(folder.staleAgeMs / 1000)} ago]`;
	return {label: `${folder.name}/  (${formatCounts(folder.counts)})${stale}`, children: [...folder.stacks.map(stackLine), ...folder.folders.map(folderLine)]};
}

function projectLine(project: TreeProject, showCounts: boolean): Line {
	const counts = showCounts ? `; ${formatCounts(project.counts)}` : '';
	return {label: `${project.name}  (project ${project.id}${counts})`, children: [...project.stacks.map(stackLine), ...project.folders.map(folderLine)]};
}

function draw(line: Line, out: string[], prefix: string, last: boolean, top: boolean): void {
	const label = printable(line.label);
	out.push(top ? label : `${prefix}${last ? '└─ ' : '├─ '}${label}`);
	const childPrefix = top ? '' : `${prefix}${last ? '   ' : '│  '}`;
	line.children.forEach((child, index) => draw(child, out, childPrefix, index === line.children.length - 1, false));
}

function render(roots: Line[]): string {
	const out: string[] = [];
	for (const root of roots) draw(root, out, '', true, true);
	return out.join('\n');
}

export function formatListings(listings: ListingCounts): string {
	const stale = listings.stale ? `; ${listings.stale} of them stale, up to ${formatSeconds((listings.staleMaxAgeMs ?? 0) / 1000)} old (the API was not reached: --stale-ok)` : '';
	return `${plural(listings.listings, 'listing')}, ${listings.fromCache} from cache${stale}`;
}

export function formatOverview(overview: StructureOverview): string {
	if (overview.accounts.length === 0) return 'No account is visible to this user.';
	return render(
		overview.accounts.map(account => ({
			label: `${account.name}  (account ${account.id}; ${plural(account.workspaces.length, 'workspace')})`,
			children: account.workspaces.map(workspace => ({
				label: `${workspace.name}  (workspace ${workspace.id}; ${plural(workspace.projects.length, 'project')})`,
				children: workspace.projects.map(project => projectLine(project, overview.depth > 0)),
			})),
		})),
	);
}

export function formatProjectTree(tree: ProjectTree): string {
	return render([
		{
			label: `${tree.account.name}  (account ${tree.account.id})`,
			children: [{label: `${tree.workspace.name}  (workspace ${tree.workspace.id})`, children: [projectLine(tree.project, tree.depth > 0)]}],
		},
	]);
}

function age(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return `${seconds} s`;
	if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
	return `${(seconds / 3600).toFixed(1)} h`;
}

/** The layout: a header with totals, then per scene its counts and a grid of `SHOT files` cells. */
export function formatLayout(layout: SceneShotLayoutResult, options: {projectName?: string; width?: number; now?: number} = {}): string {
	const width = Math.max(40, options.width ?? 100);
	const where = layout.rootPath.length > 0 ? printable(layout.rootPath.join('/')) : 'the root folder';
	const project = printable(options.projectName ?? layout.projectId);
	const source = layout.fromCache ? `from cache, computed ${age((options.now ?? Date.now()) - layout.computedAt)} ago` : 'just listed';
	if (layout.layoutFolderId === null) return `Scene/shot layout of ${project}: ${where} does not exist yet (the first upload creates it)`;
	const stacks = layout.totals.stacks ?? 0;
	const lines = [
		`Scene/shot layout of ${project} under ${where}: ${plural(layout.totals.scenes, 'scene')}, ${plural(layout.totals.shots, 'shot')}, ${plural(layout.totals.files, 'file')}${stacks ? `, ${plural(stacks, 'version stack')} (▤)` : ''} (${source})`,
	];
	if (layout.scenes.length === 0) lines.push('  (no scene folders yet)');
	for (const scene of layout.scenes) {
		const empty = scene.shots.filter(shot => shot.files === 0 && !shot.stacks).length;
		const sceneStacks = scene.stacks ?? 0;
		lines.push(`  ${printable(scene.name)}  ${plural(scene.shots.length, 'shot')}, ${plural(scene.files, 'file')}${sceneStacks ? `, ${plural(sceneStacks, 'version stack')}` : ''}${empty ? ` (${empty} empty)` : ''}`);
		if (scene.shots.length === 0) continue;
		const cells = scene.shots.map(shot => `${printable(shot.name)} ${shot.files}${shot.stacks ? ` ▤${shot.stacks}` : ''}`);
		const cellWidth = Math.max(...cells.map(cell => cell.length)) + 2;
		const perLine = Math.max(1, Math.floor((width - 4) / cellWidth));
		for (let start = 0; start < cells.length; start += perLine) {
			lines.push(`    ${cells.slice(start, start + perLine).map(cell => cell.padEnd(cellWidth)).join('').trimEnd()}`);
		}
	}
	return lines.join('\n');
}
