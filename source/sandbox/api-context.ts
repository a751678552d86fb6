// What every /v4 route handler gets, and the lookups they share: each one answers 404 with the v4 error body when the
// id is unknown or belongs to another account.
import type {IncomingMessage} from 'node:http';
import type {Account, FrameioFile, Workspace} from '../frameio/types.js';
import {notFound} from './api-error.js';
import type {SideLoader} from './includes.js';
import type {UploadLifecycle} from './lifecycle.js';
import type {RateClass} from './rate-limit.js';
import type {Params} from './router.js';
import type {SandboxFolder, SandboxStore} from './store.js';
import type {WebhookRegistry} from './webhooks.js';

export type ApiDeps = {
	store: SandboxStore;
	lifecycle: UploadLifecycle;
	webhooks: WebhookRegistry;
	sideLoader: SideLoader;
	baseUrl: () => string;
	dataDir: string;
	partSize: number;
	signal: AbortSignal;
};

export type ApiContext = {req: IncomingMessage; url: URL; params: Params; deps: ApiDeps};
export type ApiResult = {status: number; body?: unknown; headers?: Record<string, string>};
export type ApiRoute = {rateClass: RateClass; run: (context: ApiContext) => ApiResult | Promise<ApiResult>};

export const ok = (body: unknown): ApiResult => ({status: 200, body});
export const created = (body: unknown): ApiResult => ({status: 201, body});
export const noContent: ApiResult = {status: 204};

export function account(deps: ApiDeps, accountId: string): Account {
	const found = deps.store.accounts.find(item => item.id === accountId);
	if (!found) throw notFound('Account not found');
	return found;
}

export function workspaceIn(deps: ApiDeps, params: Params): Workspace {
	account(deps, params.accountId);
	const workspace = deps.store.workspaces.find(item => item.id === params.workspaceId);
	if (!workspace || workspace.account_id !== params.accountId) throw notFound('Workspace not found');
	return workspace;
}

export function folderIn(deps: ApiDeps, params: Params): SandboxFolder {
	account(deps, params.accountId);
	const folder = deps.store.getFolder(params.folderId);
	if (!folder || deps.store.accountIdOfProject(folder.project_id) !== params.accountId) throw notFound('Folder not found');
	return folder;
}

export function fileIn(deps: ApiDeps, params: Params): FrameioFile {
	account(deps, params.accountId);
	const file = deps.store.getFile(params.fileId);
	if (!file || deps.store.accountIdOfProject(file.project_id) !== params.accountId) throw notFound('File not found');
	return file;
}

export function versionStackIn(deps: ApiDeps, params: Params) {
	account(deps, params.accountId);
	const stack = deps.store.getVersionStack(params.versionStackId);
	if (!stack || deps.store.accountIdOfProject(stack.project_id) !== params.accountId) throw notFound('Version stack not found');
	return stack;
}
