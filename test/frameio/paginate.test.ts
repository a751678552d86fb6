import {describe, expect, it} from 'vitest';
import {parseApiBase} from '../../source/frameio/api-url.js';
import {collectPages, iteratePages} from '../../source/frameio/paginate.js';
import type {PageEnvelope} from '../../source/frameio/types.js';

const base = parseApiBase('https://api.frame.io');

describe('iteratePages', () => {
	it('follows links.next until null and keeps every item in order', async () => {
		const seen: string[] = [];
		const pages: Record<string, PageEnvelope<number>> = {
			'/v4/list': {data: [1, 2], links: {next: '/v4/list?after=a'}},
			'/v4/list?after=a': {data: [3, 4], links: {next: '/v4/list?after=b'}},
			'/v4/list?after=b': {data: [5], links: {next: null}},
		};
		const items = await collectPages(
			iteratePages<number>(async url => {
				seen.push(url.href);
				return pages[`${url.pathname}${url.search}`];
			}, base, new URL('https://api.frame.io/v4/list')),
		);
		expect(items).toEqual([1, 2, 3, 4, 5]);
		expect(seen).toEqual(['https://api.frame.io/v4/list', 'https://api.frame.io/v4/list?after=a', 'https://api.frame.io/v4/list?after=b']);
	});

	it('stops with an error when the API repeats a next link', async () => {
		const iterate = iteratePages<number>(async () => ({data: [1], links: {next: '/v4/list?after=same'}}), base, new URL('https://api.frame.io/v4/list'));
		await expect(collectPages(iterate)).rejects.toThrow(/pagination loop/);
	});
});
