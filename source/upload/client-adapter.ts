// Fits the Frame.io client's endpoint functions to UploadApi. Typed structurally, so the engine still does not
// depend on how the client is built.
import type {DataEnvelope, FileWithUploadUrls, FrameioFile, RemoteUploadEnvelope, UploadStatus} from '../frameio/types.js';
import type {UploadApi} from './upload-api.js';

export type UploadClient = {
	localUpload(accountId: string, folderId: string, body: {name: string; file_size: number}): Promise<FileWithUploadUrls>;
	remoteUpload(accountId: string, folderId: string, body: {name: string; source_url: string}): Promise<RemoteUploadEnvelope>;
	fileStatus(accountId: string, fileId: string): Promise<UploadStatus>;
	file(accountId: string, fileId: string): Promise<FrameioFile>;
	deleteFile(accountId: string, fileId: string): Promise<void>;
	getByLink<T>(link: string): Promise<T>;
	/** Every file of a folder, all pages. */
	files(accountId: string, folderId: string): Promise<FrameioFile[]>;
};

export function uploadApiFromClient(client: UploadClient): UploadApi {
	return {
		localUpload: (accountId, folderId, body) => client.localUpload(accountId, folderId, body),
		remoteUpload: (accountId, folderId, body) => client.remoteUpload(accountId, folderId, body),
		fileStatus: (accountId, fileId) => client.fileStatus(accountId, fileId),
		file: (accountId, fileId) => client.file(accountId, fileId),
		deleteFile: (accountId, fileId) => client.deleteFile(accountId, fileId),
		uploadStatusByLink: async link => {
			const body = await client.getByLink<DataEnvelope<UploadStatus> | UploadStatus>(link);
			return 'data' in body ? body.data : body;
		},
		folderFiles: (accountId, folderId) => client.files(accountId, folderId),
	};
}
