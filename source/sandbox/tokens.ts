// Access tokens the API accepts: the static one, those minted by tests, and those IMS issued.
import {randomToken} from './ids.js';

type TokenState = {expiresAt: number | null; revoked: boolean};

export class TokenRegistry {
	private readonly tokens = new Map<string, TokenState>();

	constructor(private readonly now: () => number = Date.now) {}

	add(token: string, ttlSeconds?: number): string {
		this.tokens.set(token, {expiresAt: ttlSeconds === undefined ? null : this.now() + ttlSeconds * 1000, revoked: false});
		return token;
	}

	issue(ttlSeconds?: number): string {
		return this.add(randomToken('sbx_at_'), ttlSeconds);
	}

	/** 'ok', or why the token is refused. */
	check(token: string | undefined): 'ok' | 'missing' | 'unknown' | 'expired' {
		if (!token) return 'missing';
		const state = this.tokens.get(token);
		if (!state) return 'unknown';
		if (state.revoked || (state.expiresAt !== null && state.expiresAt <= this.now())) return 'expired';
		return 'ok';
	}

	expireAll(): void {
		for (const state of this.tokens.values()) state.revoked = true;
	}
}

/** The bearer token of an Authorization header, if well formed. */
export function bearerToken(header: string | undefined): string | undefined {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
	return match?.[1];
}
