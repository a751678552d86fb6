// Version stacks (frameio-v4.md §5.10): create from 2–10 files of one folder (oldest first, the last is the head),
// show, list a stack's files, list the stacks of a folder. Files join a stack later through PATCH files/{id}/move.
import type {VersionStack} from '../frameio/types.js';
import {invalid} from './api-error.js';
import {type ApiRoute, created, folderIn, ok, versionStackIn} from './api-context.js';
import {readData} from './body-validation.js';
import {readJson} from './http-io.js';
import {FILE_INCLUDES, parseInclude} from './includes.js';
import {MAX_PAGE_SIZE_ASSETS, MAX_PAGE_SIZE_SMALL, pageOf} from './pagination.js';
import type {Router} from './router.js';

const MIN_FILES = 2;
const MAX_FILES = 10;

const fileIdsField = (value: unknown, pointer: string) => {
	if (!Array.isArray(value) || value.length < MIN_FILES || value.length > MAX_FILES) {
		throw invalid(`file_ids must be an array of ${MIN_FILES} to ${MAX_FILES} file ids`, pointer);
	}
	value.forEach((id, index) => {
		if (typeof id !== 'string' || id.length === 0) throw invalid('file_ids must hold file ids (strings)', `${pointer}/${index}`);
		if (value.indexOf(id) !== index) throw invalid('file_ids must be unique', `${pointer}/${index}`);
	});
};

export function addVersionStackRoutes(router: Router<ApiRoute>, A: string): void {
	router.add('POST', `${A}/folders/:folderId/version_stacks`, {
		rateClass: 'version_stacks.create',
		run: async ({req, params, deps}) => {
			const folder = folderIn(deps, params);
			const data = readData(await readJson(req), {file_ids: fileIdsField}, ['file_ids']);
			const fileIds = data.file_ids as string[];
			fileIds.forEach((id, index) => {
				if (deps.store.getFile(id)?.parent_id !== folder.id) throw invalid(`file ${id} is not a file of folder ${folder.id}`, `/data/file_ids/${index}`);
			});
			return created({data: deps.store.createVersionStack(folder.id, fileIds)});
		},
	});

	router.add('GET', `${A}/version_stacks/:versionStackId`, {
		rateClass: 'version_stacks.show',
		run: ({url, params, deps}) => {
			const include = parseInclude(url.searchParams, FILE_INCLUDES);
			return ok({data: deps.sideLoader.versionStack(versionStackIn(deps, params), include)});
		},
	});

	router.add('GET', `${A}/version_stacks/:versionStackId/children`, {
		rateClass: 'version_stacks.index',
		run: ({url, params, deps}) => {
			const stack = versionStackIn(deps, params);
			const include = parseInclude(url.searchParams, FILE_INCLUDES);
			return ok(pageOf(deps.store.stackFiles(stack.id), url, MAX_PAGE_SIZE_SMALL, file => deps.sideLoader.file(file, include)));
		},
	});

	router.add('GET', `${A}/folders/:folderId/version_stacks`, {
		rateClass: 'version_stacks.list',
		run: ({url, params, deps}) => {
			const folder = folderIn(deps, params);
			const include = parseInclude(url.searchParams, FILE_INCLUDES);
			const stacks = deps.store.children(folder.id).filter((child): child is VersionStack => child.type === 'version_stack');
			return ok(pageOf(stacks, url, MAX_PAGE_SIZE_ASSETS, stack => deps.sideLoader.versionStack(stack, include)));
		},
	});
}
