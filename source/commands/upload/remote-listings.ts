// "Is this file already there?": the target folder's files (every page, fresh from the API, listed once per folder
// per scan) searched for the same name and size. A placeholder still in status "created" has no bytes yet (an
// upload in progress, or a broken one), so it does not count.
import type {FrameioFile} from '../../frameio/types.js';

export type FolderFilesApi = {files(accountId: string, folderId: string): Promise<FrameioFile[]>};

export class RemoteListings {
	private readonly listings = new Map<string, Promise<FrameioFile[]>>();

	constructor(
		private readonly api: FolderFilesApi,
		private readonly accountId: string,
	) {}

	async find(folderId: string, name: string, size: number): Promise<FrameioFile | undefined> {
		let listing = this.listings.get(folderId);
		if (!listing) {
			listing = this.api.files(this.accountId, folderId);
			listing.catch(() => this.listings.delete(folderId));
			this.listings.set(folderId, listing);
		}
		return (await listing).find(file => file.name === name && file.file_size === size && file.status !== 'created');
	}
}
