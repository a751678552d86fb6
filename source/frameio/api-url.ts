// Where a request goes. The API host is e.g. https://api.frame.io (or the sandbox's http://127.0.0.1:PORT); every
// v4 path starts with /v4. Links the API sends back (links.next, links.status) are paths that already include /v4,
// so they are resolved against the host, never against the /v4 base (that would give /v4/v4/…).

/** Frame.io's API host. */
export const LIVE_API_URL = 'https://api.frame.io';

export type ApiBase = {
	origin: string;
	/** A path the host sits under (a proxy), '' for api.frame.io. */
	prefix: string;
};

/**
 * Plain http to a host that is not this machine: a token or a client secret would travel in clear. Refused unless
 * the user says the network is trusted (--allow-insecure-http). A setup problem: exit 2.
 */
export class InsecureTransportError extends Error {
	override readonly name = 'InsecureTransportError';
	readonly exitCode = 2;
}

/** 127.0.0.0/8, ::1 and localhost: plain http there never leaves the machine (the sandbox). */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Throws InsecureTransportError for http:// to a non-loopback host, unless allowed. `what` names the setting. */
export function checkTransport(url: string, what: string, allowInsecureHttp: boolean): void {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return; // parseApiBase / normalizeImsUrl say what is wrong with it
	}
	if (parsed.protocol !== 'http:' || isLoopbackHost(parsed.hostname) || allowInsecureHttp) return;
	throw new InsecureTransportError(
		`${what} ${parsed.origin} is plain http to a host that is not this machine: the token and the client secret would travel in clear. ` +
			'Use https, or pass --allow-insecure-http if the network to it is trusted (e.g. a TLS proxy on a private link)',
	);
}

/** Accepts 'https://api.frame.io', 'https://api.frame.io/', 'https://api.frame.io/v4' alike. */
export function parseApiBase(baseUrl: string): ApiBase {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		throw new Error(`invalid API URL "${baseUrl}": expected e.g. https://api.frame.io or http://127.0.0.1:4000`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`invalid API URL "${baseUrl}": http or https only`);
	const prefix = url.pathname.replace(/\/+$/, '').replace(/\/v4$/, '');
	return {origin: url.origin, prefix};
}

/** The URL of an API path ('me', 'accounts/…', '/v4/accounts/…') or of a link the API returned. */
export function resolveApiUrl(base: ApiBase, pathOrLink: string): URL {
	if (/^https?:\/\//i.test(pathOrLink)) {
		const url = new URL(pathOrLink);
		// Our bearer token goes to the API host only, whatever a response body says.
		if (url.origin !== base.origin) throw new Error(`refusing to follow a link to another host (${url.origin})`);
		return url;
	}
	if (pathOrLink.startsWith('/')) {
		const path = base.prefix && !pathOrLink.startsWith(`${base.prefix}/`) ? `${base.prefix}${pathOrLink}` : pathOrLink;
		return new URL(path, base.origin);
	}
	return new URL(`${base.prefix}/v4/${pathOrLink}`, base.origin);
}

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string>;
export type Query = Record<string, QueryValue>;

/** Adds query parameters; arrays become comma lists (v4's `type=file,folder`, `include=a,b`). */
export function withQuery(url: URL, query: Query | undefined): URL {
	if (!query) return url;
	const out = new URL(url);
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null) continue;
		out.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
	}
	return out;
}

/**
 * The next page's URL. The v4 docs warn that a next link may drop the request's page_size and include_total_count,
 * so those are carried over when the link lacks them; its own `after` cursor is used as given.
 */
export function resolveNextLink(base: ApiBase, next: string, carried: Query | undefined): URL {
	const url = resolveApiUrl(base, next);
	if (!carried) return url;
	for (const key of ['page_size', 'include_total_count', 'include', 'type', 'sort']) {
		const value = carried[key];
		if (value === undefined || value === null || url.searchParams.has(key)) continue;
		url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
	}
	return url;
}

/** Host and path of a URL, for messages and logs (no query: cursors are noise). */
export function describeUrl(url: URL): string {
	return `${url.origin}${url.pathname}`;
}
