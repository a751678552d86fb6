// Adobe IMS emulation: /ims/authorize/v2 (no login page: it redirects straight back with a code) and
// /ims/token/v3 for authorization_code (+PKCE S256), refresh_token and client_credentials.
//
// Refresh tokens rotate: each refresh answers a new refresh token and the one used becomes invalid at once
// (no grace use), so a client that keeps using an old refresh token is caught by the tests.
import {createHash} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {registerSecret} from '../log/redact.js';
import {ApiError} from './api-error.js';
import {readBody, sendJson} from './http-io.js';
import {randomToken} from './ids.js';
import type {TokenRegistry} from './tokens.js';
import type {ImsClient} from './types.js';

const CODE_TTL_MS = 10 * 60_000;

type PendingCode = {clientId: string; redirectUri: string; challenge: string | null; scope: string; expiresAt: number};
type RefreshGrant = {clientId: string; scope: string};

export type ImsOptions = {clients: ImsClient[]; tokens: TokenRegistry; accessTokenTtlSeconds: number};

class ImsError extends Error {
	constructor(
		readonly status: number,
		readonly error: string,
		readonly description: string,
	) {
		super(description);
	}
}

export class ImsEmulator {
	private readonly codes = new Map<string, PendingCode>();
	private readonly refreshTokens = new Map<string, RefreshGrant>();

	constructor(private readonly options: ImsOptions) {}

	async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		try {
			if (url.pathname === '/ims/authorize/v2' && req.method === 'GET') return this.authorize(res, url);
			if (url.pathname === '/ims/token/v3' && req.method === 'POST') return await this.token(req, res, url);
			req.resume();
			sendJson(res, 404, {error: 'not_found', error_description: `No IMS endpoint ${req.method} ${url.pathname}`});
		} catch (error) {
			if (error instanceof ImsError) return sendJson(res, error.status, {error: error.error, error_description: error.description});
			if (error instanceof ApiError) return sendJson(res, error.status, {error: 'invalid_request', error_description: error.detail});
			throw error;
		}
	}

	private client(clientId: string | null): ImsClient {
		const client = this.options.clients.find(item => item.clientId === clientId);
		if (!client) throw new ImsError(400, 'invalid_client', 'Unknown client_id');
		return client;
	}

	private authorize(res: ServerResponse, url: URL): void {
		const query = url.searchParams;
		const client = this.client(query.get('client_id'));
		const redirectUri = query.get('redirect_uri');
		if (!redirectUri) throw new ImsError(400, 'invalid_request', 'redirect_uri is required');
		let redirect: URL;
		try {
			redirect = new URL(redirectUri);
		} catch {
			throw new ImsError(400, 'invalid_request', 'redirect_uri is not a URL');
		}
		if (query.get('response_type') !== 'code') throw new ImsError(400, 'unsupported_response_type', 'response_type must be code');
		const challenge = query.get('code_challenge');
		const method = query.get('code_challenge_method');
		if (challenge && method !== 'S256') throw new ImsError(400, 'invalid_request', 'code_challenge_method must be S256');
		if (!challenge && !client.clientSecret) throw new ImsError(400, 'invalid_request', 'code_challenge is required for a public client');
		const code = randomToken('sbx_code_', 18);
		this.codes.set(code, {clientId: client.clientId, redirectUri, challenge, scope: query.get('scope') ?? '', expiresAt: Date.now() + CODE_TTL_MS});
		redirect.searchParams.set('code', code);
		const state = query.get('state');
		if (state !== null) redirect.searchParams.set('state', state);
		res.writeHead(302, {location: redirect.toString(), 'content-length': '0'});
		res.end();
	}

	private async token(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const body = new URLSearchParams((await readBody(req)).toString('utf8'));
		// IMS also accepts client_id in the query string.
		const field = (key: string) => body.get(key) ?? url.searchParams.get(key);
		const grant = field('grant_type');
		const clientId = field('client_id');
		const secret = field('client_secret');
		const client = this.options.clients.find(item => item.clientId === clientId);
		if (!client) throw new ImsError(401, 'invalid_client', 'Unknown client_id');
		if (secret !== null && secret !== client.clientSecret) throw new ImsError(401, 'invalid_client', 'Invalid client_secret');

		if (grant === 'authorization_code') {
			const code = field('code') ?? '';
			const pending = this.codes.get(code);
			this.codes.delete(code); // single use, even when the exchange fails
			if (!pending || pending.expiresAt < Date.now() || pending.clientId !== client.clientId) {
				throw new ImsError(400, 'invalid_grant', 'Invalid, expired or already used authorization code');
			}
			const redirectUri = field('redirect_uri');
			if (redirectUri !== null && redirectUri !== pending.redirectUri) throw new ImsError(400, 'invalid_grant', 'redirect_uri does not match the authorize request');
			if (pending.challenge) {
				const verifier = field('code_verifier');
				if (!verifier) throw new ImsError(400, 'invalid_grant', 'code_verifier is required');
				const computed = createHash('sha256').update(verifier).digest('base64url');
				if (computed !== pending.challenge) throw new ImsError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
			} else if (secret === null) {
				throw new ImsError(401, 'invalid_client', 'client_secret is required without PKCE');
			}
			return sendJson(res, 200, this.issue(client.clientId, pending.scope, true), noStore);
		}
		if (grant === 'refresh_token') {
			const refresh = field('refresh_token') ?? '';
			const known = this.refreshTokens.get(refresh);
			if (!known || known.clientId !== client.clientId) throw new ImsError(400, 'invalid_grant', 'Invalid or already used refresh token');
			this.refreshTokens.delete(refresh);
			return sendJson(res, 200, this.issue(client.clientId, known.scope, true), noStore);
		}
		if (grant === 'client_credentials') {
			if (!client.clientSecret || secret !== client.clientSecret) throw new ImsError(401, 'invalid_client', 'client_credentials needs the client_secret');
			return sendJson(res, 200, this.issue(client.clientId, field('scope') ?? '', false), noStore);
		}
		throw new ImsError(400, 'unsupported_grant_type', `Unsupported grant_type ${grant ?? '(none)'}`);
	}

	private issue(clientId: string, scope: string, withRefresh: boolean): Record<string, unknown> {
		const ttl = this.options.accessTokenTtlSeconds;
		const accessToken = this.options.tokens.add(randomToken('sbx_ims_at_', 32), ttl);
		registerSecret(accessToken);
		const out: Record<string, unknown> = {access_token: accessToken, token_type: 'bearer', expires_in: ttl};
		if (withRefresh) {
			const refreshToken = randomToken('sbx_ims_rt_', 32);
			registerSecret(refreshToken);
			this.refreshTokens.set(refreshToken, {clientId, scope});
			out.refresh_token = refreshToken;
		}
		return out;
	}
}

const noStore = {'cache-control': 'no-store'};
