// `include=` side-loads (frameio-v4.md §3.3). Each operation accepts the comma-separated values its spec declares;
// any other value is a 422 on /include. Operations that declare no include ignore the parameter.
import type {FolderChild, FrameioFile, IncludedUser, MediaLinkName, Project, VersionStack} from '../frameio/types.js';
import {invalid} from './api-error.js';
import type {MediaServer} from './media.js';
import type {SandboxStore} from './store.js';

const MEDIA_LINKS: MediaLinkName[] = ['original', 'thumbnail', 'thumbnail_high_quality', 'video_h264_180', 'high_quality', 'efficient', 'scrub_sheet'];

/** Files, children, version stacks (the spec's FileWithMediaLinksInclude). */
export const FILE_INCLUDES = [...MEDIA_LINKS.map(name => `media_links.${name}`), 'creator', 'project', 'metadata'];
/** Folder show and folder list (AssetInclude). */
export const ASSET_INCLUDES = ['creator', 'project', 'metadata'];
/** Workspaces and webhooks. */
export const CREATOR_INCLUDE = ['creator'];
/** Projects. */
export const OWNER_INCLUDE = ['owner'];

export type Includes = ReadonlySet<string>;

export function parseInclude(query: URLSearchParams, allowed: readonly string[]): Includes {
	const raw = query.get('include');
	if (raw === null || raw.trim() === '') return new Set();
	const values = raw.split(',').map(value => value.trim());
	for (const value of values) {
		if (!allowed.includes(value)) throw invalid(`include must be a comma list of ${allowed.join(', ')}; unknown value ${JSON.stringify(value.slice(0, 80))}`, '/include');
	}
	return new Set(values);
}

/** Adds what `include` asks for to the items of an answer (copies; the store's objects are never changed). */
export class SideLoader {
	constructor(
		private readonly store: SandboxStore,
		private readonly media: MediaServer,
	) {}

	/** The sandbox has one user: it created everything and owns every project. */
	user(): IncludedUser {
		return {...this.store.user, active: true};
	}

	workspace<T extends object>(workspace: T, include: Includes): T {
		return include.has('creator') ? {...workspace, creator: this.user()} : workspace;
	}

	project(project: Project, include: Includes): Project & {owner?: IncludedUser} {
		return include.has('owner') ? {...project, owner: this.user()} : project;
	}

	webhook<T extends object>(webhook: T, include: Includes): T {
		return this.workspace(webhook, include);
	}

	/** creator, project and metadata (no custom fields exist in the sandbox: metadata is empty). */
	asset<T extends {project_id: string}>(item: T, include: Includes): T {
		if (include.size === 0) return item;
		const out: Record<string, unknown> = {...item};
		if (include.has('creator')) out.creator = this.user();
		if (include.has('project')) out.project = this.store.getProject(item.project_id);
		if (include.has('metadata')) out.metadata = [];
		return out as T;
	}

	file(file: FrameioFile, include: Includes): FrameioFile {
		const wanted = MEDIA_LINKS.filter(name => include.has(`media_links.${name}`));
		const out = this.asset(file, include);
		return wanted.length === 0 ? out : {...out, media_links: this.media.links(file.id, wanted)} as FrameioFile;
	}

	/** The stack gets creator/project/metadata; its head_version gets every include, media links too. */
	versionStack(stack: VersionStack, include: Includes): VersionStack {
		const out = this.asset(stack, include);
		return stack.head_version ? {...out, head_version: this.file(stack.head_version, include)} : out;
	}

	child(child: FolderChild, include: Includes): FolderChild {
		if (child.type === 'file') return this.file(child, include);
		if (child.type === 'version_stack') return this.versionStack(child, include);
		return this.asset(child, include);
	}
}
