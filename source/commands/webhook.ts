// `frameio-admin webhook list|create|delete`: the workspace's Frame.io webhooks. Frame.io shows a webhook's signing
// secret once, in the create answer: `create` shows it once too and stores it like a credential (mode 0600 in the
// state dir, registered for redaction, never logged), where the receiver of `watch --webhook-port` and of the
// console's --webhook-port reads it.
import {printable} from '../format/printable.js';
import os from 'node:os';
import {openApp, type App} from '../app/open-app.js';
import {resolvePaths} from '../config/paths.js';
import {WEBHOOK_SECRET_ENV, WebhookSecretsError, WebhookSecretStore} from '../config/webhook-secrets.js';
import type {Webhook, WebhookEventType} from '../frameio/types.js';
import {isWebhookEventType, LISTING_EVENTS, WEBHOOK_EVENT_TYPES} from '../frameio/webhook-events.js';

import {TargetError, missingIdMessage} from '../structure/target.js';
import {targetFlags, targetHelp} from './kit/target-flags.js';
import {printFailure} from './kit/failure.js';
import {unknownWord} from '../format/suggest.js';
import {defineCommand, EXIT, UsageError, type Io} from './kit/command.js';

const ACTIONS = ['list', 'create', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

export default defineCommand({
	help: `frameio-admin webhook: the workspace's Frame.io webhooks

  Usage
    $ frameio-admin webhook list [--json]
    $ frameio-admin webhook create --url URL [--name NAME] [--events EVENTS] [--json]
    $ frameio-admin webhook delete ID [--json]

  A webhook makes Frame.io POST each change in the workspace (ids only) to URL. The receiver of
  \`watch --webhook-port N\` and of the console's --webhook-port N checks each delivery's signature and drops the
  cached listings it touches, so a file uploaded by anyone shows within a second instead of after cache_ttl.
  URL is where Frame.io reaches that receiver: a tunnel (ngrok http N) or a reverse proxy in front of
  127.0.0.1:N (see the README, "Webhooks").

  create   Makes the webhook. Its signing secret is shown once (Frame.io never shows it again) and stored in
           <state-dir>/api/<host>/<user>/webhook-secrets.json, mode 0600, where the receiver finds it. A receiver on another
           machine takes it from ${WEBHOOK_SECRET_ENV}.
  list     Every webhook of the workspace, and whether this machine holds its secret.
  delete   Deletes the webhook on Frame.io and its stored secret.

  Options
    --url URL         Where Frame.io delivers (http or https, absolute)
    --name NAME       Its name (default "frameio-admin on <hostname>")
    --events EVENTS   Comma-separated events; "file.*" and "folder.*" stand for all of theirs (default: every
                      file.* and folder.* event, file.versioned included: what the receiver acts on)
    --json            Machine-readable output (create's includes the secret, once)

  ${targetHelp.split('\n').join('\n  ')}
  The workspace is --workspace-id (or FRAMEIO_WORKSPACE_ID), else the project's.

  Exit codes: 0 done, 1 Frame.io refused (e.g. no such webhook), 2 usage or setup error`,
	flags: {
		...targetFlags,
		url: {type: 'string'},
		name: {type: 'string'},
		events: {type: 'string'},
	},
	async run(cli, io) {
		const [action, ...rest] = cli.input;
		if (!action) throw new UsageError(`give an action: ${ACTIONS.join(', ')}`);
		if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`${unknownWord('action', printable(action), ACTIONS)} (use ${ACTIONS.join(', ')})`);
		const {flags} = cli;
		const request = checkArguments(action as Action, rest, flags);
		const paths = resolvePaths(flags);
		let app: App | undefined;
		try {
			app = await openApp({paths, sandbox: flags.sandbox, allowInsecureHttp: flags.allowInsecureHttp, targetFlags: flags, cache: 'private'});
			const store = new WebhookSecretStore(app.profileStateDir);
			const accountId = await app.target.accountId();
			switch (request.action) {
				case 'delete':
					return await remove(app, store, accountId, request.id, flags.json, io);
				case 'list':
					return await list(app, store, accountId, await workspaceOf(app), flags.json, io);
				case 'create':
					return await create(app, store, accountId, await workspaceOf(app), request, flags.json, io);
			}
		} catch (error) {
			if (error instanceof WebhookSecretsError) {
				io.stderr.write(`frameio-admin: ${error.message}\n`);
				return EXIT.failed;
			}
			return printFailure(io, error, app?.api.auth.source);
		} finally {
			await app?.close();
		}
	},
});

type Request = {action: 'list'} | {action: 'delete'; id: string} | {action: 'create'; url: string; name: string; events: WebhookEventType[]};

function checkArguments(action: Action, rest: string[], flags: {url?: string; name?: string; events?: string}): Request {
	const extra = (allowed: number) => {
		if (rest.length > allowed) throw new UsageError(`unexpected argument "${printable(rest[allowed])}"`);
	};
	const onlyFor = (flag: string, value: unknown) => {
		if (value !== undefined) throw new UsageError(`--${flag} goes with \`webhook create\``);
	};
	if (action !== 'create') {
		onlyFor('url', flags.url);
		onlyFor('name', flags.name);
		onlyFor('events', flags.events);
	}
	if (action === 'list') {
		extra(0);
		return {action};
	}
	if (action === 'delete') {
		extra(1);
		const id = rest[0]?.trim();
		if (!id) throw new UsageError('give the ID of the webhook to delete (see `webhook list`)');
		return {action, id};
	}
	extra(0);
	if (!flags.url) throw new UsageError('give --url URL: where Frame.io delivers (your tunnel or reverse proxy in front of the receiver)');
	let url: URL;
	try {
		url = new URL(flags.url);
	} catch {
		throw new UsageError(`--url must be an absolute http(s) URL, got "${printable(flags.url).slice(0, 80)}"`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be http or https, got ${printable(url.protocol)}`);
	const name = flags.name?.trim() ?? `frameio-admin on ${os.hostname()}`.slice(0, 255);
	if (name.length < 1 || name.length > 255) throw new UsageError('--name must have 1 to 255 characters');
	return {action, url: flags.url, name, events: parseEvents(flags.events)};
}

/** "file.*,folder.created" → the events; an unknown one is a usage error listing the valid ones. */
export function parseEvents(value: string | undefined): WebhookEventType[] {
	if (value === undefined) return [...LISTING_EVENTS];
	const events: WebhookEventType[] = [];
	for (const item of value.split(',').map(part => part.trim()).filter(Boolean)) {
		const matched = item.endsWith('.*') ? WEBHOOK_EVENT_TYPES.filter(event => event.startsWith(item.slice(0, -1))) : isWebhookEventType(item) ? [item] : [];
		if (matched.length === 0) throw new UsageError(`unknown event "${printable(item).slice(0, 60)}"; events: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
		for (const event of matched) if (!events.includes(event)) events.push(event);
	}
	if (events.length === 0) throw new UsageError('--events is empty: give at least one event');
	return events;
}

async function workspaceOf(app: App): Promise<string> {
	const workspaceId = await app.target.workspaceId();
	if (!workspaceId) throw new TargetError(missingIdMessage('workspaceId', ' (nor a project to take it from)'), 'workspaceId');
	return workspaceId;
}

/** A URL without its query (it may carry a token of the receiver's). */
function shownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return printable(`${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`);
	} catch {
		return printable(url);
	}
}

async function list(app: App, store: WebhookSecretStore, accountId: string, workspaceId: string, json: boolean, io: Io): Promise<number> {
	const hooks = await app.client.webhooks(accountId, workspaceId);
	const stored = store.read();
	if (json) {
		const rows = hooks.map(hook => ({...view(hook), secret_stored: Object.hasOwn(stored, hook.id)}));
		io.stdout.write(`${JSON.stringify({workspace_id: workspaceId, webhooks: rows, secrets_file: store.path})}\n`);
		return EXIT.ok;
	}
	if (hooks.length === 0) {
		io.stdout.write(`No webhook in workspace ${workspaceId}. Create one with \`frameio-admin webhook create --url URL\`.\n`);
		return EXIT.ok;
	}
	const lines = [`${hooks.length} webhook${hooks.length === 1 ? '' : 's'} in workspace ${workspaceId}:`];
	for (const hook of hooks) {
		lines.push(`  ${printable(hook.id)}  ${printable(hook.name)}${hook.active ? '' : '  (inactive)'}`);
		lines.push(`    url     ${shownUrl(hook.url)}`);
		lines.push(`    events  ${printable(hook.events.join(', '))}`);
		lines.push(`    secret  ${Object.hasOwn(stored, hook.id) ? `stored here (${store.path})` : 'not on this machine'}`);
	}
	io.stdout.write(`${lines.join('\n')}\n`);
	return EXIT.ok;
}

function view(hook: Webhook) {
	return {id: hook.id, name: hook.name, url: hook.url, events: hook.events, active: hook.active, workspace_id: hook.workspace_id};
}

async function create(
	app: App,
	store: WebhookSecretStore,
	accountId: string,
	workspaceId: string,
	request: Extract<Request, {action: 'create'}>,
	json: boolean,
	io: Io,
): Promise<number> {
	const hook = await app.client.createWebhook(accountId, workspaceId, {name: request.name, url: request.url, events: request.events});
	// Stored before anything is printed: a crash after the create must not lose the only copy.
	store.save(hook.id, {secret: hook.secret, workspace_id: workspaceId, name: hook.name, url: hook.url, created_at: hook.created_at});
	app.logging.get('frameio.app').info({event: 'webhook_created', id: hook.id, workspaceId, events: hook.events.length}, `webhook ${hook.id} created; its secret is stored in ${store.path}`);
	if (json) {
		io.stdout.write(`${JSON.stringify({...view(hook), secret: hook.secret, secrets_file: store.path})}\n`);
		return EXIT.ok;
	}
	io.stdout.write(
		[
			`Created webhook ${hook.id} (${printable(hook.name)}) in workspace ${workspaceId}`,
			`  url      ${shownUrl(hook.url)}`,
			`  events   ${printable(hook.events.join(', '))}`,
			`  secret   ${hook.secret}`,
			`           shown once: Frame.io never shows it again. Stored in ${store.path} (mode 0600), where`,
			`           \`watch --webhook-port N\` and the console's --webhook-port N read it; a receiver on another`,
			`           machine takes it from ${WEBHOOK_SECRET_ENV}.`,
		].join('\n') + '\n',
	);
	return EXIT.ok;
}

async function remove(app: App, store: WebhookSecretStore, accountId: string, id: string, json: boolean, io: Io): Promise<number> {
	await app.client.deleteWebhook(accountId, id);
	const hadSecret = store.remove(id);
	if (json) io.stdout.write(`${JSON.stringify({deleted: id, secret_removed: hadSecret})}\n`);
	else io.stdout.write(`Deleted webhook ${id}${hadSecret ? ' and its stored secret' : ''}\n`);
	return EXIT.ok;
}
