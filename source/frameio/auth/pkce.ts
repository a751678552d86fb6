// Authorization code + PKCE (S256), with a state value against forged redirects. The user opens the authorize URL
// in any browser and pastes back where it sent them, so no local web server is needed (works over SSH).
import {createHash, randomBytes} from 'node:crypto';
import {registerSecret} from '../../log/redact.js';

export type Pkce = {verifier: string; challenge: string; state: string};

export function createPkce(): Pkce {
	// 32 random bytes → a 43-character verifier, the RFC 7636 minimum length with full entropy.
	const verifier = randomBytes(32).toString('base64url');
	registerSecret(verifier);
	return {verifier, challenge: challengeFor(verifier), state: randomBytes(16).toString('base64url')};
}

export function challengeFor(verifier: string): string {
	return createHash('sha256').update(verifier).digest('base64url');
}

export class RedirectError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RedirectError';
	}
}

/**
 * The code from what the user pasted: the whole redirect URL (its state must match), or the bare code.
 * An `error=` redirect (the user declined, a wrong scope) becomes a readable error.
 */
export function codeFromRedirect(input: string, expectedState: string | undefined): string {
	const text = input.trim();
	if (!text) throw new RedirectError('nothing pasted: expected the URL the browser was sent to, or the code');
	const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('?');
	if (!looksLikeUrl) {
		if (!/^[\w.~+/=-]+$/.test(text)) throw new RedirectError('that does not look like a redirect URL or an authorization code');
		registerSecret(text);
		return text;
	}
	let params: URLSearchParams;
	try {
		const url = new URL(text.includes('://') ? text : `https://localhost/${text.replace(/^\/+/, '')}`);
		params = new URLSearchParams(url.search);
		// Some flows answer in the fragment.
		if (!params.has('code') && !params.has('error') && url.hash) params = new URLSearchParams(url.hash.slice(1));
	} catch {
		throw new RedirectError('could not read the pasted redirect URL');
	}
	const error = params.get('error');
	if (error) {
		const description = params.get('error_description');
		throw new RedirectError(`Adobe IMS did not authorize: ${error}${description ? ` — ${description}` : ''}`);
	}
	const code = params.get('code');
	if (!code) throw new RedirectError('the pasted URL has no code parameter');
	registerSecret(code);
	const state = params.get('state');
	if (expectedState !== undefined && state !== expectedState) {
		throw new RedirectError('the state in the pasted URL does not match this login (an old or forged redirect): start `frameio-admin login` again');
	}
	return code;
}
