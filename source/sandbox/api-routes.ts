// The /v4 endpoints the product uses, with the shapes of the v4 spec: structure reads, folder and file creation and
// deletion here; renames, moves and copies in asset-write-routes.ts; version stacks and webhooks in their own files.
import type {ChildType, FolderChild, FrameioFile, UploadStatus} from '../frameio/types.js';
import {ApiError, invalid, notFound} from './api-error.js';
import {account, type ApiDeps, type ApiRoute, fileIn, folderIn, noContent, ok, workspaceIn} from './api-context.js';
import {addAssetWriteRoutes} from './asset-write-routes.js';
import {fileSizeField, nameField, readData, stringField} from './body-validation.js';
import {readJson} from './http-io.js';
import {ASSET_INCLUDES, CREATOR_INCLUDE, FILE_INCLUDES, OWNER_INCLUDE, parseInclude} from './includes.js';
import {MAX_PAGE_SIZE_ASSETS, MAX_PAGE_SIZE_SMALL, pageOf, paginate} from './pagination.js';
import {preparePartUpload} from './parts.js';
import {fetchRemote} from './remote-upload.js';
import {Router} from './router.js';
import {planParts} from './upload-plan.js';
import {addVersionStackRoutes} from './version-stack-routes.js';
import {addWebhookRoutes} from './webhook-routes.js';

export type {ApiContext, ApiDeps, ApiResult, ApiRoute} from './api-context.js';

const CHILD_TYPES: ChildType[] = ['file', 'folder', 'version_stack'];

function typeFilter(query: URLSearchParams): Set<ChildType> | null {
	const raw = query.get('type');
	if (raw === null || raw === '') return null;
	const types = raw.split(',').map(item => item.trim());
	for (const type of types) {
		if (!CHILD_TYPES.includes(type as ChildType)) throw invalid(`type must be a comma list of ${CHILD_TYPES.join(', ')}`, '/type');
	}
	return new Set(types as ChildType[]);
}

const FILE_SORTS = ['name', 'created_at', 'updated_at', 'file_size'] as const;

function sortFiles(files: FrameioFile[], query: URLSearchParams): FrameioFile[] {
	const raw = query.get('sort');
	if (raw === null) return files;
	const match = /^(name|created_at|updated_at|file_size)_(asc|desc)$/.exec(raw);
	if (!match) throw invalid(`sort must be one of ${FILE_SORTS.map(key => `${key}_asc, ${key}_desc`).join(', ')}`, '/sort');
	const key = match[1] as (typeof FILE_SORTS)[number];
	const direction = match[2] === 'asc' ? 1 : -1;
	return [...files].sort((a, b) => (a[key] < b[key] ? -direction : a[key] > b[key] ? direction : 0));
}

function uploadStatus(deps: ApiDeps, file: FrameioFile): UploadStatus {
	const record = deps.store.fileRecord(file.id)!;
	return {
		id: file.id,
		filetype: file.media_type,
		upload_complete: record.complete,
		upload_failed: record.failed,
		uploaded_at: record.uploadedAt,
		upload_completed_at: record.completedAt,
	};
}

export function buildApiRouter(): Router<ApiRoute> {
	const router = new Router<ApiRoute>();
	const A = '/v4/accounts/:accountId';

	router.add('GET', '/v4/me', {rateClass: 'me', run: ({deps}) => ok({data: deps.store.user})});

	router.add('GET', '/v4/accounts', {
		rateClass: 'accounts.index',
		run: ({url, deps}) => ok(paginate(deps.store.accounts.map(item => deps.store.accountWithUsage(item)), url.pathname, url.searchParams, MAX_PAGE_SIZE_SMALL)),
	});

	router.add('GET', `${A}/workspaces`, {
		rateClass: 'workspaces.index',
		run: ({url, params, deps}) => {
			account(deps, params.accountId);
			const include = parseInclude(url.searchParams, CREATOR_INCLUDE);
			const list = deps.store.workspaces.filter(item => item.account_id === params.accountId);
			return ok(pageOf(list, url, MAX_PAGE_SIZE_SMALL, item => deps.sideLoader.workspace(item, include)));
		},
	});

	router.add('GET', `${A}/workspaces/:workspaceId`, {
		rateClass: 'workspaces.show',
		run: ({url, params, deps}) => {
			const include = parseInclude(url.searchParams, CREATOR_INCLUDE);
			return ok({data: deps.sideLoader.workspace(workspaceIn(deps, params), include)});
		},
	});

	router.add('GET', `${A}/workspaces/:workspaceId/projects`, {
		rateClass: 'projects.index',
		run: ({url, params, deps}) => {
			const workspace = workspaceIn(deps, params);
			const include = parseInclude(url.searchParams, OWNER_INCLUDE);
			const list = deps.store.projects.filter(item => item.workspace_id === workspace.id).map(item => deps.store.getProject(item.id)!);
			return ok(pageOf(list, url, MAX_PAGE_SIZE_SMALL, item => deps.sideLoader.project(item, include)));
		},
	});

	router.add('GET', `${A}/projects`, {
		rateClass: 'account_projects.index',
		run: ({url, params, deps}) => {
			account(deps, params.accountId);
			const include = parseInclude(url.searchParams, OWNER_INCLUDE);
			const list = deps.store.projects.filter(item => deps.store.accountIdOfWorkspace(item.workspace_id) === params.accountId).map(item => deps.store.getProject(item.id)!);
			return ok(pageOf(list, url, MAX_PAGE_SIZE_SMALL, item => deps.sideLoader.project(item, include)));
		},
	});

	router.add('GET', `${A}/projects/:projectId`, {
		rateClass: 'projects.show',
		run: ({url, params, deps}) => {
			account(deps, params.accountId);
			const include = parseInclude(url.searchParams, OWNER_INCLUDE);
			const project = deps.store.getProject(params.projectId);
			if (!project || deps.store.accountIdOfProject(project.id) !== params.accountId) throw notFound('Project not found');
			return ok({data: deps.sideLoader.project(project, include)});
		},
	});

	router.add('GET', `${A}/folders/:folderId`, {
		rateClass: 'folders.show',
		run: ({url, params, deps}) => {
			const include = parseInclude(url.searchParams, ASSET_INCLUDES);
			return ok({data: deps.sideLoader.asset(folderIn(deps, params), include)});
		},
	});

	router.add('GET', `${A}/folders/:folderId/children`, {
		rateClass: 'folders.children',
		run: ({url, params, deps}) => {
			const folder = folderIn(deps, params);
			const types = typeFilter(url.searchParams);
			const include = parseInclude(url.searchParams, FILE_INCLUDES);
			let list: FolderChild[] = deps.store.children(folder.id);
			if (types) list = list.filter(child => types.has(child.type));
			return ok(pageOf(list, url, MAX_PAGE_SIZE_ASSETS, child => deps.sideLoader.child(child, include)));
		},
	});

	router.add('GET', `${A}/folders/:folderId/folders`, {
		rateClass: 'folders.list',
		run: ({url, params, deps}) => {
			const folder = folderIn(deps, params);
			const include = parseInclude(url.searchParams, ASSET_INCLUDES);
			const list = deps.store.children(folder.id).filter(child => child.type === 'folder');
			return ok(pageOf(list, url, MAX_PAGE_SIZE_ASSETS, item => deps.sideLoader.asset(item, include)));
		},
	});

	router.add('GET', `${A}/folders/:folderId/files`, {
		rateClass: 'files.list',
		run: ({url, params, deps}) => {
			const folder = folderIn(deps, params);
			const include = parseInclude(url.searchParams, FILE_INCLUDES);
			const list = sortFiles(
				deps.store.children(folder.id).filter((child): child is FrameioFile => child.type === 'file'),
				url.searchParams,
			);
			return ok(pageOf(list, url, MAX_PAGE_SIZE_ASSETS, file => deps.sideLoader.file(file, include)));
		},
	});

	router.add('POST', `${A}/folders/:folderId/folders`, {
		rateClass: 'folders.create',
		run: async ({req, params, deps}) => {
			const parent = folderIn(deps, params);
			const data = readData(await readJson(req), {name: nameField}, ['name']);
			return {status: 201, body: {data: deps.store.addFolder(parent.id, data.name as string)}};
		},
	});

	router.add('DELETE', `${A}/folders/:folderId`, {
		rateClass: 'folders.delete',
		run: ({params, deps}) => {
			const folder = folderIn(deps, params);
			if (deps.store.isRootFolder(folder.id)) throw new ApiError(403, "A project's root folder cannot be deleted", 'Forbidden');
			deps.store.deleteFolder(folder.id);
			return noContent;
		},
	});

	router.add('POST', `${A}/folders/:folderId/files/local_upload`, {
		rateClass: 'files.local_upload',
		run: async ({req, params, deps}) => {
			const parent = folderIn(deps, params);
			const data = readData(await readJson(req), {name: nameField, file_size: fileSizeField}, ['name', 'file_size']);
			const record = deps.store.createFileRecord(parent.id, data.name as string, data.file_size as number);
			const uploadUrls = await preparePartUpload(record, planParts(record.file.file_size, deps.partSize), deps.baseUrl(), deps.dataDir);
			return {status: 201, body: {data: {...record.file, upload_urls: uploadUrls}}};
		},
	});

	router.add('POST', `${A}/folders/:folderId/files/remote_upload`, {
		rateClass: 'files.remote_upload',
		run: async ({req, params, deps}) => {
			const parent = folderIn(deps, params);
			const data = readData(await readJson(req), {name: nameField, source_url: stringField}, ['name', 'source_url']);
			const record = deps.store.createFileRecord(parent.id, data.name as string, 0);
			void fetchRemote(record, data.source_url as string, {store: deps.store, lifecycle: deps.lifecycle, dataDir: deps.dataDir, signal: deps.signal});
			return {status: 202, body: {data: record.file, links: {status: `/v4/accounts/${params.accountId}/files/${record.file.id}/status`}}};
		},
	});

	router.add('GET', `${A}/files/:fileId`, {
		rateClass: 'files.show',
		run: ({url, params, deps}) => {
			const include = parseInclude(url.searchParams, FILE_INCLUDES);
			return ok({data: deps.sideLoader.file(fileIn(deps, params), include)});
		},
	});

	router.add('GET', `${A}/files/:fileId/status`, {
		rateClass: 'files.status',
		run: ({params, deps}) => ok({data: uploadStatus(deps, fileIn(deps, params))}),
	});

	router.add('DELETE', `${A}/files/:fileId`, {
		rateClass: 'files.delete',
		run: ({params, deps}) => {
			deps.store.deleteFile(fileIn(deps, params).id);
			return noContent;
		},
	});

	addAssetWriteRoutes(router, A);
	addVersionStackRoutes(router, A);
	addWebhookRoutes(router, A);
	return router;
}

