// Where a job goes, kept with the job so that a restart finds the folder again: the folder path below the root
// folder (WIP_BYSHOT/SC01_SEQ01/UNDLM_00042), and the root folder and account it was planned in.
import type {UploadJobSnapshot} from './job.js';

export type JobTarget = {folder: string; root: string; account: string};

export function jobTarget(folderPath: readonly string[], place: {rootFolderId: string; accountId: string}): JobTarget {
	return {folder: folderPath.join('/'), root: place.rootFolderId, account: place.accountId};
}

export function folderPathOf(job: Pick<UploadJobSnapshot, 'target'>): string | undefined {
	const folder = job.target?.folder;
	return typeof folder === 'string' && folder ? folder : undefined;
}
