// Our own types for the parts of the Frame.io v4 API this tool uses, written from the published spec
// (../shared/frameio-v4-openapi.json). Only the fields we read are required; the API may send more.

export type Uuid = string;
export type Timestamp = string;

export type User = {id: Uuid; name: string; email: string; avatar_url: string | null};

export type Account = {
	id: Uuid;
	display_name: string;
	roles: Array<'admin' | 'member' | 'owner'>;
	storage_limit: number | null;
	storage_usage: number;
	image: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
};

export type Workspace = {id: Uuid; name: string; account_id: Uuid; created_at: Timestamp; updated_at: Timestamp};

export type Project = {
	id: Uuid;
	name: string;
	workspace_id: Uuid;
	root_folder_id: Uuid;
	status: 'active' | 'inactive';
	storage: number;
	restricted: boolean;
	description: string | null;
	view_url: string;
	created_at: Timestamp;
	updated_at: Timestamp;
};

export type Folder = {
	id: Uuid;
	name: string;
	type: 'folder';
	parent_id: Uuid | null;
	project_id: Uuid;
	view_url: string;
	created_at: Timestamp;
	updated_at: Timestamp;
};

export type FileStatus = 'created' | 'uploaded' | 'transcoded';

export type FrameioFile = {
	id: Uuid;
	name: string;
	type: 'file';
	parent_id: Uuid;
	project_id: Uuid;
	file_size: number;
	media_type: string;
	status: FileStatus;
	view_url: string;
	created_at: Timestamp;
	updated_at: Timestamp;
};

export type VersionStack = {
	id: Uuid;
	name: string;
	type: 'version_stack';
	parent_id: Uuid;
	project_id: Uuid;
	head_version?: FrameioFile;
	view_url: string;
	created_at: Timestamp;
	updated_at: Timestamp;
};

/** An item of a folder's children: a discriminated union on `type`. */
export type FolderChild = Folder | FrameioFile | VersionStack;
export type ChildType = FolderChild['type'];

export type UploadUrl = {size: number; url: string};
export type FileWithUploadUrls = FrameioFile & {upload_urls: UploadUrl[]};

export type UploadStatus = {
	id: Uuid;
	filetype?: string;
	upload_complete: boolean;
	upload_failed: boolean;
	uploaded_at: Timestamp | null;
	upload_completed_at: Timestamp | null;
};

/** `{data}` */
export type DataEnvelope<T> = {data: T};
/** `{data, links:{next}, total_count}` */
export type PageEnvelope<T> = {data: T[]; links: {next: string | null}; total_count?: number | null};
/** Remote upload answers 202 with a status link. */
export type RemoteUploadEnvelope = {data: FrameioFile; links: {status: string}};

/** `{"errors":[{title, detail, source:{pointer}}]}` */
export type ApiErrorItem = {title?: string; detail: string; source?: {pointer?: string}};
export type ErrorEnvelope = {errors: ApiErrorItem[]};

/** IMS /ims/token/v3 answer. */
