// Cursor pagination: follow links.next to the end. The earlier implementation read the first page only, and its
// find-or-create then made duplicate folders; every list in this tool goes through here.
import {resolveNextLink, type ApiBase, type Query} from './api-url.js';
import type {PageEnvelope} from './types.js';

export type PageFetcher<T> = (url: URL) => Promise<PageEnvelope<T>>;

/** Pages from `first` until links.next is null. A link seen twice is an API bug and would loop forever: it throws. */
export async function* iteratePages<T>(
	fetchPage: PageFetcher<T>,
	base: ApiBase,
	first: URL,
	carried?: Query,
): AsyncGenerator<PageEnvelope<T>, void, undefined> {
	let url: URL | null = first;
	const seen = new Set<string>([first.href]);
	while (url) {
		const page: PageEnvelope<T> = await fetchPage(url);
		yield page;
		const next: string | null | undefined = page.links?.next;
		if (!next) return;
		url = resolveNextLink(base, next, carried);
		if (seen.has(url.href)) throw new Error(`pagination loop: ${url.pathname} returned a next link already followed`);
		seen.add(url.href);
	}
}

/** Every item of every page, in order. */
export async function collectPages<T>(pages: AsyncIterable<PageEnvelope<T>>): Promise<T[]> {
	const items: T[] = [];
	for await (const page of pages) items.push(...page.data);
	return items;
}
