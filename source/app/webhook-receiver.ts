// The webhook receiver of `watch --webhook-port` and the console's `--webhook-port`, wired to this App: deliveries are
// checked against the secrets `webhook create` stored in this profile's state dir (and FRAMEIO_WEBHOOK_SECRET), and a
// file.* or folder.* event drops the cached listings it touches, so that the next listing (the Structure tab, the
// "already uploaded" check) asks Frame.io again instead of waiting for cache_ttl. Every delivery and refusal is a
// `webhook` event on the bus (the Metrics tab counts them).
import {WebhookSecretStore} from '../config/webhook-secrets.js';
import {startWebhookReceiver, type WebhookReceiver} from '../frameio/webhook-receiver.js';
import {ListingInvalidator} from '../structure/webhook-invalidation.js';
import type {App} from './open-app.js';

export type WebhookReceiverChoice = {
	/** --webhook-port: 0 picks a free port (tests). */
	port: number;
	/** --webhook-host: the bind address, default 127.0.0.1. */
	host?: string;
	env?: NodeJS.ProcessEnv;
};

export const DEFAULT_WEBHOOK_HOST = '127.0.0.1';

export function openWebhookReceiver(app: App, choice: WebhookReceiverChoice): Promise<WebhookReceiver> {
	const secrets = new WebhookSecretStore(app.profileStateDir);
	const logger = app.logging.get('frameio.app');
	const invalidator = new ListingInvalidator(app.cache, app.client, logger);
	return startWebhookReceiver({
		port: choice.port,
		host: choice.host ?? DEFAULT_WEBHOOK_HOST,
		secrets: () => secrets.secrets(choice.env ?? process.env),
		onDelivery: payload => invalidator.handle(payload),
		bus: app.bus,
		logger,
	});
}
