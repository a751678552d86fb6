// The two ways to obtain credentials, without any terminal I/O (commands/login.ts does that):
// user login (authorization code + PKCE) in two halves around the browser, and server-to-server (client credentials).
import got from 'got';
import type {StoredCredentials} from '../../config/credentials.js';
import {ImsClient, S2S_SCOPES, USER_SCOPES} from './ims-client.js';
import {codeFromRedirect, createPkce, RedirectError} from './pkce.js';
import type {PendingLogin} from './pending-login.js';

export const DEFAULT_REDIRECT_URI = 'https://localhost/callback';

export function parseScopes(value: string | undefined, fallback: string[]): string[] {
	if (!value) return fallback;
	const scopes = value
		.split(/[\s,]+/)
		.map(scope => scope.trim())
		.filter(Boolean);
	return scopes.length > 0 ? scopes : fallback;
}

export function startUserLogin(params: {ims: ImsClient; clientId: string; redirectUri?: string; scopes?: string[]; now?: number}): {
	pending: PendingLogin;
	authorizeUrl: string;
} {
	const redirectUri = params.redirectUri ?? DEFAULT_REDIRECT_URI;
	try {
		new URL(redirectUri);
	} catch {
		throw new RedirectError(`--redirect-uri "${redirectUri}" is not a URL (it must match the credential's registered redirect URI pattern)`);
	}
	const pkce = createPkce();
	const scopes = params.scopes ?? USER_SCOPES;
	const pending: PendingLogin = {
		clientId: params.clientId,
		redirectUri,
		imsUrl: params.ims.imsUrl,
		scopes,
		verifier: pkce.verifier,
		state: pkce.state,
		createdAt: params.now ?? Date.now(),
	};
	const authorizeUrl = params.ims.authorizeUrl({clientId: params.clientId, redirectUri, scopes, codeChallenge: pkce.challenge, state: pkce.state});
	return {pending, authorizeUrl};
}

/** Exchanges what the user pasted (the redirect URL, or the bare code) for tokens. */
export async function finishUserLogin(params: {
	ims: ImsClient;
	pending: PendingLogin;
	input: string;
	clientSecret?: string;
	now?: () => number;
}): Promise<StoredCredentials> {
	const code = codeFromRedirect(params.input, params.pending.state);
	const now = params.now ?? Date.now;
	const obtainedAt = now();
	const answer = await params.ims.exchangeCode({clientId: params.pending.clientId, clientSecret: params.clientSecret, code, codeVerifier: params.pending.verifier});
	return {
		kind: 'user',
		clientId: params.pending.clientId,
		...(params.clientSecret ? {clientSecret: params.clientSecret} : {}),
		accessToken: answer.access_token,
		...(answer.refresh_token ? {refreshToken: answer.refresh_token} : {}),
		expiresAt: obtainedAt + answer.expires_in * 1000,
		obtainedAt,
		imsUrl: params.ims.imsUrl,
		scopes: params.pending.scopes,
	};
}

export async function loginServerToServer(params: {ims: ImsClient; clientId: string; clientSecret: string; scopes?: string[]; now?: () => number}): Promise<StoredCredentials> {
	const scopes = params.scopes ?? S2S_SCOPES;
	const obtainedAt = (params.now ?? Date.now)();
	const answer = await params.ims.clientCredentials({clientId: params.clientId, clientSecret: params.clientSecret, scopes});
	return {
		kind: 's2s',
		clientId: params.clientId,
		clientSecret: params.clientSecret,
		accessToken: answer.access_token,
		expiresAt: obtainedAt + answer.expires_in * 1000,
		obtainedAt,
		imsUrl: params.ims.imsUrl,
		scopes,
	};
}

/**
 * The sandbox's IMS has no login page: its authorize endpoint redirects straight back with a code. Following that
 * redirect ourselves plays the browser's part, so `login --sandbox` runs the whole flow unattended.
 */
export async function followSandboxAuthorize(authorizeUrl: string): Promise<string> {
	const response = await got(authorizeUrl, {followRedirect: false, throwHttpErrors: false, retry: {limit: 0}, timeout: {request: 10_000}});
	const location = response.headers.location;
	if (response.statusCode < 300 || response.statusCode >= 400 || !location) {
		throw new RedirectError(`the sandbox IMS did not redirect (${response.statusCode}): ${String(response.body).slice(0, 200)}`);
	}
	return location;
}
