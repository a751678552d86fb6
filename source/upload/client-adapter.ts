// Fits the Frame.io client's endpoints to UploadApi, the one interface the engine codes against: the engine names
// what it needs (folderFiles, uploadStatusByLink), the client names what the API offers (files, getByLink).
import type {Endpoints} from '../frameio/endpoints.js';
import type {DataEnvelope, UploadStatus} from '../frameio/types.js';
import {statusByLinkSchema} from '../frameio/schemas.js';
import type {UploadApi} from './upload-api.js';
import type {StackingApi} from './version-stacker.js';

/** The client's endpoints the engine uses, by the client's own types (no second copy of their shapes). */
export type UploadEndpoints = Pick<Endpoints, 'localUpload' | 'remoteUpload' | 'fileStatus' | 'file' | 'deleteFile' | 'getByLink' | 'files'>;

export function uploadApiFromClient(client: UploadEndpoints): UploadApi {
	return {
		localUpload: (accountId, folderId, body) => client.localUpload(accountId, folderId, body),
		remoteUpload: (accountId, folderId, body) => client.remoteUpload(accountId, folderId, body),
		fileStatus: (accountId, fileId) => client.fileStatus(accountId, fileId),
		file: (accountId, fileId) => client.file(accountId, fileId),
		deleteFile: (accountId, fileId) => client.deleteFile(accountId, fileId),
		uploadStatusByLink: async link => {
			const body = await client.getByLink<DataEnvelope<UploadStatus> | UploadStatus>(link, statusByLinkSchema);
			return 'data' in body ? body.data : body;
		},
		folderFiles: (accountId, folderId) => client.files(accountId, folderId),
	};
}

/** The client's endpoints version stacking uses. */
export type StackingEndpoints = Pick<Endpoints, 'files' | 'versionStacks' | 'versionStackFiles' | 'file' | 'createVersionStack' | 'moveFile'>;

export function stackingApiFromClient(client: StackingEndpoints): StackingApi {
	return {
		files: (accountId, folderId) => client.files(accountId, folderId),
		versionStacks: (accountId, folderId) => client.versionStacks(accountId, folderId),
		versionStackFiles: (accountId, stackId) => client.versionStackFiles(accountId, stackId),
		file: (accountId, fileId) => client.file(accountId, fileId),
		createVersionStack: (accountId, folderId, fileIds) => client.createVersionStack(accountId, folderId, fileIds),
		moveFile: (accountId, fileId, parentId) => client.moveFile(accountId, fileId, parentId),
	};
}
