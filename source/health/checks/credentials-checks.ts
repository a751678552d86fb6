// Credentials present, and how long the token has left. The expiry check waits for GET /v4/me, because that call
// refreshes a token that is due and tells us whether the API still accepts it.
import {formatSeconds} from '../../format/duration.js';
import {describeTokenSource} from '../../frameio/auth/describe-token.js';
import {StoredTokenProvider} from '../../frameio/auth/stored-token.js';
import {LOGIN_HINT, MissingTokenProvider, type TokenProvider} from '../../frameio/auth/token-provider.js';
import {fail, pass, warn, type HealthCheck} from './types.js';
import type {SharedProbe} from './deps.js';

/** Below this much life left, a token that cannot be refreshed is a warning. */
export const TOKEN_WARN_MS = 60 * 60_000;


export function credentialsCheck(auth: TokenProvider): HealthCheck {
	return {
		id: 'credentials',
		name: 'Credentials present',
		async run() {
			if (auth instanceof MissingTokenProvider && auth.problem) return fail(auth.problem.message);
			if (auth.source === 'none') return fail(`no Frame.io credentials: ${LOGIN_HINT}`);
			const source = describeTokenSource(auth);
			if (auth instanceof StoredTokenProvider) {
				const saved = auth.saveState();
				// Until the newest refresh token is in the state dir, one more fault (a reboot clearing /tmp, the process
				// ending) loses the login.
				if (saved.where === 'fallback') {
					return fail(`the newest credentials are only in ${saved.file}: ${auth.file} cannot be written (${saved.problem}); free space or fix permissions, and the next use of the token moves them back`);
				}
				if (saved.where === 'memory') {
					return fail(`the newest refresh token is only in this process's memory: it could not be saved (${saved.problem}); free space or fix permissions in the state dir before this process ends`);
				}
				const modeFixedFrom = auth.modeFixedFrom();
				// Made private now, but it was open before: the tokens may have been copied.
				if (modeFixedFrom !== null) {
					return warn(`${source}; the file was readable by others (mode ${modeFixedFrom.toString(8).padStart(4, '0')}) and is now 0600: consider \`frameio-admin logout\` and \`login\` to replace the tokens`);
				}
			}
			return pass(source);
		},
	};
}

export function tokenExpiryCheck(auth: TokenProvider, shared: SharedProbe, now: () => number): HealthCheck {
	return {
		id: 'token.expiry',
		name: 'Token expiry',
		async run(run) {
			if (auth instanceof MissingTokenProvider && auth.problem) return fail('no usable token: the stored credentials are refused (see Credentials present)');
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
