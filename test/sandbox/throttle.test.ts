import {randomBytes} from 'node:crypto';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {call} from './http.js';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, partBytesPerSecond: 256 * 1024});
	rememberSecret(sandbox.token);
});
afterAll(() => sandbox.close());

it('holds a part PUT to the configured bandwidth, and still stores it byte-exact', async () => {
	const bytes = randomBytes(128 * 1024);
	const created = await call(sandbox, 'POST', `/v4/accounts/${sandbox.ids.accountId}/folders/${sandbox.ids.wipFolderId}/files/local_upload`, {
		json: {data: {name: 'slow.mp4', file_size: bytes.length}},
	});
	const part = created.body.data.upload_urls[0] as {url: string};
	rememberSecret(new URL(part.url).searchParams.get('X-Amz-Signature')!);
	const started = Date.now();
	const response = await fetch(part.url, {method: 'PUT', body: new Uint8Array(bytes), headers: {'content-type': 'video/mp4', 'x-amz-acl': 'private'}});
	expect(response.status).toBe(200);
	// 128 KiB at 256 KiB/s cannot take less than ~0.5 s; an unthrottled loopback PUT takes a few ms.
	expect(Date.now() - started).toBeGreaterThanOrEqual(400);
	expect(sandbox.store.fileBytes(created.body.data.id)!.equals(bytes)).toBe(true);
});
