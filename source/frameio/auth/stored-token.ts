// Credentials stored by `frameio-admin login`, refreshed as they age.
// - Proactively: a token within 5 minutes of expiry (or within a quarter of its life, for short-lived ones) is
//   refreshed before use; if IMS is unreachable then, the old token is used while it is still valid.
// - On a 401: once, through refresh(failedToken).
// - Single-flight: concurrent callers share one IMS call; a caller whose failed token was already replaced gets the
//   new one without another call. Across processes (the console and a cron job share the file), the refresh runs
//   under a file lock and first re-reads the file: another process may have refreshed already, and with rotating
//   refresh tokens a second refresh with the old one would fail.
// - A rotated refresh token is written back; when IMS sends none, the stored one is kept, never dropped.
// - The token in memory is the newest: it is used for later refreshes even when it could not be saved, and the
//   file is taken over only when it holds a newer login (another process refreshed, or logged in again).
//   Saving, and what happens when the disk refuses it, is credentials-saver.ts's.
import type {Logger} from 'pino';
import {CredentialsStore, isNewer, registerCredentialSecrets, type StoredCredentials} from '../../config/credentials.js';
import {lockFile} from '../../config/file-lock.js';
import {CredentialsSaver, type SaveState} from './credentials-saver.js';
import {ImsClient, ImsError} from './ims-client.js';
import {AuthError, NoCredentialsError, type TokenProvider} from './token-provider.js';

export const REFRESH_MARGIN_MS = 5 * 60_000;

export type StoredTokenOptions = {
	store: CredentialsStore;
	/** Defaults to an ImsClient on the stored imsUrl. */
	ims?: ImsClient;
	now?: () => number;
	marginMs?: number;
	logger?: Logger;
	/** How often a failed save is tried again (default 30 s). */
	saveRetryMs?: number;
	/** A save failed or recovered: tell the user too (stderr), besides the log. */
	onWarning?: (message: string) => void;
};

export class StoredTokenProvider implements TokenProvider {
	readonly source = 'stored' as const;
	private credentials: StoredCredentials;
	private inflight: Promise<string | null> | null = null;
	private readonly store: CredentialsStore;
	private readonly now: () => number;
	private readonly marginMs: number;
	private ims: ImsClient | undefined;
	private readonly saver: CredentialsSaver;

	constructor(private readonly options: StoredTokenOptions) {
		this.store = options.store;
		this.now = options.now ?? Date.now;
		this.marginMs = options.marginMs ?? REFRESH_MARGIN_MS;
		this.ims = options.ims;
		const credentials = this.store.read();
		if (!credentials) throw new NoCredentialsError();
		this.credentials = credentials;
		this.saver = new CredentialsSaver(this.store, {
			logger: options.logger,
			now: this.now,
			retryMs: options.saveRetryMs,
			onWarning: options.onWarning,
			onNewerOnDisk: newer => this.adopt(newer),
		});
		// The newest login was only in a fallback (a save that failed in an earlier process): move it home.
		if (this.store.lastReadFile !== this.store.path) this.saver.save(credentials);
	}

	get kind(): 'user' | 's2s' {
		return this.credentials.kind;
	}

	/** Where the credentials live. */
	get file(): string {
		return this.store.path;
	}

	/** Whether the newest credentials are saved in the state dir; health fails while they are not. */
	saveState(): SaveState {
		return this.saver.state;
	}

	/** Tries a failed save again now (every use of the token also does, at most every saveRetryMs). */
	retrySave(): Promise<void> {
		return this.saver.retryNow();
	}

	/** Stops retrying a failed save in the background (the exit hook still makes the last attempt). */
	dispose(): void {
		this.saver.dispose();
	}

	/** The mode the file had before it was made private in this process (health warns), or null. */
	modeFixedFrom(): number | null {
		return this.store.modeFixedFrom;
	}

	/** The credentials as they are now (for whoami, health): callers must not print their secrets. */
	current(): Readonly<StoredCredentials> {
		return this.credentials;
	}

	expiresAt(): number | null {
		return this.credentials.expiresAt;
	}

	canRefresh(credentials = this.credentials): boolean {
		return credentials.kind === 's2s' ? Boolean(credentials.clientSecret) : Boolean(credentials.refreshToken);
	}

	async getToken(): Promise<string> {
		void this.saver.retryIfDue();
		const credentials = this.credentials;
		if (!this.isDue(credentials)) return credentials.accessToken;
		const expired = credentials.expiresAt <= this.now();
		if (!this.canRefresh(credentials)) {
			if (expired) throw new AuthError(`the stored ${describeKind(credentials)} token expired and cannot be refreshed: run \`frameio-admin login\``, 'expired');
			return credentials.accessToken;
		}
		try {
			const token = await this.refresh(credentials.accessToken);
			if (token) return token;
		} catch (error) {
			// A token that still works is better than none: use it and say why it was not renewed.
			if (expired) throw error;
			this.options.logger?.warn({err: error}, 'Token refresh failed; using the current token until it expires');
		}
		return this.credentials.accessToken;
	}

	refresh(failedToken?: string): Promise<string | null> {
		if (this.inflight) return this.inflight;
		void this.saver.retryIfDue();
		// Someone refreshed since this caller's request went out: hand over the new token.
		if (failedToken !== undefined && failedToken !== this.credentials.accessToken && !this.isDue(this.credentials)) {
			return Promise.resolve(this.credentials.accessToken);
		}
		if (!this.canRefresh()) {
			// Another process may have logged in again meanwhile.
			const fresh = this.reload();
			if (fresh && isNewer(fresh, this.credentials) && fresh.accessToken !== failedToken) {
				this.credentials = fresh;
				return Promise.resolve(fresh.accessToken);
			}
			return Promise.resolve(null);
		}
		const run = this.refreshUnderLock(failedToken ?? this.credentials.accessToken).finally(() => {
			this.inflight = null;
		});
		this.inflight = run;
		return run;
	}

	private isDue(credentials: StoredCredentials): boolean {
		const life = credentials.obtainedAt !== undefined ? credentials.expiresAt - credentials.obtainedAt : Number.POSITIVE_INFINITY;
		const margin = Math.min(this.marginMs, Math.max(0, life) / 4);
		return credentials.expiresAt - this.now() <= margin;
	}

	/** A newer login another process saved: use it from now on. */
	private adopt(newer: StoredCredentials): void {
		if (isNewer(newer, this.credentials)) this.credentials = newer;
	}

	private reload(): StoredCredentials | null {
		try {
			return this.store.read();
		} catch {
			return null;
		}
	}

	private async refreshUnderLock(staleToken: string): Promise<string | null> {
		let release: (() => Promise<void>) | undefined;
		try {
			release = await lockFile(this.store.path, {staleMs: 15_000, retry: {retries: 40, factor: 1.3, minTimeoutMs: 25, maxTimeoutMs: 500}});
		} catch {
			// The file vanished (logout) or the lock is unobtainable: refresh without it rather than fail the call.
			release = undefined;
		}
		try {
			const onDisk = this.reload();
			// Take what another process wrote when it is newer (a rotated refresh token above all). An older file is
			// one this process could not save over: its refresh token is dead, the one in memory is live.
			if (onDisk && isNewer(onDisk, this.credentials)) {
				this.credentials = onDisk;
				if (onDisk.accessToken !== staleToken && !this.isDue(onDisk)) return onDisk.accessToken;
			}
			return await this.callIms();
		} finally {
			await release?.().catch(() => undefined);
		}
	}

	private async callIms(): Promise<string | null> {
		const credentials = this.credentials;
		const ims = (this.ims ??= new ImsClient({imsUrl: credentials.imsUrl}));
		const startedAt = this.now();
		let answer;
		try {
			answer =
				credentials.kind === 's2s'
					? await ims.clientCredentials({clientId: credentials.clientId, clientSecret: credentials.clientSecret ?? '', scopes: credentials.scopes})
					: await ims.refresh({clientId: credentials.clientId, clientSecret: credentials.clientSecret, refreshToken: credentials.refreshToken ?? ''});
		} catch (error) {
			if (error instanceof ImsError) {
				this.options.logger?.warn({grant: error.grant, status: error.status, imsCode: error.imsCode}, 'Token refresh refused by Adobe IMS');
				const hint = error.isRejection ? ': run `frameio-admin login` again' : '';
				throw new AuthError(`could not refresh the stored ${describeKind(credentials)} token: ${error.message}${hint}`, error.isRejection ? 'refresh_failed' : 'ims_unreachable');
			}
			throw error;
		}
		const next: StoredCredentials = {
			...credentials,
			accessToken: answer.access_token,
			refreshToken: answer.refresh_token ?? credentials.refreshToken,
			expiresAt: startedAt + answer.expires_in * 1000,
			obtainedAt: startedAt,
		};
		registerCredentialSecrets(next);
		// In memory first: whatever the disk does, this process refreshes with the live refresh token from now on.
		this.credentials = next;
		this.saver.save(next);
		this.options.logger?.info(
			{kind: next.kind, expiresInMinutes: Math.round(answer.expires_in / 60), rotated: Boolean(answer.refresh_token && answer.refresh_token !== credentials.refreshToken)},
			'Access token refreshed',
		);
		return next.accessToken;
	}
}

function describeKind(credentials: StoredCredentials): string {
	return credentials.kind === 's2s' ? 'server-to-server' : 'user';
}
