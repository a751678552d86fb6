// Where the bearer token comes from. The client asks for a token before each request and for a refresh after a
// 401; it never knows whether the token came from the environment, from `login`, or from the sandbox.

export type TokenSource = 'env' | 'stored' | 'sandbox' | 'none';

export interface TokenProvider {
	readonly source: TokenSource;
	/** 'user' (authorization code) or 's2s' (client credentials) for stored credentials. */
	readonly kind?: 'user' | 's2s';
	/** A token to send now; refreshes first when the current one is close to expiry and a refresh is possible. */
	getToken(): Promise<string>;
	/**
	 * A new token after the API refused `failedToken` (401), or null when this source cannot refresh.
	 * Single-flight: concurrent callers share one IMS call; a caller whose failed token was already replaced
	 * gets the replacement without another IMS call.
	 */
	refresh(failedToken?: string): Promise<string | null>;
	/** Epoch ms, or null when unknown. */
	expiresAt(): number | null;
}

export const LOGIN_HINT = 'run `frameio-admin login`, or set FRAMEIO_TOKEN to an access token (or use --sandbox)';

/** No token anywhere: the user has to log in. Commands exit 2 on it. */
export class NoCredentialsError extends Error {
	constructor(message = `no Frame.io credentials: ${LOGIN_HINT}`) {
		super(message);
		this.name = 'NoCredentialsError';
	}
}

/** A token exists but cannot be used or renewed (expired without a refresh token, IMS refused the refresh). */
export class AuthError extends Error {
	constructor(
		message: string,
		readonly reason: 'expired' | 'refresh_failed' | 'ims_unreachable',
	) {
		super(message);
		this.name = 'AuthError';
	}
}

/**
 * The provider used when no credentials can be used and the caller asked not to fail early (health checks):
 * none at all, or a stored file that is refused (`problem`: damaged, open to others, not a regular file).
 */
export class MissingTokenProvider implements TokenProvider {
	readonly source = 'none' as const;

	constructor(readonly problem?: Error) {}

	async getToken(): Promise<string> {
		throw this.problem ?? new NoCredentialsError();
	}

	async refresh(): Promise<string | null> {
		return null;
	}

	expiresAt(): number | null {
		return null;
	}
}
