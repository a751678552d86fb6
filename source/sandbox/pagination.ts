// Cursor pagination as v4 does it: `page_size`, an opaque `after`, `include_total_count`, and a relative
// `links.next` that repeats the request's own query (page_size included) with a new cursor.
import {createHash} from 'node:crypto';
import type {PageEnvelope} from '../frameio/types.js';
import {invalid} from './api-error.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE_SMALL = 100; // accounts, workspaces, projects
export const MAX_PAGE_SIZE_ASSETS = 500; // children, folders, files

type Cursor = {o: number; l: string};

/** Identifies one listing (path + filters), so that a cursor from another listing is refused. */
export function listingId(path: string, query: URLSearchParams): string {
	const filters = ['type', 'sort'].map(key => `${key}=${query.get(key) ?? ''}`).join('&');
	return createHash('sha1').update(`${path}?${filters}`).digest('base64url').slice(0, 10);
}

export function encodeCursor(offset: number, listing: string): string {
	return Buffer.from(JSON.stringify({o: offset, l: listing} satisfies Cursor)).toString('base64url');
}

function decodeCursor(raw: string, listing: string): number {
	let cursor: Partial<Cursor>;
	try {
		if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('charset');
		cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
	} catch {
		throw invalid('Invalid cursor: pass the value of links.next unchanged', '/after');
	}
	if (!cursor || typeof cursor !== 'object' || !Number.isSafeInteger(cursor.o) || (cursor.o as number) < 0 || cursor.l !== listing) {
		throw invalid('Invalid cursor for this listing', '/after');
	}
	return cursor.o as number;
}

export function parsePageSize(query: URLSearchParams, max: number): number {
	const raw = query.get('page_size');
	if (raw === null) return DEFAULT_PAGE_SIZE;
	if (!/^\d+$/.test(raw)) throw invalid(`page_size must be an integer between 1 and ${max}`, '/page_size');
	const size = Number(raw);
	if (size < 1 || size > max) throw invalid(`page_size must be an integer between 1 and ${max}`, '/page_size');
	return size;
}

export function parseBoolean(query: URLSearchParams, key: string): boolean {
	const raw = query.get(key);
	if (raw === null || raw === 'false') return false;
	if (raw === 'true') return true;
	throw invalid(`${key} must be true or false`, `/${key}`);
}

/** One page of `items` for the request `path?query`. Throws a 422 ApiError on bad paging parameters. */
export function paginate<T>(items: T[], path: string, query: URLSearchParams, maxPageSize: number): PageEnvelope<T> {
	const pageSize = parsePageSize(query, maxPageSize);
	const withTotal = parseBoolean(query, 'include_total_count');
	const listing = listingId(path, query);
	const after = query.get('after');
	const offset = after === null || after === '' ? 0 : decodeCursor(after, listing);
	const data = items.slice(offset, offset + pageSize);
	const end = offset + data.length;
	let next: string | null = null;
	if (end < items.length) {
		const nextQuery = new URLSearchParams(query);
		nextQuery.delete('after');
		nextQuery.set('page_size', String(pageSize));
		nextQuery.set('after', encodeCursor(end, listing));
		next = `${path}?${nextQuery.toString()}`;
	}
	return {data, links: {next}, total_count: withTotal ? items.length : null};
}

/** One page of `items` for the request `url`, each item side-loaded after paging (only the page's items are built). */
export function pageOf<T, U>(items: T[], url: URL, maxPageSize: number, load: (item: T) => U): PageEnvelope<U> {
	const page = paginate(items, url.pathname, url.searchParams, maxPageSize);
	return {...page, data: page.data.map(load)};
}
