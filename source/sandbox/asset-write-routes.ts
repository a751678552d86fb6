// Renames, moves and copies of files and folders (files.update, files.move, files.copy, folders.update). Each change
// is announced by the store, so webhooks hear of it.
import type {FrameioFile} from '../frameio/types.js';
import {ApiError, invalid} from './api-error.js';
import {account, type ApiDeps, type ApiRoute, fileIn, folderIn, ok} from './api-context.js';
import {nameField, readData, stringField} from './body-validation.js';
import {readJson, readOptionalJson} from './http-io.js';
import {parseBoolean} from './pagination.js';
import {copyStoredParts} from './parts.js';
import type {Router} from './router.js';

const COPY_COMMENTS = ['none', 'internal', 'public', 'all'];

export function addAssetWriteRoutes(router: Router<ApiRoute>, A: string): void {
	router.add('PATCH', `${A}/files/:fileId`, {
		rateClass: 'files.update',
		run: async ({req, params, deps}) => {
			const file = fileIn(deps, params);
			const data = readData(await readJson(req), {name: nameField}, []);
			return ok({data: data.name === undefined ? file : deps.store.renameFile(file.id, data.name as string)});
		},
	});

	router.add('PATCH', `${A}/folders/:folderId`, {
		rateClass: 'folders.update',
		run: async ({req, params, deps}) => {
			const folder = folderIn(deps, params);
			const data = readData(await readJson(req), {name: nameField}, []);
			if (deps.store.isRootFolder(folder.id)) throw new ApiError(403, "A project's root folder cannot be renamed", 'Forbidden');
			return ok({data: data.name === undefined ? folder : deps.store.renameFolder(folder.id, data.name as string)});
		},
	});

	router.add('PATCH', `${A}/files/:fileId/move`, {
		rateClass: 'files.move',
		run: async ({req, params, deps}) => {
			const file = fileIn(deps, params);
			const data = readData(await readJson(req), {parent_id: stringField}, ['parent_id']);
			const target = moveTarget(deps, params.accountId, data.parent_id as string);
			return ok({data: deps.store.moveFile(file.id, target)});
		},
	});

	router.add('POST', `${A}/files/:fileId/copy`, {
		rateClass: 'files.copy',
		run: async ({req, url, params, deps}) => {
			const file = fileIn(deps, params);
			parseBoolean(url.searchParams, 'copy_metadata');
			const comments = url.searchParams.get('copy_comments');
			if (comments !== null && !COPY_COMMENTS.includes(comments)) throw invalid(`copy_comments must be one of ${COPY_COMMENTS.join(', ')}`, '/copy_comments');
			const body = await readOptionalJson(req);
			const data = body === undefined ? {} : readData(body, {parent_id: stringField}, []);
			const folderId = data.parent_id === undefined ? homeFolder(deps, file) : (data.parent_id as string);
			const target = deps.store.getFolder(folderId);
			if (!target || deps.store.accountIdOfProject(target.project_id) !== params.accountId) throw invalid('parent_id is not a folder of this account', '/data/parent_id');
			const source = deps.store.fileRecord(file.id)!;
			const copy = deps.store.copyFile(file.id, folderId);
			await copyStoredParts(source, copy, deps.dataDir);
			return ok({data: copy.file});
		},
	});
}

/** A file's folder: its parent, or the folder of the version stack it is in. */
function homeFolder(deps: ApiDeps, file: FrameioFile): string {
	return deps.store.getVersionStack(file.parent_id)?.parent_id ?? file.parent_id;
}

/** The folder or version stack a file may move to: it must exist in this account, else a 422 on /data/parent_id. */
function moveTarget(deps: ApiDeps, accountId: string, id: string): string {
	account(deps, accountId);
	const target = deps.store.getFolder(id) ?? deps.store.getVersionStack(id);
	if (!target || deps.store.accountIdOfProject(target.project_id) !== accountId) throw invalid('parent_id is not a folder or version stack of this account', '/data/parent_id');
	return target.id;
}
