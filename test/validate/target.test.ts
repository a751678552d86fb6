// Which account / workspace / project / root folder a command works on: flags, then environment, then the sandbox's
// ids; the only visible account when none is set; a clear exit-2 error naming the flag and variable otherwise.
import {afterEach, describe, expect, it} from 'vitest';
import {configuredTargetIds, Target, TargetError} from '../../source/structure/target.js';
import {createFrameioClient, SandboxTokenProvider, type FrameioClient} from '../../source/frameio/index.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {healthConfig} from '../health/rig.js';
import {rememberSecret} from '../helpers/secret-scan.js';

let sandbox: Sandbox | undefined;
let client: FrameioClient | undefined;
afterEach(async () => {
	client?.close();
	await sandbox?.close();
	sandbox = undefined;
	client = undefined;
});

async function start(): Promise<{sandbox: Sandbox; target: (ids: ReturnType<typeof configuredTargetIds>) => Target}> {
	sandbox = await startSandbox({seed: 'empty', enforceRateLimits: false, rateLimitScale: 100});
	rememberSecret(sandbox.token);
	const api = createFrameioClient({baseUrl: sandbox.url, auth: new SandboxTokenProvider(sandbox), config: healthConfig().optimization});
	client = api;
	return {sandbox, target: ids => new Target(ids, {accounts: () => api.accounts(), project: (a, p) => api.project(a, p)})};
}

const sandboxIds = {accountId: 'acc-s', workspaceId: 'ws-s', projectId: 'prj-s', rootFolderId: 'root-s'};

describe('configuredTargetIds', () => {
	it('takes flags over environment over the sandbox, ignoring blanks', () => {
		const ids = configuredTargetIds({accountId: 'acc-flag', projectId: '  '}, {FRAMEIO_ACCOUNT_ID: 'acc-env', FRAMEIO_PROJECT_ID: 'prj-env', FRAMEIO_WORKSPACE_ID: ''});
		expect(ids).toEqual({accountId: {value: 'acc-flag', source: 'flag'}, projectId: {value: 'prj-env', source: 'env'}});
	});

	it('uses the sandbox demo ids, but its workspace and root folder only with its own project', () => {
		expect(configuredTargetIds({}, {}, sandboxIds)).toEqual({
			accountId: {value: 'acc-s', source: 'sandbox'},
			projectId: {value: 'prj-s', source: 'sandbox'},
			workspaceId: {value: 'ws-s', source: 'sandbox'},
			rootFolderId: {value: 'root-s', source: 'sandbox'},
		});
		const own = configuredTargetIds({projectId: 'mine'}, {}, sandboxIds);
		expect(own.projectId).toEqual({value: 'mine', source: 'flag'});
		expect(own.workspaceId).toBeUndefined();
		expect(own.rootFolderId).toBeUndefined();
	});
});

describe('Target', () => {
	it('uses the only visible account and says so; takes workspace and root folder from the project', async () => {
		const {sandbox: box, target} = await start();
		const resolved = target(configuredTargetIds({projectId: box.ids.projectId}, {}));
		expect(await resolved.accountId()).toBe(box.ids.accountId);
		expect(resolved.notes).toEqual([`account: using the only account visible, Sandbox Account (${box.ids.accountId})`]);
		expect(resolved.source('accountId')).toBe('discovered');
		expect(await resolved.rootFolderId()).toBe(box.ids.rootFolderId);
		expect(await resolved.workspaceId()).toBe(box.ids.workspaceId);
		expect(resolved.source('rootFolderId')).toBe('project');
	});

	it('refuses to guess between several accounts, naming the flag, the variable and the accounts', async () => {
		const {sandbox: box, target} = await start();
		box.store.addAccount('Second Studio');
		const resolved = target(configuredTargetIds({}, {}));
		const error = await resolved.accountId().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TargetError);
		expect((error as TargetError).exitCode).toBe(2);
		expect((error as Error).message).toMatch(/^no account configured and 2 accounts are visible: Sandbox Account \(.+\), Second Studio \(.+\): pass --account-id ID or set FRAMEIO_ACCOUNT_ID$/);
	});

	it('fails without a project, naming --project-id and FRAMEIO_PROJECT_ID', async () => {
		const {target} = await start();
		const resolved = target(configuredTargetIds({}, {}));
		expect(() => resolved.projectId()).toThrow('no project configured: pass --project-id ID or set FRAMEIO_PROJECT_ID');
		await expect(resolved.rootFolderId()).rejects.toThrow(/--project-id ID or set FRAMEIO_PROJECT_ID/);
		expect(await resolved.workspaceId()).toBeUndefined();
	});

	it('tries a failed lookup again instead of keeping the failure', async () => {
		const {sandbox: box, target} = await start();
		const resolved = target(configuredTargetIds({projectId: box.ids.projectId}, {}));
		box.setFaults({errorRate: 1});
		await expect(resolved.project()).rejects.toThrow(/50[023]/);
		box.setFaults('none');
		expect((await resolved.project()).name).toBe('UNDLM_DOCU');
	});
});
