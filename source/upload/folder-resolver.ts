// Folder ids of the layout's paths (WIP_BYSHOT/SC01_SEQ01/UNDLM_00042), found or created once per process: many
// files of one shot share one lookup. The structure service makes find-or-create idempotent across processes.
//
// A path found entirely in the cache is checked once with a GET of its last folder: a folder deleted on Frame.io
// (or a cache left by an earlier in-process sandbox) would otherwise fail every upload into it with a 404. When the
// check says it is gone, the cached listings along the path are dropped and the path is found or created afresh.
import type {FindOrCreateResult} from '../structure/index.js';

export type FolderResolverOptions = {
	findOrCreatePath(accountId: string, rootFolderId: string, segments: readonly string[]): Promise<FindOrCreateResult>;
	/** Whether the folder still exists (false on a 404). */
	exists(accountId: string, folderId: string): Promise<boolean>;
	/** Drops the cached listings of these parent folders. */
	forgetListings(parentIds: string[]): void;
};

export class FolderResolver {
	private readonly known = new Map<string, Promise<string>>();

	constructor(
		private readonly options: FolderResolverOptions,
		readonly accountId: string,
		readonly rootFolderId: string,
	) {}

	/** The folder id of `segments` below `rootFolderId` (default: this run's root folder). */
	resolve(segments: readonly string[], rootFolderId = this.rootFolderId): Promise<string> {
		const key = `${rootFolderId}\u0000${segments.join('/')}`;
		let pending = this.known.get(key);
		if (!pending) {
			pending = this.lookup(segments, rootFolderId);
			// A failure is not remembered: the next file (or a retry) asks again.
			pending.catch(() => this.known.delete(key));
			this.known.set(key, pending);
		}
		return pending;
	}

	private async lookup(segments: readonly string[], rootFolderId: string): Promise<string> {
		const first = await this.options.findOrCreatePath(this.accountId, rootFolderId, segments);
		const folderId = lastFolder(first, segments);
		if (first.created > 0 || (await this.options.exists(this.accountId, folderId))) return folderId;
		const parents = [rootFolderId, ...first.segments.slice(0, -1).map(segment => segment.id).filter((id): id is string => Boolean(id))];
		this.options.forgetListings(parents);
		return lastFolder(await this.options.findOrCreatePath(this.accountId, rootFolderId, segments), segments);
	}
}

function lastFolder(result: FindOrCreateResult, segments: readonly string[]): string {
	if (!result.folderId) throw new Error(`folder ${segments.join('/')} was neither found nor created`);
	return result.folderId;
}
