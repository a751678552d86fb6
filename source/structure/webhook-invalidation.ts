// What a webhook delivery makes stale: Frame.io sends ids only ({type, resource:{id, type}, project, …}), so the
// listings a file.* or folder.* event touches are found two ways:
// - by what the cache knows: every cached children listing that holds the resource (or a version stack whose head it
//   is, or the stack it now sits in). This is all there is for a deleted file or folder (its GET is a 404);
// - by asking: one GET of the file or folder gives its parent (a folder, or for a stacked file its stack). A new
//   file is in no cached listing yet, but its folder's listing is cached and must go.
// The project's structure entry (the layout's counts) goes on every such event. Nothing else is touched: other
// listings keep their TTL. Keys come from cacheKeys, never spelled here.
import type {Logger} from 'pino';
import {cacheKeys, type ApiCache} from '../cache/index.js';
import type {Folder, FolderChild, FrameioFile, WebhookPayload} from '../frameio/types.js';

export type InvalidationApi = {
	file(accountId: string, fileId: string): Promise<FrameioFile>;
	folder(accountId: string, folderId: string): Promise<Folder>;
};

const CHILDREN_KEY = /^folder_(.+)_children$/;

/** Whether a delivery of this type can change a listing we cache. */
export function touchesListings(type: string): boolean {
	return type.startsWith('file.') || type.startsWith('folder.');
}

export class ListingInvalidator {
	constructor(
		private readonly cache: ApiCache,
		private readonly api: InvalidationApi,
		private readonly logger?: Logger,
	) {}

	/** Drops what the event makes stale; resolves with how many cached entries went. */
	async handle(payload: WebhookPayload): Promise<number> {
		if (!touchesListings(payload.type)) return 0;
		const accountId = payload.account.id;
		const id = payload.resource.id;
		const isFolder = payload.type.startsWith('folder.');
		const keys = new Set<string>();
		const parents = new Set<string>();
		if (isFolder) {
			keys.add(cacheKeys.folder(id));
			// A deleted or renamed folder's own listings are wrong too (gone, or named for the old name in a path).
			keys.add(cacheKeys.folderChildren(id, 'children'));
			keys.add(cacheKeys.folderChildren(id, 'subfolders'));
		} else keys.add(cacheKeys.file(id));

		let parentId: string | undefined;
		if (!payload.type.endsWith('.deleted')) {
			try {
				parentId = isFolder ? ((await this.api.folder(accountId, id)).parent_id ?? undefined) : (await this.api.file(accountId, id)).parent_id;
			} catch (error) {
				// Gone already, or no access: what the cache knows still applies.
				this.logger?.debug({id, type: payload.type, err: error}, 'webhook: no parent from the API; using what the cache knows');
			}
		}
		if (parentId) parents.add(parentId);
		for (const folderId of this.listingsHolding(id, parentId)) parents.add(folderId);
		for (const folderId of parents) {
			keys.add(cacheKeys.folderChildren(folderId, 'children'));
			keys.add(cacheKeys.folderChildren(folderId, 'subfolders'));
		}
		if (payload.project.id) keys.add(cacheKeys.structure(payload.project.id));
		return this.cache.invalidate([...keys]);
	}

	/**
	 * The folders whose cached children listing holds the resource, a version stack headed by it, or the stack
	 * `parentId` (a stacked file's parent is its stack, which sits in the folder listing).
	 */
	private listingsHolding(id: string, parentId: string | undefined): string[] {
		const found: string[] = [];
		for (const row of this.cache.rows()) {
			const match = CHILDREN_KEY.exec(row.key);
			if (!match) continue;
			const items = this.cache.peek<FolderChild[]>(row.key);
			if (!Array.isArray(items)) continue;
			const holds = items.some(
				item => item.id === id || (item.type === 'version_stack' && (item.id === parentId || item.head_version?.id === id)),
			);
			if (holds) found.push(match[1]);
		}
		return found;
	}
}
