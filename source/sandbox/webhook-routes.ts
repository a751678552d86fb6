// Webhooks (frameio-v4.md §7): create in a workspace (the answer carries the signing secret, the only time it is
// shown), list a workspace's, show, update and delete by id. Deliveries are webhook-delivery.ts's.
import type {WebhookEventType} from '../frameio/types.js';
import {invalid, notFound} from './api-error.js';
import {account, type ApiDeps, type ApiRoute, created, noContent, ok, workspaceIn} from './api-context.js';
import {nameField, readData} from './body-validation.js';
import {readJson} from './http-io.js';
import {CREATOR_INCLUDE, parseInclude} from './includes.js';
import {MAX_PAGE_SIZE_SMALL, pageOf} from './pagination.js';
import type {Params, Router} from './router.js';
import {isWebhookEventType, WEBHOOK_EVENT_TYPES} from '../frameio/webhook-events.js';
import type {WebhookChanges} from './webhooks.js';

const urlField = (value: unknown, pointer: string) => {
	if (typeof value !== 'string' || value.length < 1 || value.length > 2000) throw invalid('url must be a string of 1 to 2000 characters', pointer);
	let parsed: URL;
	try {
		parsed = new URL(value);
	} catch {
		throw invalid('url must be an absolute http(s) URL', pointer);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('url must be an absolute http(s) URL', pointer);
};

const eventsField = (value: unknown, pointer: string) => {
	if (!Array.isArray(value) || value.length === 0) throw invalid('events must be a non-empty array of event names', pointer);
	value.forEach((event, index) => {
		if (typeof event !== 'string' || !isWebhookEventType(event)) throw invalid(`unknown event ${JSON.stringify(String(event).slice(0, 80))}; valid events: ${WEBHOOK_EVENT_TYPES.join(', ')}`, `${pointer}/${index}`);
		if (value.indexOf(event) !== index) throw invalid('events must be unique', `${pointer}/${index}`);
	});
};

const activeField = (value: unknown, pointer: string) => {
	if (typeof value !== 'boolean') throw invalid('active must be true or false', pointer);
};

function webhookIn(deps: ApiDeps, params: Params) {
	account(deps, params.accountId);
	const hook = deps.webhooks.get(params.webhookId);
	if (!hook || !hook.workspace_id || deps.store.accountIdOfWorkspace(hook.workspace_id) !== params.accountId) throw notFound('Webhook not found');
	return hook;
}

export function addWebhookRoutes(router: Router<ApiRoute>, A: string): void {
	router.add('POST', `${A}/workspaces/:workspaceId/webhooks`, {
		rateClass: 'webhooks.create',
		run: async ({req, params, deps}) => {
			const workspace = workspaceIn(deps, params);
			const data = readData(await readJson(req), {name: nameField, url: urlField, events: eventsField}, ['name', 'url', 'events']);
			const hook = deps.webhooks.create(workspace.id, {name: data.name as string, url: data.url as string, events: data.events as WebhookEventType[]});
			return created({data: hook});
		},
	});

	router.add('GET', `${A}/workspaces/:workspaceId/webhooks`, {
		rateClass: 'webhooks.index',
		run: ({url, params, deps}) => {
			const workspace = workspaceIn(deps, params);
			const include = parseInclude(url.searchParams, CREATOR_INCLUDE);
			return ok(pageOf(deps.webhooks.inWorkspace(workspace.id), url, MAX_PAGE_SIZE_SMALL, hook => deps.sideLoader.webhook(hook, include)));
		},
	});

	router.add('GET', `${A}/webhooks/:webhookId`, {
		rateClass: 'webhooks.show',
		run: ({url, params, deps}) => {
			const include = parseInclude(url.searchParams, CREATOR_INCLUDE);
			return ok({data: deps.sideLoader.webhook(webhookIn(deps, params), include)});
		},
	});

	router.add('PATCH', `${A}/webhooks/:webhookId`, {
		rateClass: 'webhooks.update',
		run: async ({req, params, deps}) => {
			const hook = webhookIn(deps, params);
			const data = readData(await readJson(req), {name: nameField, url: urlField, events: eventsField, active: activeField}, []);
			return ok({data: deps.webhooks.update(hook.id, data as WebhookChanges)});
		},
	});

	router.add('DELETE', `${A}/webhooks/:webhookId`, {
		rateClass: 'webhooks.delete',
		run: ({params, deps}) => {
			deps.webhooks.delete(webhookIn(deps, params).id);
			return noContent;
		},
	});
}
