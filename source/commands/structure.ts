// `frameio-admin structure`: the account → workspace → project → folder tree from the API (every page, through the
// cache), and a project's scene/shot layout with counts. Ends with how many listings the cache answered.
import {printable} from '../format/printable.js';
import {openApp, type App} from '../app/open-app.js';
import {describeIdentity} from '../config/profiles.js';
import type {Target} from '../structure/target.js';
import {targetFlags, targetHelp} from './kit/target-flags.js';
import {resolvePaths} from '../config/paths.js';
import {
	formatLayout,
	formatListings,
	formatOverview,
	formatProjectTree,
	type LayoutProgress,
	type ListingCounts,
	type ProjectTree,
	type SceneShotLayoutResult,
} from '../structure/index.js';
import {printFailure} from './kit/failure.js';
import {defineCommand, EXIT, UsageError, type Io, note} from './kit/command.js';

const MAX_DEPTH = 20;

export default defineCommand({
	help: `frameio-admin structure: the account → workspace → project → folder tree, and a project's scene/shot layout

  Usage
    $ frameio-admin structure                          accounts → workspaces → projects
    $ frameio-admin structure --depth 1                … and one folder level under each project
    $ frameio-admin structure --project-id ID          one project's folders (2 levels) and its scene/shot layout
    $ frameio-admin structure --project-id ID --depth 3 --versions   down to the shots, with each version stack
    $ frameio-admin structure --layout                 the scene/shot layout of the configured project

  Options
    --depth N        Folder levels below each project (default 2 with --project-id, else 0)
    --versions       Under each version stack shown, its versions (oldest first, the head marked); one request
                     per stack (Frame.io allows 100 a minute)
    --layout         The scene/shot layout (WIP_BYSHOT/<scene>/<shot> by default, from config/nomenclature.json)
                     with shots per scene and files per shot. Counting takes one request per shot (Frame.io allows
                     5 per second), so the first layout of a big project takes a while; it is then cached for
                     cache_ttl.structure, and creating a folder in the project drops it.

    --stale-ok       When the API cannot be reached, show the cache of the last user seen on it, every listing
                     past its TTL marked stale with its age (without it, an unreachable API fails the run, exit 1)
  Version stacks in the folders listed show as \`▤ NAME  (version stack, head SIZE; id …)\`: a stack bears its head's
  name (the newest version). The layout counts loose files and, after ▤, version stacks per shot.

  Every page of every listing is read. Listings go through the cache (cache_ttl in config/optimization.json); the
  last line says how many the cache answered. The cache belongs to the API host and the user the token acts as
  (GET /v4/me first): a token the API refuses reads nothing from it.

  ${targetHelp.split('\n').join('\n  ')}`,
	flags: {
		...targetFlags,
		depth: {type: 'number'},
		layout: {type: 'boolean', default: false},
		staleOk: {type: 'boolean', default: false},
		versions: {type: 'boolean', default: false},
	},
	async run(cli, io) {
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const flags = cli.flags;
		if (flags.depth !== undefined && (!Number.isInteger(flags.depth) || flags.depth < 0 || flags.depth > MAX_DEPTH)) {
			throw new UsageError(`--depth must be a whole number from 0 to ${MAX_DEPTH}`);
		}
		const paths = resolvePaths(flags);
		let app: App | undefined;
		try {
			app = await openApp({paths, sandbox: flags.sandbox, allowInsecureHttp: flags.allowInsecureHttp, targetFlags: flags, staleOk: flags.staleOk});
			const {structure, target} = app;
			if (app.offline && app.identity) {
				io.stderr.write(`warning: ${printable(app.offline.reason)}: showing the cache of ${printable(describeIdentity(app.identity))}; listings past their TTL are marked stale\n`);
			}
			const projectGiven = Boolean(flags.projectId?.trim());
			if (!projectGiven && !flags.layout) {
				const userAccount = target.source('accountId') === 'flag' || target.source('accountId') === 'env' ? await target.accountId() : undefined;
				const overview = await structure.overview({depth: flags.depth ?? 0, accountId: userAccount, versions: flags.versions});
				printNotes(io, target, flags.json);
				if (flags.json) io.stdout.write(`${JSON.stringify({...overview, notes: target.notes}, null, 2)}\n`);
				else io.stdout.write(`${formatOverview(overview)}\n\n${formatListings(overview.listings)}\n`);
				return EXIT.ok;
			}

			const accountId = await target.accountId();
			const projectId = target.projectId();
			const rootFolderId = target.has('rootFolderId') ? await target.rootFolderId() : undefined;
			const tree = projectGiven ? await structure.projectTree(accountId, projectId, {depth: flags.depth ?? 2, rootFolderId, versions: flags.versions}) : undefined;
			const progress = layoutProgress(io, flags.json);
			const layout = await structure.sceneShotLayout(accountId, projectId, {rootFolderId, onProgress: progress.update}).finally(progress.done);
			const projectName = tree?.project.name ?? (await target.project()).name;
			const listings = sum(tree?.listings, layout.listings);
			printNotes(io, target, flags.json);
			if (flags.json) io.stdout.write(`${JSON.stringify({...(tree ?? {}), layout, listings, notes: target.notes}, null, 2)}\n`);
			else io.stdout.write(formatProject(tree, layout, projectName, listings, io));
			return EXIT.ok;
		} catch (error) {
			return printFailure(io, error, app?.api.auth.source);
		} finally {
			await app?.close();
		}
	},
});

/** On a terminal, a one-line count of the shots counted so far (a big project takes one request per shot). */
function layoutProgress(io: Io, json: boolean): {update?: (progress: LayoutProgress) => void; done: () => void} {
	const stderr = io.stderr as NodeJS.WritableStream & {isTTY?: boolean};
	if (json || io.quiet || !stderr.isTTY) return {done: () => undefined};
	let shown = false;
	let last = 0;
	return {
		update({counted, shots}) {
			const now = Date.now();
			if (counted !== shots && now - last < 200) return;
			last = now;
			shown = true;
			stderr.write(`\rcounting files per shot: ${counted}/${shots}`);
		},
		done() {
			if (shown) stderr.write('\r\u001b[2K');
		},
	};
}

function sum(...counts: Array<ListingCounts | undefined>): ListingCounts {
	return counts.reduce<ListingCounts>((total, each) => {
		if (!each) return total;
		const stale = (total.stale ?? 0) + (each.stale ?? 0);
		const staleAge = Math.max(total.staleMaxAgeMs ?? 0, each.staleMaxAgeMs ?? 0);
		return {listings: total.listings + each.listings, fromCache: total.fromCache + each.fromCache, ...(stale > 0 ? {stale, staleMaxAgeMs: staleAge} : {})};
	}, {listings: 0, fromCache: 0});
}

function printNotes(io: Io, target: Target, json: boolean): void {
	if (json) return;
	for (const text of target.notes) note(io, `note: ${text}`);
}

function formatProject(tree: ProjectTree | undefined, layout: SceneShotLayoutResult, projectName: string, listings: ListingCounts, io: Io): string {
	const parts: string[] = [];
	if (tree) parts.push(formatProjectTree(tree));
	parts.push(formatLayout(layout, {projectName, width: io.stdout.columns ?? 100}));
	parts.push(formatListings(listings));
	return `${parts.join('\n\n')}\n`;
}
