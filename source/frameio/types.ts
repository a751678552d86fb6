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
	/** The newest file of the stack (its name is the stack's). The spec marks it nullable with includes: check it. */
	head_version?: FrameioFile | null;
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
/** A user as an `include=creator` / `include=owner` side-load carries it. */
export type IncludedUser = User & {active: boolean | null};

/** One rendition link of `include=media_links.*`; a URL is null when the rendition does not exist (yet). */
export type MediaLink = {download_url: string | null; inline_url?: string | null; url?: string | null};
export type MediaLinkName = 'original' | 'thumbnail' | 'thumbnail_high_quality' | 'video_h264_180' | 'high_quality' | 'efficient' | 'scrub_sheet';
export type MediaLinks = Partial<Record<MediaLinkName, MediaLink>>;

/** The webhook events Frame.io v4 knows (webhooks.create). */
export type WebhookEventType =
	| 'file.created'
	| 'file.deleted'
	| 'file.ready'
	| 'file.updated'
	| 'file.upload.completed'
	| 'file.versioned'
	| 'file.copied'
	| 'folder.created'
	| 'folder.deleted'
	| 'folder.updated'
	| 'folder.copied'
	| 'comment.completed'
	| 'comment.created'
	| 'comment.deleted'
	| 'comment.uncompleted'
	| 'comment.updated'
	| 'customfield.created'
	| 'customfield.updated'
	| 'customfield.deleted'
	| 'metadata.value.updated'
	| 'project.created'
	| 'project.deleted'
	| 'project.updated'
	| 'collection.created'
	| 'collection.updated'
	| 'collection.deleted'
	| 'share.created'
	| 'share.updated'
	| 'share.deleted'
	| 'share.viewed';

export type Webhook = {
	id: Uuid;
	name: string;
	url: string;
	events: WebhookEventType[];
	active: boolean;
	workspace_id: Uuid | null;
	created_at: Timestamp;
	updated_at: Timestamp;
};
/** webhooks.create answers the signing secret, once. */
export type WebhookWithSecret = Webhook & {secret: string};

/** What Frame.io POSTs to a webhook URL: ids only. */
export type WebhookPayload = {
	type: WebhookEventType;
	resource: {id: Uuid; type: string};
	account: {id: Uuid};
	workspace: {id: Uuid};
	project: {id: Uuid};
	user: {id: Uuid};
};

/** webhooks.create's body (`{data: …}`); every field is required and nothing else is accepted. */
export type WebhookCreateBody = {name: string; url: string; events: WebhookEventType[]};
