// Credentials present, and how long the token has left. The expiry check waits for GET /v4/me, because that call
// refreshes a token that is due and tells us whether the API still accepts it.
import {formatSeconds} from '../../format/duration.js';
import {describeTokenSource} from '../../frameio/auth/describe-token.js';
import {StoredTokenProvider} from '../../frameio/auth/stored-token.js';
import {LOGIN_HINT, type TokenProvider} from '../../frameio/auth/token-provider.js';
import {fail, pass, warn, type HealthCheck} from './types.js';
import type {SharedProbe} from './deps.js';

/** Below this much life left, a token that cannot be refreshed is a warning. */
export const TOKEN_WARN_MS = 60 * 60_000;


export function credentialsCheck(auth: TokenProvider): HealthCheck {
	return {
		id: 'credentials',
		name: 'Credentials present',
		async run() {
			if (auth.source === 'none') return fail(`no Frame.io credentials: ${LOGIN_HINT}`);
			return pass(describeTokenSource(auth));
		},
	};
}

export function tokenExpiryCheck(auth: TokenProvider, shared: SharedProbe, now: () => number): HealthCheck {
	return {
		id: 'token.expiry',
		name: 'Token expiry',
		async run(run) {
			if (auth.source === 'none') return fail('no token: no credentials');
			await run.outcomeOf('api.me');
			if (shared.meStatus === 401) return fail('the API refused the token (401): it expired or was revoked, and could not be refreshed');
			const canRefresh = auth instanceof StoredTokenProvider && auth.canRefresh();
			const expiresAt = auth.expiresAt();
			if (expiresAt === null) {
				if (auth.source === 'sandbox') return pass("the sandbox's token does not expire");
				const accepted = shared.meStatus !== undefined && shared.meStatus >= 200 && shared.meStatus < 300;
				return accepted ? pass('the token does not say when it expires; the API accepted it just now') : warn('the token does not say when it expires, and the API did not confirm it');
			}
			const left = expiresAt - now();
			const at = new Date(expiresAt).toISOString();
			if (left <= 0) return fail(`the token expired at ${at}${canRefresh ? ' and could not be refreshed' : ''}: ${LOGIN_HINT}`);
			if (left < TOKEN_WARN_MS && !canRefresh) return warn(`expires in ${formatSeconds(left / 1000)} (${at}) and cannot be refreshed: ${LOGIN_HINT}`);
			return pass(`expires in ${formatSeconds(left / 1000)} (${at})${canRefresh ? '; refreshed automatically before then' : ''}`);
		},
	};
}
