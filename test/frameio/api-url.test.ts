import {describe, expect, it} from 'vitest';
import {parseApiBase, resolveApiUrl, resolveNextLink, withQuery} from '../../source/frameio/api-url.js';
import {classifyRequest} from '../../source/frameio/endpoint-classes.js';

describe('API URLs', () => {
	it('accepts the host with or without /v4 and slashes', () => {
		for (const base of ['https://api.frame.io', 'https://api.frame.io/', 'https://api.frame.io/v4', 'https://api.frame.io/v4/']) {
			expect(parseApiBase(base)).toEqual({origin: 'https://api.frame.io', prefix: ''});
		}
		expect(() => parseApiBase('api.frame.io')).toThrow(/invalid API URL/);
		expect(() => parseApiBase('ftp://x')).toThrow(/http or https/);
	});

	it('resolves paths under /v4', () => {
		const base = parseApiBase('https://api.frame.io/v4');
		expect(resolveApiUrl(base, 'me').href).toBe('https://api.frame.io/v4/me');
		expect(resolveApiUrl(base, '/v4/accounts/a/files/f/status').href).toBe('https://api.frame.io/v4/accounts/a/files/f/status');
	});

	it('resolves links.next against the host, never /v4/v4', () => {
		for (const raw of ['https://api.frame.io', 'https://api.frame.io/v4/', 'http://127.0.0.1:4000']) {
			const base = parseApiBase(raw);
			const next = resolveNextLink(base, '/v4/accounts/a/folders/f/children?page_size=50&after=g3QAAA', {page_size: 50});
			expect(next.pathname).toBe('/v4/accounts/a/folders/f/children');
			expect(next.href).not.toContain('/v4/v4');
			expect(next.searchParams.get('after')).toBe('g3QAAA');
		}
	});

	it('re-appends page_size and filters that a next link dropped, without overriding its own', () => {
		const base = parseApiBase('https://api.frame.io');
		const next = resolveNextLink(base, '/v4/accounts/a/folders/f/children?after=c1', {page_size: 25, type: ['file', 'folder'], include_total_count: true});
		expect(next.searchParams.get('page_size')).toBe('25');
		expect(next.searchParams.get('type')).toBe('file,folder');
		expect(next.searchParams.get('include_total_count')).toBe('true');
		const kept = resolveNextLink(base, '/v4/x/children?after=c1&page_size=10', {page_size: 25});
		expect(kept.searchParams.get('page_size')).toBe('10');
	});

	it('keeps a proxy prefix, and refuses links to another host', () => {
		const base = parseApiBase('https://proxy.example/frameio');
		expect(resolveApiUrl(base, 'me').href).toBe('https://proxy.example/frameio/v4/me');
		expect(resolveNextLink(base, '/v4/accounts?after=x', undefined).href).toBe('https://proxy.example/frameio/v4/accounts?after=x');
		expect(() => resolveApiUrl(base, 'https://evil.example/v4/me')).toThrow(/another host/);
	});

	it('writes array query values as comma lists', () => {
		const url = withQuery(new URL('https://api.frame.io/v4/x'), {type: ['file', 'folder'], page_size: 50, skip: undefined});
		expect(url.search).toBe('?type=file%2Cfolder&page_size=50');
	});

	it('classifies requests into Frame.io endpoint classes', () => {
		expect(classifyRequest('GET', '/v4/me')).toBe('me');
		expect(classifyRequest('GET', '/v4/accounts/a/folders/f/children?page_size=5')).toBe('folders.children');
		expect(classifyRequest('GET', '/v4/accounts/a/folders/f/folders')).toBe('folders.list');
		expect(classifyRequest('POST', '/v4/accounts/a/folders/f/folders')).toBe('folders.create');
		expect(classifyRequest('GET', '/v4/accounts/a/files/x/status')).toBe('files.status');
		expect(classifyRequest('DELETE', '/v4/accounts/a/folders/f')).toBe('folders.delete');
		expect(classifyRequest('GET', '/prefix/v4/accounts/a/projects')).toBe('account_projects.index');
		expect(classifyRequest('PATCH', '/v4/accounts/a/files/x')).toBe('other');
		// Version stacks and webhooks, each with its own published limit.
		expect(classifyRequest('PATCH', '/v4/accounts/a/files/x/move')).toBe('files.move');
		expect(classifyRequest('POST', '/v4/accounts/a/folders/f/version_stacks')).toBe('version_stacks.create');
		expect(classifyRequest('GET', '/v4/accounts/a/folders/f/version_stacks?page_size=100')).toBe('version_stacks.list');
		expect(classifyRequest('GET', '/v4/accounts/a/version_stacks/s')).toBe('version_stacks.show');
		expect(classifyRequest('GET', '/v4/accounts/a/version_stacks/s/children')).toBe('version_stacks.index');
		expect(classifyRequest('POST', '/v4/accounts/a/workspaces/w/webhooks')).toBe('webhooks.create');
		expect(classifyRequest('GET', '/v4/accounts/a/workspaces/w/webhooks')).toBe('webhooks.index');
		expect(classifyRequest('GET', '/v4/accounts/a/webhooks/h')).toBe('webhooks.show');
		expect(classifyRequest('DELETE', '/v4/accounts/a/webhooks/h')).toBe('webhooks.delete');
	});
});
