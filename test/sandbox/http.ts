// Test helper: plain fetch over loopback to a running sandbox (real HTTP, no mocks).
import type {Sandbox} from '../../source/sandbox/index.js';

export type Reply<T = any> = {status: number; headers: Headers; body: T; text: string};

export async function call<T = any>(
	sandbox: Sandbox,
	method: string,
	path: string,
	options: {token?: string | null; json?: unknown; headers?: Record<string, string>; body?: string} = {},
): Promise<Reply<T>> {
	const headers: Record<string, string> = {...options.headers};
	const token = options.token === undefined ? sandbox.token : options.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	let body: string | undefined = options.body;
	if (options.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(options.json);
	}
	const response = await fetch(new URL(path, sandbox.url), {method, headers, body});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		// XML or empty bodies stay text
	}
	return {status: response.status, headers: response.headers, body: parsed as T, text};
}

/** Follows links.next from `path` to the end; returns every item and the number of pages. */
export async function walk<T = any>(sandbox: Sandbox, path: string): Promise<{items: T[]; pages: number; links: string[]}> {
	const items: T[] = [];
	const links: string[] = [];
	let next: string | null = path;
	let pages = 0;
	while (next) {
		const reply: Reply = await call(sandbox, 'GET', next);
		if (reply.status !== 200) throw new Error(`${next} → ${reply.status} ${reply.text}`);
		items.push(...reply.body.data);
		pages++;
		next = reply.body.links.next;
		if (next) links.push(next);
	}
	return {items, pages, links};
}
