// The webhook events Frame.io v4 accepts (webhooks.create), as a list to check user input against; `satisfies`
// keeps it in step with the WebhookEventType union.
import type {WebhookEventType} from './types.js';

const EVENTS = {
	'file.created': true,
	'file.deleted': true,
	'file.ready': true,
	'file.updated': true,
	'file.upload.completed': true,
	'file.versioned': true,
	'file.copied': true,
	'folder.created': true,
	'folder.deleted': true,
	'folder.updated': true,
	'folder.copied': true,
	'comment.completed': true,
	'comment.created': true,
	'comment.deleted': true,
	'comment.uncompleted': true,
	'comment.updated': true,
	'customfield.created': true,
	'customfield.updated': true,
	'customfield.deleted': true,
	'metadata.value.updated': true,
	'project.created': true,
	'project.deleted': true,
	'project.updated': true,
	'collection.created': true,
	'collection.updated': true,
	'collection.deleted': true,
	'share.created': true,
	'share.updated': true,
	'share.deleted': true,
	'share.viewed': true,
} satisfies Record<WebhookEventType, true>;

export const WEBHOOK_EVENT_TYPES = Object.keys(EVENTS) as WebhookEventType[];

export function isWebhookEventType(value: string): value is WebhookEventType {
	return Object.hasOwn(EVENTS, value);
}

/** What the receiver acts on: every file and folder change (a new version included). */
export const LISTING_EVENTS: WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter(event => event.startsWith('file.') || event.startsWith('folder.'));
