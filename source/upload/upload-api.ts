// The narrow slice of the Frame.io client the upload engine needs. The engine codes against this, not against the
// client's internals, so that the client can change (and tests can pass the real client or a thin wrapper).
import type {FileWithUploadUrls, FrameioFile, RemoteUploadEnvelope, UploadStatus} from '../frameio/types.js';

export type UploadApi = {
	/** POST …/folders/{folder}/files/local_upload with `{name, file_size}` only. */
	localUpload(accountId: string, folderId: string, body: {name: string; file_size: number}): Promise<FileWithUploadUrls>;
	/** POST …/folders/{folder}/files/remote_upload: 202 with `links.status`. */
	remoteUpload(accountId: string, folderId: string, body: {name: string; source_url: string}): Promise<RemoteUploadEnvelope>;
	/** GET …/files/{id}/status */
	fileStatus(accountId: string, fileId: string): Promise<UploadStatus>;
	/** GET …/files/{id} */
	file(accountId: string, fileId: string): Promise<FrameioFile>;
	/** DELETE …/files/{id} */
	deleteFile(accountId: string, fileId: string): Promise<void>;
	/** GET of a link the API gave us (a remote upload's `links.status`), answering the status object. */
	uploadStatusByLink(link: string): Promise<UploadStatus>;
	/** Every file directly in a folder, across all pages (used to find placeholders a crash left behind). */
	folderFiles(accountId: string, folderId: string): Promise<FrameioFile[]>;
};

/** The HTTP status an API error carries, whatever shape the client gives it. */
export function errorStatus(error: unknown): number | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const value = error as {status?: unknown; statusCode?: unknown; response?: {statusCode?: unknown}};
	for (const candidate of [value.status, value.statusCode, value.response?.statusCode]) {
		if (typeof candidate === 'number' && candidate > 0) return candidate;
	}
	return undefined;
}

/** Whether trying the same API call again later may succeed (network trouble, throttling, server errors). */
export function isTransientApiError(error: unknown): boolean {
	const status = errorStatus(error);
	if (status === undefined) return true;
	return status === 408 || status === 429 || status >= 500;
}

/**
 * A call that got no answer (timed out, or the connection failed): the server may have done it. The client's
 * FrameioError says so in `code`; any error without an HTTP status and with such a code counts.
 */
export function answerLost(error: unknown): boolean {
	if (!error || typeof error !== 'object' || errorStatus(error) !== undefined) return false;
	const code = (error as {code?: unknown}).code;
	return code === 'timeout' || code === 'network';
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
