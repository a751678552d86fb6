// Typed v4 endpoints, as this tool uses them. Lists always read every page (page_size 100, the safe maximum of
// every list); `…Pages` variants expose the pages for callers that stream (the console's lazy tree).
import type {ApiResponse, CallTiming, FrameioHttp} from './http.js';
import {FrameioError} from './errors.js';
import type * as z from 'zod';
import {
	accountSchema,
	dataSchema,
	fileSchema,
	fileWithUploadUrlsSchema,
	folderChildSchema,
	folderSchema,
	projectSchema,
	remoteUploadSchema,
	uploadStatusSchema,
	userSchema,
	versionStackSchema,
	webhookSchema,
	webhookWithSecretSchema,
	workspaceSchema,
} from './schemas.js';
import type {
	Account,
	ChildType,
	DataEnvelope,
	FileWithUploadUrls,
	Folder,
	FolderChild,
	FrameioFile,
	PageEnvelope,
	Project,
	RemoteUploadEnvelope,
	UploadStatus,
	User,
	VersionStack,
	Webhook,
	WebhookCreateBody,
	WebhookWithSecret,
	Workspace,
} from './types.js';

export const DEFAULT_PAGE_SIZE = 100;

export type ChildrenOptions = {type?: ChildType[]; pageSize?: number; includeTotalCount?: boolean};
export type ListOptions = {pageSize?: number};

const id = (value: string) => encodeURIComponent(value);

export function createEndpoints(http: FrameioHttp) {
	// Every answer is checked against the shape we read (schemas.ts) before anyone uses it.
	const one = async <T>(pending: Promise<ApiResponse<DataEnvelope<T>>>): Promise<T> => unwrap(await pending);
	const get = <T>(path: string, item: z.ZodType) => one<T>(http.request<DataEnvelope<T>>('GET', path, {schema: dataSchema(item)}));
	const send = <T>(method: string, path: string, item: z.ZodType, options: {json: unknown; idempotent?: boolean}) =>
		one<T>(http.request<DataEnvelope<T>>(method, path, {...options, schema: dataSchema(item)}));
	const list = <T>(path: string, item: z.ZodType, options: ListOptions = {}) => http.all<T>(path, {page_size: options.pageSize ?? DEFAULT_PAGE_SIZE}, undefined, item);
	const childrenQuery = (options: ChildrenOptions) => ({
		page_size: options.pageSize ?? DEFAULT_PAGE_SIZE,
		type: options.type && options.type.length > 0 ? options.type : undefined,
		include_total_count: options.includeTotalCount ? true : undefined,
	});

	return {
		me: () => get<User>('me', userSchema),
		/** GET /v4/me with what its time was spent on: probes report the wire time, not the wait for the limiter. */
		meTimed: async (): Promise<{user: User; timing: CallTiming | undefined}> => {
			const response = await http.request<DataEnvelope<User>>('GET', 'me', {schema: dataSchema(userSchema)});
			return {user: unwrap(response), timing: response.timing};
		},
		accounts: (options?: ListOptions) => list<Account>('accounts', accountSchema, options),
		workspaces: (accountId: string, options?: ListOptions) => list<Workspace>(`accounts/${id(accountId)}/workspaces`, workspaceSchema, options),
		projects: (accountId: string, workspaceId: string, options?: ListOptions) =>
			list<Project>(`accounts/${id(accountId)}/workspaces/${id(workspaceId)}/projects`, projectSchema, options),
		accountProjects: (accountId: string, options?: ListOptions) => list<Project>(`accounts/${id(accountId)}/projects`, projectSchema, options),
		project: (accountId: string, projectId: string) => get<Project>(`accounts/${id(accountId)}/projects/${id(projectId)}`, projectSchema),
		folder: (accountId: string, folderId: string) => get<Folder>(`accounts/${id(accountId)}/folders/${id(folderId)}`, folderSchema),
		children: (accountId: string, folderId: string, options: ChildrenOptions = {}) =>
			http.all<FolderChild>(`accounts/${id(accountId)}/folders/${id(folderId)}/children`, childrenQuery(options), undefined, folderChildSchema),
		childrenPages: (accountId: string, folderId: string, options: ChildrenOptions = {}): AsyncGenerator<PageEnvelope<FolderChild>, void, undefined> =>
			http.pages<FolderChild>(`accounts/${id(accountId)}/folders/${id(folderId)}/children`, childrenQuery(options), undefined, folderChildSchema),
		subfolders: (accountId: string, folderId: string, options?: ListOptions) => list<Folder>(`accounts/${id(accountId)}/folders/${id(folderId)}/folders`, folderSchema, options),
		files: (accountId: string, folderId: string, options?: ListOptions) => list<FrameioFile>(`accounts/${id(accountId)}/folders/${id(folderId)}/files`, fileSchema, options),
		/** 201 with the new folder. Folder names are 1-255 characters. */
		createFolder: (accountId: string, parentId: string, name: string) =>
			send<Folder>('POST', `accounts/${id(accountId)}/folders/${id(parentId)}/folders`, folderSchema, {json: {data: {name}}}),
		deleteFolder: async (accountId: string, folderId: string): Promise<void> => {
			await http.request('DELETE', `accounts/${id(accountId)}/folders/${id(folderId)}`);
		},
		file: (accountId: string, fileId: string) => get<FrameioFile>(`accounts/${id(accountId)}/files/${id(fileId)}`, fileSchema),
		fileStatus: (accountId: string, fileId: string) => get<UploadStatus>(`accounts/${id(accountId)}/files/${id(fileId)}/status`, uploadStatusSchema),
		deleteFile: async (accountId: string, fileId: string): Promise<void> => {
			await http.request('DELETE', `accounts/${id(accountId)}/files/${id(fileId)}`);
		},
		/** Only name and file_size: the body is additionalProperties:false (media_type gets a 422); read media_type back. */
		localUpload: (accountId: string, folderId: string, body: {name: string; file_size: number}) =>
			send<FileWithUploadUrls>('POST', `accounts/${id(accountId)}/folders/${id(folderId)}/files/local_upload`, fileWithUploadUrlsSchema, {
				json: {data: {name: body.name, file_size: body.file_size}},
			}),
		/** 202 with the placeholder and links.status to poll. */
		remoteUpload: async (accountId: string, folderId: string, body: {name: string; source_url: string}): Promise<RemoteUploadEnvelope> => {
			const response = await http.request<RemoteUploadEnvelope>('POST', `accounts/${id(accountId)}/folders/${id(folderId)}/files/remote_upload`, {
				json: {data: {name: body.name, source_url: body.source_url}},
				schema: remoteUploadSchema,
			});
			const envelope = unwrapEnvelope(response);
			return {data: envelope.data, links: {status: response.body.links?.status ?? `/v4/accounts/${id(accountId)}/files/${id(envelope.data.id)}/status`}};
		},
		/** PATCH files/{id}/move: into another folder, or into a version stack, where it becomes the head. */
		moveFile: (accountId: string, fileId: string, parentId: string) =>
			send<FrameioFile>('PATCH', `accounts/${id(accountId)}/files/${id(fileId)}/move`, fileSchema, {json: {data: {parent_id: parentId}}, idempotent: true}),

		// ---- version stacks (frameio-v4.md §5.10)
		/** The version stacks directly in a folder (each with its head_version). */
		versionStacks: (accountId: string, folderId: string, options?: ListOptions) =>
			list<VersionStack>(`accounts/${id(accountId)}/folders/${id(folderId)}/version_stacks`, versionStackSchema, options),
		versionStack: (accountId: string, stackId: string) => get<VersionStack>(`accounts/${id(accountId)}/version_stacks/${id(stackId)}`, versionStackSchema),
		/** A stack's files, oldest first (page_size at most 100). */
		versionStackFiles: (accountId: string, stackId: string, options?: ListOptions) =>
			list<FrameioFile>(`accounts/${id(accountId)}/version_stacks/${id(stackId)}/children`, fileSchema, options),
		/** 201 with the stack: 2-10 unique files directly in the folder, oldest first; the last is the head. */
		createVersionStack: (accountId: string, folderId: string, fileIds: readonly string[]) =>
			send<VersionStack>('POST', `accounts/${id(accountId)}/folders/${id(folderId)}/version_stacks`, versionStackSchema, {json: {data: {file_ids: [...fileIds]}}}),

		// ---- webhooks (frameio-v4.md §7)
		webhooks: (accountId: string, workspaceId: string, options?: ListOptions) =>
			list<Webhook>(`accounts/${id(accountId)}/workspaces/${id(workspaceId)}/webhooks`, webhookSchema, options),
		webhook: (accountId: string, webhookId: string) => get<Webhook>(`accounts/${id(accountId)}/webhooks/${id(webhookId)}`, webhookSchema),
		/** 201 with the webhook and its signing secret: the only answer that ever shows the secret. */
		createWebhook: (accountId: string, workspaceId: string, body: WebhookCreateBody) =>
			send<WebhookWithSecret>('POST', `accounts/${id(accountId)}/workspaces/${id(workspaceId)}/webhooks`, webhookWithSecretSchema, {
				json: {data: {name: body.name, url: body.url, events: [...body.events]}},
			}),
		deleteWebhook: async (accountId: string, webhookId: string): Promise<void> => {
			await http.request('DELETE', `accounts/${id(accountId)}/webhooks/${id(webhookId)}`);
		},

		/** GET a link the API returned (links.status), resolved against the API host; its answer checked against `schema`. */
		getByLink: async <T>(link: string, schema?: z.ZodType): Promise<T> => (await http.request<T>('GET', link, {schema})).body,
	};
}

export type Endpoints = ReturnType<typeof createEndpoints>;

function unwrap<T>(response: ApiResponse<DataEnvelope<T>>): T {
	return unwrapEnvelope(response).data;
}

function unwrapEnvelope<T extends {data: unknown}>(response: ApiResponse<T>): T {
	const body = response.body as Partial<T> | null | '';
	if (!body || typeof body !== 'object' || body.data === undefined || body.data === null) {
		throw new FrameioError({status: response.status, code: 'http', op: 'response', method: 'GET', path: '', title: 'Unexpected response', detail: 'the API answered without a data field'});
	}
	return body as T;
}
