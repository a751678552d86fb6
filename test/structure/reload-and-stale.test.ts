// A reload reads the API and replaces the cached copy; with the API out of reach and the user's say-so (--stale-ok),
// the cache answers past its TTL, and every such listing says it is stale and how old it is.
import {afterEach, describe, expect, it} from 'vitest';
import {ApiCache} from '../../source/cache/index.js';
import {StructureService, structureApiFromClient, type StructureApi} from '../../source/structure/index.js';
import type {StructureNode, StructurePage} from '../../source/structure/types.js';
import type {ListingPage} from '../../source/structure/cached-listing.js';
import {startRig, testConfig, type Rig} from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
	await rig?.close();
	rig = undefined;
});

async function names(pages: AsyncIterable<StructurePage | ListingPage<{name: string}>>): Promise<{names: string[]; fromCache: boolean; staleAgeMs?: number}> {
	const out: string[] = [];
	let fromCache = false;
	let staleAgeMs: number | undefined;
	for await (const page of pages) {
		out.push(...page.items.map(item => item.name));
		fromCache = page.fromCache;
		staleAgeMs = page.staleAgeMs;
	}
	return {names: out, fromCache, staleAgeMs};
}

async function folderNode(service: StructureService, rig: Rig): Promise<StructureNode> {
	// Walk down from the accounts so the service knows the folder's account.
	const [account] = await first(service.listChildren(null));
	const [workspace] = await first(service.listChildren(account));
	const projects = await first(service.listChildren(workspace));
	const project = projects.find(node => node.id === rig.sandbox.ids.projectId)!;
	const folders = await first(service.listChildren(project));
	return folders.find(node => node.id === rig.sandbox.ids.wipFolderId)!;
}

async function first(pages: AsyncIterable<StructurePage>): Promise<StructureNode[]> {
	const out: StructureNode[] = [];
	for await (const page of pages) out.push(...page.items);
	return out;
}

describe('Structure listings', () => {
	it('a reload reads the API and replaces the cached copy: a folder made elsewhere shows at once', async () => {
		rig = await startRig({seed: 'demo'});
		const wip = await folderNode(rig.service, rig);
		const before = await names(rig.service.listChildren(wip));
		expect((await names(rig.service.listChildren(wip))).fromCache).toBe(true);
		rig.sandbox.store.addFolder(wip.id, 'SC99_MADE_ELSEWHERE');
		expect((await names(rig.service.listChildren(wip))).names).not.toContain('SC99_MADE_ELSEWHERE');
		const reloaded = await names(rig.service.listChildren(wip, undefined, {fresh: true}));
		expect(reloaded.fromCache).toBe(false);
		expect(reloaded.names).toContain('SC99_MADE_ELSEWHERE');
		expect(reloaded.names.length).toBe(before.names.length + 1);
		// The cached copy is the new listing.
		const after = await names(rig.service.listChildren(wip));
		expect(after.fromCache).toBe(true);
		expect(after.names).toContain('SC99_MADE_ELSEWHERE');
	});

	it('with serveStale the cache answers past its TTL without calling the API, and says how old the listing is', async () => {
		rig = await startRig({seed: 'demo'});
		let now = Date.now();
		const config = {...testConfig(), cache_ttl: {...testConfig().cache_ttl, folders: 60}};
		const cache = new ApiCache({config, now: () => now, serveStale: true});
		await cache.open();
		const api = structureApiFromClient(rig.client);
		const {accountId, wipFolderId} = rig.sandbox.ids;
		const listed = await names(new StructureService({api, cache}).childrenPages(accountId, wipFolderId));
		expect(listed.fromCache).toBe(false);
		// Two hours later the listing is far past its 60 s TTL, and the API is out of reach.
		now += 2 * 3_600_000;
		let calls = 0;
		const down = new Proxy(api, {
			get(target, property, receiver) {
				const value = Reflect.get(target, property, receiver);
				if (typeof value !== 'function') return value;
				return () => {
					calls++;
					throw new Error('connect ECONNREFUSED');
				};
			},
		}) as StructureApi;
		const offline = await names(new StructureService({api: down, cache}).childrenPages(accountId, wipFolderId));
		expect(calls).toBe(0);
		expect(offline.names).toEqual(listed.names);
		expect(offline.fromCache).toBe(true);
		expect(offline.staleAgeMs).toBeGreaterThanOrEqual(2 * 3_600_000);
		await cache.close();
	});

	it('without serveStale an expired listing is fetched again, never served', async () => {
		rig = await startRig({seed: 'demo'});
		let now = Date.now();
		const config = {...testConfig(), cache_ttl: {...testConfig().cache_ttl, folders: 60}};
		const cache = new ApiCache({config, now: () => now});
		await cache.open();
		const service = new StructureService({api: structureApiFromClient(rig.client), cache});
		const {accountId, wipFolderId} = rig.sandbox.ids;
		await names(service.childrenPages(accountId, wipFolderId));
		now += 2 * 3_600_000;
		const again = await names(service.childrenPages(accountId, wipFolderId));
		expect(again.fromCache).toBe(false);
		expect(again.staleAgeMs).toBeUndefined();
		await cache.close();
	});
});
