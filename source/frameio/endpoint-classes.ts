// Frame.io limits every operation separately (a leaky bucket per operation and account user, frameio-v4.md §4).
// An endpoint class is one such operation; its name is also the `op` of the ApiCallEvent.

export type EndpointClass =
	| 'me'
	| 'accounts.index'
	| 'workspaces.index'
	| 'projects.index'
	| 'account_projects.index'
	| 'projects.show'
	| 'folders.show'
	| 'folders.children'
	| 'folders.list'
	| 'files.list'
	| 'folders.create'
	| 'files.local_upload'
	| 'files.remote_upload'
	| 'files.show'
	| 'files.status'
	| 'files.delete'
	| 'folders.delete'
	| 'files.move'
	| 'version_stacks.create'
	| 'version_stacks.show'
	| 'version_stacks.index'
	| 'version_stacks.list'
	| 'webhooks.create'
	| 'webhooks.index'
	| 'webhooks.show'
	| 'webhooks.delete'
	| 'other';

export type PublishedLimit = {limit: number; windowMs: number};

const MINUTE = 60_000;
const SECOND = 1000;

/** The published limits (2026-07 spec). `other` is a guess for operations we do not call routinely. */
export const PUBLISHED_LIMITS: Record<EndpointClass, PublishedLimit> = {
	me: {limit: 100, windowMs: MINUTE},
	'accounts.index': {limit: 100, windowMs: MINUTE},
	'workspaces.index': {limit: 100, windowMs: MINUTE},
	'projects.index': {limit: 100, windowMs: MINUTE},
	'account_projects.index': {limit: 100, windowMs: MINUTE},
	'projects.show': {limit: 100, windowMs: MINUTE},
	'folders.show': {limit: 100, windowMs: MINUTE},
	'folders.children': {limit: 100, windowMs: MINUTE},
	'folders.list': {limit: 5, windowMs: SECOND},
	'files.list': {limit: 5, windowMs: SECOND},
	'folders.create': {limit: 3, windowMs: SECOND},
	'files.local_upload': {limit: 5, windowMs: SECOND},
	'files.remote_upload': {limit: 5, windowMs: SECOND},
	'files.show': {limit: 10, windowMs: SECOND},
	'files.status': {limit: 5, windowMs: SECOND},
	'files.delete': {limit: 100, windowMs: MINUTE},
	'folders.delete': {limit: 60, windowMs: MINUTE},
	'files.move': {limit: 100, windowMs: MINUTE},
	// Stacking a shot's versions: at most 10 new stacks a minute, so a night's first v002s queue up behind it.
	'version_stacks.create': {limit: 10, windowMs: MINUTE},
	'version_stacks.show': {limit: 100, windowMs: MINUTE},
	// A stack's files (the spec's operationId for GET version_stacks/{id}/children).
	'version_stacks.index': {limit: 100, windowMs: MINUTE},
	// The stacks of a folder (operationId version_stacks.list).
	'version_stacks.list': {limit: 5, windowMs: SECOND},
	'webhooks.create': {limit: 10, windowMs: MINUTE},
	'webhooks.index': {limit: 100, windowMs: MINUTE},
	'webhooks.show': {limit: 100, windowMs: MINUTE},
	'webhooks.delete': {limit: 60, windowMs: MINUTE},
	other: {limit: 60, windowMs: MINUTE},
};

export const ENDPOINT_CLASSES = Object.keys(PUBLISHED_LIMITS) as EndpointClass[];

const seg = '[^/]+';
const routes: Array<[string, RegExp, EndpointClass]> = [
	['GET', /^\/v4\/me$/, 'me'],
	['GET', /^\/v4\/accounts$/, 'accounts.index'],
	['GET', new RegExp(`^/v4/accounts/${seg}/workspaces$`), 'workspaces.index'],
	['GET', new RegExp(`^/v4/accounts/${seg}/workspaces/${seg}/projects$`), 'projects.index'],
	['GET', new RegExp(`^/v4/accounts/${seg}/projects$`), 'account_projects.index'],
	['GET', new RegExp(`^/v4/accounts/${seg}/projects/${seg}$`), 'projects.show'],
	['GET', new RegExp(`^/v4/accounts/${seg}/folders/${seg}$`), 'folders.show'],
	['GET', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/children$`), 'folders.children'],
	['GET', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/folders$`), 'folders.list'],
	['GET', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/files$`), 'files.list'],
	['POST', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/folders$`), 'folders.create'],
	['POST', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/files/local_upload$`), 'files.local_upload'],
	['POST', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/files/remote_upload$`), 'files.remote_upload'],
	['GET', new RegExp(`^/v4/accounts/${seg}/files/${seg}$`), 'files.show'],
	['GET', new RegExp(`^/v4/accounts/${seg}/files/${seg}/status$`), 'files.status'],
	['DELETE', new RegExp(`^/v4/accounts/${seg}/files/${seg}$`), 'files.delete'],
	['DELETE', new RegExp(`^/v4/accounts/${seg}/folders/${seg}$`), 'folders.delete'],
	['PATCH', new RegExp(`^/v4/accounts/${seg}/files/${seg}/move$`), 'files.move'],
	['POST', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/version_stacks$`), 'version_stacks.create'],
	['GET', new RegExp(`^/v4/accounts/${seg}/folders/${seg}/version_stacks$`), 'version_stacks.list'],
	['GET', new RegExp(`^/v4/accounts/${seg}/version_stacks/${seg}$`), 'version_stacks.show'],
	['GET', new RegExp(`^/v4/accounts/${seg}/version_stacks/${seg}/children$`), 'version_stacks.index'],
	['POST', new RegExp(`^/v4/accounts/${seg}/workspaces/${seg}/webhooks$`), 'webhooks.create'],
	['GET', new RegExp(`^/v4/accounts/${seg}/workspaces/${seg}/webhooks$`), 'webhooks.index'],
	['GET', new RegExp(`^/v4/accounts/${seg}/webhooks/${seg}$`), 'webhooks.show'],
	['DELETE', new RegExp(`^/v4/accounts/${seg}/webhooks/${seg}$`), 'webhooks.delete'],
];

/** The class of a request, from its method and URL path (with or without a query; any /v4 path). */
export function classifyRequest(method: string, pathname: string): EndpointClass {
	let path = pathname.split('?')[0].replace(/\/+$/, '');
	// An API host behind a path prefix (a proxy) still has /v4 somewhere: classify from there.
	const v4 = path.indexOf('/v4/');
	if (v4 > 0) path = path.slice(v4);
	const upper = method.toUpperCase();
	for (const [routeMethod, pattern, endpointClass] of routes) {
		if (routeMethod === upper && pattern.test(path)) return endpointClass;
	}
	return 'other';
}
