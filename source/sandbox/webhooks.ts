// Webhooks as Frame.io v4 keeps them: per workspace, with a signing secret shown only in the create answer.
import type {Webhook, WebhookEventType, WebhookWithSecret} from '../frameio/types.js';
import {newId, randomHex} from './ids.js';
import {now} from './store.js';

type StoredWebhook = Webhook & {secret: string};

export type WebhookChanges = Partial<Pick<Webhook, 'name' | 'url' | 'events' | 'active'>>;

export class WebhookRegistry {
	private readonly hooks: StoredWebhook[] = [];

	/** Called with each new secret, so that logs redact it. */
	constructor(private readonly onSecret: (secret: string) => void = () => {}) {}

	create(workspaceId: string, fields: {name: string; url: string; events: WebhookEventType[]}): WebhookWithSecret {
		const at = now();
		const hook: StoredWebhook = {id: newId(), ...fields, active: true, workspace_id: workspaceId, created_at: at, updated_at: at, secret: randomHex(32)};
		this.onSecret(hook.secret);
		this.hooks.push(hook);
		return {...hook, events: [...hook.events]};
	}

	/** Without the secret, as every answer but the create one. */
	get(id: string): Webhook | undefined {
		const hook = this.hooks.find(item => item.id === id);
		return hook && strip(hook);
	}

	inWorkspace(workspaceId: string): Webhook[] {
		return this.hooks.filter(hook => hook.workspace_id === workspaceId).map(strip);
	}

	/** Active webhooks of a workspace that subscribe to `event`, with their secrets (for signing only). */
	subscribers(workspaceId: string, event: WebhookEventType): StoredWebhook[] {
		return this.hooks.filter(hook => hook.workspace_id === workspaceId && hook.active && hook.events.includes(event));
	}

	/** The secret of a webhook still registered and active, for the next delivery attempt. */
	activeSecret(id: string): string | undefined {
		const hook = this.hooks.find(item => item.id === id);
		return hook?.active ? hook.secret : undefined;
	}

	update(id: string, changes: WebhookChanges): Webhook | undefined {
		const hook = this.hooks.find(item => item.id === id);
		if (!hook) return undefined;
		Object.assign(hook, changes, {updated_at: now()});
		return strip(hook);
	}

	delete(id: string): boolean {
		const index = this.hooks.findIndex(item => item.id === id);
		if (index < 0) return false;
		this.hooks.splice(index, 1);
		return true;
	}
}

function strip({secret: _secret, ...hook}: StoredWebhook): Webhook {
	return {...hook, events: [...hook.events]};
}
