// The signing secrets of the webhooks `frameio-admin webhook create` made: Frame.io shows a secret once, in the create
// answer, so it is kept here like a credential: one JSON file in the state dir, written atomically, mode 0600, each
// secret registered for redaction the moment it is read or written. The webhook receiver checks deliveries against
// every secret of this file (plus FRAMEIO_WEBHOOK_SECRET, for a webhook created on another machine).
import {chmodSync, existsSync, mkdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod';
import {registerSecret} from '../log/redact.js';
import {CREDENTIALS_MODE} from './credentials.js';

export const WEBHOOK_SECRETS_FILE = 'webhook-secrets.json';
export const WEBHOOK_SECRET_ENV = 'FRAMEIO_WEBHOOK_SECRET';

const entrySchema = z.object({
	secret: z.string().min(1),
	workspace_id: z.string(),
	name: z.string(),
	url: z.string(),
	created_at: z.string(),
});
const fileSchema = z.object({version: z.literal(1), webhooks: z.record(z.string(), entrySchema)});

export type StoredWebhookSecret = z.infer<typeof entrySchema>;
type SecretsFile = z.infer<typeof fileSchema>;

export class WebhookSecretsError extends Error {
	override readonly name = 'WebhookSecretsError';
}

export class WebhookSecretStore {
	readonly path: string;
	private cached: {mtimeMs: number; size: number; file: SecretsFile} | undefined;

	constructor(readonly stateDir: string) {
		this.path = path.join(stateDir, WEBHOOK_SECRETS_FILE);
	}

	/** Every stored webhook by id. A damaged file is an error the user must fix (it is never overwritten blindly). */
	read(): Record<string, StoredWebhookSecret> {
		return this.load().webhooks;
	}

	has(webhookId: string): boolean {
		return Object.hasOwn(this.read(), webhookId);
	}

	/** The secrets deliveries may be signed with: this file's, then the environment's. Cheap to call per delivery. */
	secrets(env: NodeJS.ProcessEnv = process.env): string[] {
		const fromEnv = env[WEBHOOK_SECRET_ENV]?.trim();
		registerSecret(fromEnv);
		let stored: string[] = [];
		try {
			stored = Object.values(this.read()).map(entry => entry.secret);
		} catch {
			// A damaged file: the environment's secret still works; `webhook list` says what is wrong with the file.
		}
		return fromEnv ? [...stored, fromEnv] : stored;
	}

	save(webhookId: string, entry: StoredWebhookSecret): void {
		registerSecret(entry.secret);
		const file = this.load();
		file.webhooks[webhookId] = entry;
		this.write(file);
	}

	/** Forgets a webhook's secret; true when there was one. */
	remove(webhookId: string): boolean {
		const file = this.load();
		if (!Object.hasOwn(file.webhooks, webhookId)) return false;
		delete file.webhooks[webhookId];
		this.write(file);
		return true;
	}

	private load(): SecretsFile {
		if (!existsSync(this.path)) return {version: 1, webhooks: {}};
		const info = statSync(this.path);
		if (this.cached && this.cached.mtimeMs === info.mtimeMs && this.cached.size === info.size) return structuredClone(this.cached.file);
		let raw: unknown;
		try {
			raw = JSON.parse(readFileSync(this.path, 'utf8'));
		} catch {
			throw new WebhookSecretsError(`${this.path} is not valid JSON: fix it or delete it (the webhooks whose secrets it held must then be created again)`);
		}
		// Secrets are registered before validation, so that even a rejected file never leaks one.
		const hooks = (raw as {webhooks?: Record<string, {secret?: unknown}>} | null)?.webhooks;
		if (hooks && typeof hooks === 'object') for (const hook of Object.values(hooks)) if (typeof hook?.secret === 'string') registerSecret(hook.secret);
		const parsed = fileSchema.safeParse(raw);
		if (!parsed.success) throw new WebhookSecretsError(`${this.path} is damaged (${parsed.error.issues.map(issue => issue.path.join('.') || '(root)').join(', ')})`);
		this.cached = {mtimeMs: info.mtimeMs, size: info.size, file: parsed.data};
		return structuredClone(parsed.data);
	}

	private write(file: SecretsFile): void {
		mkdirSync(this.stateDir, {recursive: true, mode: 0o700});
		writeFileAtomic.sync(this.path, `${JSON.stringify(file, undefined, '\t')}\n`, {mode: CREDENTIALS_MODE});
		// write-file-atomic keeps the mode of a file it replaces: say it again.
		chmodSync(this.path, CREDENTIALS_MODE);
		this.cached = undefined;
	}
}
