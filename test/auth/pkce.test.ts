import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {ImsClient} from '../../source/frameio/auth/ims-client.js';
import {jwtExpiresAt} from '../../source/frameio/auth/jwt-expiry.js';
import {parseScopes, startUserLogin} from '../../source/frameio/auth/login-flow.js';
import {challengeFor, codeFromRedirect, createPkce, RedirectError} from '../../source/frameio/auth/pkce.js';

describe('PKCE', () => {
	it('makes a 43-character verifier and its S256 challenge', () => {
		const pkce = createPkce();
		expect(pkce.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(pkce.challenge).toBe(createHash('sha256').update(pkce.verifier).digest('base64url'));
		expect(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); // RFC 7636 appendix B
		expect(createPkce().state).not.toBe(pkce.state);
	});

	it('builds the Adobe authorize URL with every parameter', () => {
		const ims = new ImsClient({imsUrl: 'https://ims.example/'});
		const {authorizeUrl, pending} = startUserLogin({ims, clientId: 'client-1', redirectUri: 'https://localhost/callback'});
		const url = new URL(authorizeUrl);
		expect(`${url.origin}${url.pathname}`).toBe('https://ims.example/ims/authorize/v2');
		expect(Object.fromEntries(url.searchParams)).toEqual({
			client_id: 'client-1',
			redirect_uri: 'https://localhost/callback',
			scope: 'openid,AdobeID,email,profile,offline_access,additional_info.roles',
			response_type: 'code',
			code_challenge: challengeFor(pending.verifier),
			code_challenge_method: 'S256',
			state: pending.state,
		});
		expect(authorizeUrl).not.toContain(pending.verifier);
	});

	it('takes the code from a pasted redirect URL and checks its state', () => {
		expect(codeFromRedirect('https://localhost/callback?code=abc123456&state=s1', 's1')).toBe('abc123456');
		expect(codeFromRedirect('  https://localhost/callback?state=s1&code=xyz987654  \n', 's1')).toBe('xyz987654');
		expect(() => codeFromRedirect('https://localhost/callback?code=abc123456&state=other', 's1')).toThrow(/state .* does not match/);
		expect(() => codeFromRedirect('https://localhost/callback?code=abc123456', 's1')).toThrow(RedirectError);
		expect(() => codeFromRedirect('https://localhost/callback?error=access_denied&error_description=User+declined', 's1')).toThrow(
			/access_denied — User declined/,
		);
		expect(() => codeFromRedirect('https://localhost/callback?foo=1', 's1')).toThrow(/no code/);
		expect(() => codeFromRedirect('', 's1')).toThrow(/nothing pasted/);
	});

	it('accepts a bare code', () => {
		expect(codeFromRedirect('eyJ4NXUiOiJpbXNfbmEx.code-value', 's1')).toBe('eyJ4NXUiOiJpbXNfbmEx.code-value');
		expect(() => codeFromRedirect('not a code!', 's1')).toThrow(RedirectError);
	});

	it('parses scope lists', () => {
		expect(parseScopes('openid, AdobeID  frame.s2s.all', [])).toEqual(['openid', 'AdobeID', 'frame.s2s.all']);
		expect(parseScopes(undefined, ['x'])).toEqual(['x']);
	});
});

describe('jwtExpiresAt', () => {
	const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

	it('reads exp, or IMS created_at + expires_in', () => {
		expect(jwtExpiresAt(jwt({exp: 1_800_000_000}))).toBe(1_800_000_000_000);
		expect(jwtExpiresAt(jwt({created_at: '1700000000000', expires_in: '86400000'}))).toBe(1_700_086_400_000);
	});

	it('gives null for opaque tokens', () => {
		expect(jwtExpiresAt('sbx_static_abcdef')).toBeNull();
		expect(jwtExpiresAt('a.b.c')).toBeNull();
		expect(jwtExpiresAt(jwt({sub: 'x'}))).toBeNull();
	});
});
