// GET /sandbox/stats over real HTTP: counts of /v4 requests by status and rate class, bucket 429s, and sibling
// folders that share a name, readable without a token.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox, type SandboxStats} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call} from './http.js';

let sandbox: Sandbox;
let A: string;

beforeAll(async () => {
	// folders.create is 3/s: at scale 1 the 4th create in a burst is refused by the bucket.
	sandbox = await startSandbox({seed: 'empty'});
	rememberSecret(sandbox.token);
	A = `/v4/accounts/${sandbox.ids.accountId}`;
});
afterAll(() => sandbox.close());

const stats = async (): Promise<SandboxStats> => {
	const response = await fetch(`${sandbox.url}/sandbox/stats`);
	expect(response.status).toBe(200);
	return (await response.json()) as SandboxStats;
};

describe('/sandbox/stats', () => {
	it('needs no token and counts /v4 requests by status and class, bucket 429s apart', async () => {
		const before = await stats();
		expect(before).toEqual({requests: 0, by_status: {}, by_class: {}, rate_limited: 0, duplicate_folders: []});

		await call(sandbox, 'GET', '/v4/me');
		await call(sandbox, 'GET', '/v4/me', {token: 'wrong'});
		await call(sandbox, 'GET', `${A}/folders/00000000-0000-4000-8000-000000000000`);
		await call(sandbox, 'GET', '/v4/nowhere');
		const creates = await Promise.all(
			Array.from({length: 5}, (_, index) => call(sandbox, 'POST', `${A}/folders/${sandbox.ids.wipFolderId}/folders`, {json: {data: {name: `F${index}`}}})),
		);
		const refused = creates.filter(reply => reply.status === 429).length;
		expect(refused).toBeGreaterThanOrEqual(1);
		await fetch(`${sandbox.url}/ims/token/v3`, {method: 'POST'}); // not /v4: not counted

		const after = await stats();
		expect(after.requests).toBe(9);
		expect(after.by_status).toEqual({200: 1, 401: 1, 404: 2, 201: 5 - refused, 429: refused});
		expect(after.by_class).toEqual({me: 2, 'folders.show': 1, other: 1, 'folders.create': 5});
		expect(after.rate_limited).toBe(refused);
		expect(sandbox.stats()).toEqual(after);
		// Clearing the request log does not reset the counters.
		sandbox.clearRequests();
		expect((await stats()).requests).toBe(9);
	});

	it('lists sibling folders that share a name, with their parent and ids', async () => {
		const parent = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC01');
		const first = sandbox.store.addFolder(parent.id, 'UNDLM_00010');
		const second = sandbox.store.addFolder(parent.id, 'UNDLM_00010');
		sandbox.store.addFolder(parent.id, 'UNDLM_00020');
		sandbox.store.addFolder(sandbox.ids.wipFolderId, 'UNDLM_00010'); // same name, other parent: no duplicate
		sandbox.store.addFile(parent.id, 'UNDLM_00020', 1); // a file does not count
		const {duplicate_folders: duplicates} = await stats();
		expect(duplicates).toContainEqual({parent_id: parent.id, name: 'UNDLM_00010', ids: [first.id, second.id]});
		expect(duplicates.filter(item => item.parent_id === parent.id)).toHaveLength(1);
		await call(sandbox, 'DELETE', `${A}/folders/${second.id}`);
		expect((await stats()).duplicate_folders.filter(item => item.parent_id === parent.id)).toEqual([]);
	});

	it('answers GET only', async () => {
		const response = await fetch(`${sandbox.url}/sandbox/stats`, {method: 'POST'});
		expect(response.status).toBe(405);
	});
});
