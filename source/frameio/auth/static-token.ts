import {registerSecret} from '../../log/redact.js';
import {jwtExpiresAt} from './jwt-expiry.js';
import type {TokenProvider} from './token-provider.js';

/** FRAMEIO_TOKEN: used as given; nothing to refresh it with. */
export class EnvTokenProvider implements TokenProvider {
	readonly source = 'env' as const;
	private readonly expiry: number | null;

	constructor(private readonly token: string) {
		registerSecret(token);
		this.expiry = jwtExpiresAt(token);
	}

	async getToken(): Promise<string> {
		return this.token;
	}

	async refresh(): Promise<string | null> {
		return null;
	}

	expiresAt(): number | null {
		return this.expiry;
	}
}

/** What the in-process sandbox offers: its static token, and more on demand. */
export type SandboxTokenSource = {token: string; issueAccessToken(ttlSeconds?: number): string};

/** The in-process sandbox's token; a 401 (a test expired every token) is answered with a freshly minted one. */
export class SandboxTokenProvider implements TokenProvider {
	readonly source = 'sandbox' as const;
	private token: string;
	private pending: Promise<string> | null = null;

	constructor(private readonly sandbox: SandboxTokenSource) {
		this.token = sandbox.token;
		registerSecret(this.token);
	}

	async getToken(): Promise<string> {
		return this.token;
	}

	refresh(failedToken?: string): Promise<string | null> {
		if (failedToken !== undefined && failedToken !== this.token) return Promise.resolve(this.token);
		this.pending ??= Promise.resolve().then(() => {
			this.token = this.sandbox.issueAccessToken();
			registerSecret(this.token);
			this.pending = null;
			return this.token;
		});
		return this.pending;
	}

	expiresAt(): number | null {
		return null;
	}
}
