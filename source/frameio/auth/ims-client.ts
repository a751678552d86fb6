// Adobe IMS, the OAuth server of Frame.io v4: /ims/token/v3 for the code exchange, refresh and client credentials.
// The base URL is configurable (FRAMEIO_IMS_URL) so that the sandbox can stand in for it.
import got, {type Got} from 'got';
import {redactText, registerSecret} from '../../log/redact.js';

/** What /ims/token/v3 answers. */
export type ImsTokenResponse = {
	access_token: string;
	refresh_token?: string;
	token_type: string;
	expires_in: number;
	id_token?: string;
};

/** The largest token answer read. */
const IMS_MAX_ANSWER_BYTES = 1024 * 1024;

export const DEFAULT_IMS_URL = 'https://ims-na1.adobelogin.com';
export const USER_SCOPES = ['openid', 'AdobeID', 'email', 'profile', 'offline_access', 'additional_info.roles'];
export const S2S_SCOPES = ['openid', 'AdobeID', 'frame.s2s.all'];

export type Grant = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** IMS said no (400 invalid_grant, 401 invalid_client …) or could not be reached. Never carries a secret. */
export class ImsError extends Error {
	constructor(
		message: string,
		readonly grant: Grant,
		readonly status: number,
		/** IMS's `error` code, e.g. invalid_grant; 'network' when unreachable. */
		readonly imsCode: string,
	) {
		super(redactText(message));
		this.name = 'ImsError';
	}

	/** The grant itself is dead (revoked or expired refresh token, wrong client): retrying cannot help. */
	get isRejection(): boolean {
		return this.status >= 400 && this.status < 500;
	}
}

export type ImsClientOptions = {imsUrl?: string; timeoutMs?: number; http?: Got};

export class ImsClient {
	readonly imsUrl: string;
	private readonly http: Got;
	/** How many token requests this client made (tests and diagnostics). */
	calls = 0;

	constructor(options: ImsClientOptions = {}) {
		this.imsUrl = normalizeImsUrl(options.imsUrl ?? DEFAULT_IMS_URL);
		this.http =
			options.http ??
			got.extend({
				timeout: {request: options.timeoutMs ?? 30_000},
				// A token request is not idempotent (codes are single-use, refresh tokens may rotate): retry only when
				// the request surely did not arrive.
				retry: {limit: 1, methods: ['POST'], statusCodes: [], errorCodes: ['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']},
				throwHttpErrors: false,
				// A 307/308 re-sends the form (client secret, code, refresh token): only within IMS's own origin.
				followRedirect: response => sameOrigin(response.headers.location, response.url, new URL(this.imsUrl).origin),
				maxRedirects: 5,
			});
	}

	authorizeUrl(params: {clientId: string; redirectUri: string; scopes: string[]; codeChallenge: string; state: string}): string {
		const url = new URL(`${this.imsUrl}/ims/authorize/v2`);
		url.searchParams.set('client_id', params.clientId);
		url.searchParams.set('redirect_uri', params.redirectUri);
		url.searchParams.set('scope', params.scopes.join(','));
		url.searchParams.set('response_type', 'code');
		url.searchParams.set('code_challenge', params.codeChallenge);
		url.searchParams.set('code_challenge_method', 'S256');
		url.searchParams.set('state', params.state);
		return url.toString();
	}

	/** Adobe's token exchange takes no redirect_uri (its documented form is grant_type, client_id, [client_secret], code, code_verifier). */
	exchangeCode(params: {clientId: string; clientSecret?: string; code: string; codeVerifier: string}): Promise<ImsTokenResponse> {
		registerSecret(params.code);
		registerSecret(params.codeVerifier);
		return this.token('authorization_code', {
			client_id: params.clientId,
			client_secret: params.clientSecret,
			code: params.code,
			code_verifier: params.codeVerifier,
		});
	}

	refresh(params: {clientId: string; clientSecret?: string; refreshToken: string}): Promise<ImsTokenResponse> {
		return this.token('refresh_token', {client_id: params.clientId, client_secret: params.clientSecret, refresh_token: params.refreshToken});
	}

	clientCredentials(params: {clientId: string; clientSecret: string; scopes: string[]}): Promise<ImsTokenResponse> {
		return this.token('client_credentials', {client_id: params.clientId, client_secret: params.clientSecret, scope: params.scopes.join(',')});
	}

	private async token(grant: Grant, fields: Record<string, string | undefined>): Promise<ImsTokenResponse> {
		registerSecret(fields.client_secret);
		registerSecret(fields.refresh_token);
		const form: Record<string, string> = {grant_type: grant};
		for (const [key, value] of Object.entries(fields)) if (value !== undefined) form[key] = value;
		const url = `${this.imsUrl}/ims/token/v3`;
		this.calls++;
		let response;
		let tooLarge = false;
		try {
			const pending = this.http.post(url, {form, responseType: 'text'});
			// A token answer is a few kilobytes: a larger one is not IMS's, and is not read into memory.
			pending.on('downloadProgress', progress => {
				if (progress.transferred > IMS_MAX_ANSWER_BYTES && !tooLarge) {
					tooLarge = true;
					pending.cancel();
				}
			});
			response = await pending;
		} catch (error) {
			if (tooLarge) throw new ImsError(`Adobe IMS at ${this.imsUrl} answered more than ${IMS_MAX_ANSWER_BYTES / 1024} KiB: not read`, grant, 0, 'too_large');
			if ((error as Error).name === 'MaxRedirectsError') throw new ImsError(`Adobe IMS at ${this.imsUrl} redirected more than 5 times (a redirect loop)`, grant, 0, 'redirect');
			const code = (error as {code?: string}).code ?? 'network';
			throw new ImsError(`cannot reach Adobe IMS at ${this.imsUrl} (${code})`, grant, 0, 'network');
		}
		if (response.statusCode >= 300 && response.statusCode < 400 && response.statusCode !== 304) {
			throw new ImsError(`Adobe IMS at ${this.imsUrl} ${describeRedirect(response.headers.location, response.url)}`, grant, response.statusCode, 'redirect');
		}
		const body = parseJson(response.body);
		if (response.statusCode >= 200 && response.statusCode < 300 && body && typeof body.access_token === 'string') {
			registerSecret(body.access_token);
			if (typeof body.refresh_token === 'string') registerSecret(body.refresh_token);
			if (typeof body.id_token === 'string') registerSecret(body.id_token);
			const expiresIn = Number(body.expires_in);
			return {
				access_token: body.access_token,
				refresh_token: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined,
				token_type: typeof body.token_type === 'string' ? body.token_type : 'bearer',
				// IMS answers seconds; a missing value is treated as the documented 24 h.
				expires_in: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 86_400,
				id_token: typeof body.id_token === 'string' ? body.id_token : undefined,
			};
		}
		const imsCode = typeof body?.error === 'string' ? body.error : `http_${response.statusCode}`;
		const description = typeof body?.error_description === 'string' ? ` — ${body.error_description}` : '';
		throw new ImsError(`Adobe IMS refused the ${grant} request (${response.statusCode} ${imsCode})${description}`, grant, response.statusCode, imsCode);
	}
}

/** Whether a Location (relative to `from`) stays on `origin`. */
function sameOrigin(location: string | undefined, from: string, origin: string): boolean {
	if (!location) return false;
	try {
		return new URL(location, from).origin === origin;
	} catch {
		return false;
	}
}

function describeRedirect(location: string | undefined, from: string): string {
	if (!location) return 'answered a redirect without a Location';
	let origin: string;
	try {
		origin = new URL(location, from).origin;
	} catch {
		origin = 'an invalid URL';
	}
	return `redirected to another host (${origin}): refused, the client secret and codes are never sent to another origin`;
}

export function normalizeImsUrl(imsUrl: string): string {
	let url: URL;
	try {
		url = new URL(imsUrl);
	} catch {
		throw new Error(`invalid IMS URL "${imsUrl}": expected e.g. ${DEFAULT_IMS_URL}`);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseJson(text: string): Record<string, unknown> | null {
	try {
		const value = JSON.parse(text) as unknown;
		return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
