// The console's runtime with --webhook-port against a sandbox over loopback: the webhook is registered with the real
// `webhook create` (its secret stored in the console's state dir), a second client uploads a file with the real
// `upload`, and the Structure source lists the new file within a second, where the cache would have answered for 15
// minutes (shown first, before the webhook exists).
import {mkdirSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createRuntime} from '../../source/app/console-runtime.js';
import {createConsoleStore, type ConsoleStore} from '../../source/store/console-store.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import type {ConsoleRuntime, TreeNode} from '../../source/store/ports.js';
import {cli, fastConfigDir, folderAt, freshDirs, KiB, makeFile, sandboxEnv, startTestSandbox, testDir, type Dirs} from '../upload-commands/helpers.js';

let sandbox: Sandbox;
let runtime: ConsoleRuntime | undefined;
let consoleStore: ConsoleStore | undefined;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterAll(async () => {
	consoleStore?.dispose();
	await runtime?.shutdown('test');
	await sandbox.close();
});

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise(resolve => server.close(resolve));
	return port;
}

async function children(node: TreeNode | null): Promise<TreeNode[]> {
	const items: TreeNode[] = [];
	for await (const page of runtime!.structure.listChildren(node)) items.push(...page.items);
	return items;
}

/** account → workspace → project → WIP_BYSHOT → SC01_SEQ01 → UNDLM_00042, as the Structure tab opens them. */
async function shotNode(): Promise<TreeNode> {
	let node: TreeNode | null = null;
	for (const name of [undefined, undefined, 'UNDLM_DOCU', 'WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']) {
		const items: TreeNode[] = await children(node);
		node = (name === undefined ? items[0] : items.find(item => item.name === name)) ?? null;
		if (!node) throw new Error(`no ${name ?? 'first item'} in the tree`);
	}
	return node!;
}

/** The Structure tab's tree, opened as a user opens it: the project, then each folder down to the shot. */
async function openShotInStore(store: ConsoleStore): Promise<{shotKey: string; opened: string[]}> {
	const structure = store.actions.structure;
	await structure.loadRoots();
	const tree = store.store.get().structure.tree;
	const childNamed = (key: string, name: string) => {
		const found = (tree.get(key)?.children ?? []).find(child => tree.get(child)?.node.name === name);
		if (!found) throw new Error(`no ${name} under ${key}`);
		return found;
	};
	const workspace = tree.root.children![0];
	const workspaceKey = tree.get(workspace)!.children![0];
	let key = workspaceKey;
	const opened: string[] = [];
	for (const name of ['UNDLM_DOCU', 'WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']) {
		key = childNamed(key, name);
		await structure.expand(key);
		opened.push(key);
	}
	return {shotKey: key, opened};
}

const namesUnder = (store: ConsoleStore, key: string) => {
	const tree = store.store.get().structure.tree;
	return (tree.get(key)?.children ?? []).map(child => tree.get(child)!.node.name).sort();
};

describe('console runtime with --webhook-port', () => {
	it('shows a file another client uploads within a second, through a signed webhook delivery', async () => {
		const port = await freePort();
		const consoleDirs: Dirs = freshDirs(fastConfigDir());
		const env = sandboxEnv(sandbox);
		runtime = await createRuntime({sandbox: false, readonly: false, configDir: consoleDirs.config, stateDir: consoleDirs.state, logsDir: consoleDirs.logs, webhookPort: port, env});

		const scene = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC01_SEQ01');
		const shot = sandbox.store.addFolder(scene.id, 'UNDLM_00042');
		const node = await shotNode();
		expect(await children(node)).toEqual([]);
		consoleStore = createConsoleStore(runtime, {refreshIntervalMs: 60_000, minPublishMs: 5, healthMinPeriodMs: 60_000});
		const {shotKey, opened} = await openShotInStore(consoleStore);
		expect(namesUnder(consoleStore, shotKey)).toEqual([]);
		// No webhook yet: a file made elsewhere stays unseen, the cached listing answers.
		sandbox.store.addFile(shot.id, 'made_elsewhere.mov', 1000);
		expect(await children(node)).toEqual([]);

		const created = await cli(['webhook', 'create', '--url', `http://127.0.0.1:${port}/frameio`], consoleDirs, env);
		expect(created.code).toBe(0);
		expect(created.stdout).toMatch(/^Created webhook [0-9a-f-]{36} /);

		const renders = testDir('console-webhook-renders');
		mkdirSync(renders, {recursive: true});
		const file = makeFile(renders, 'UNDLM_SEQ01_00042_v001.mp4', 40 * KiB);
		const upload = await cli(['upload', file, '--no-progress'], freshDirs(), env); // another client: its own state
		expect(upload.code).toBe(0);
		const landedAt = Date.now();
		let names: string[] = [];
		while (Date.now() - landedAt < 1000) {
			names = (await children(node)).map(item => item.name);
			if (names.includes(path.basename(file))) break;
			await new Promise(resolve => setTimeout(resolve, 20));
		}
		expect(names.sort()).toEqual(['UNDLM_SEQ01_00042_v001.mp4', 'made_elsewhere.mov']);
		// The Structure tab's open folder lists again by itself (no r pressed), and what was open stays open.
		while (namesUnder(consoleStore, shotKey).length < 2 && Date.now() - landedAt < 1000) await new Promise(resolve => setTimeout(resolve, 20));
		expect(namesUnder(consoleStore, shotKey)).toEqual(['UNDLM_SEQ01_00042_v001.mp4', 'made_elsewhere.mov']);
		expect(opened.map(key => consoleStore!.store.get().structure.tree.get(key)?.expanded)).toEqual([true, true, true, true]);
		expect(folderAt(sandbox, ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042'])).toBe(shot.id);
		// The Metrics tab's figures count the deliveries.
		expect(runtime.metrics.figures(60_000).webhooks.deliveries).toBeGreaterThan(0);
		expect(runtime.metrics.figures(60_000).webhooks.refused).toBe(0);
		consoleStore.actions.metrics.refresh();
		await new Promise(resolve => setTimeout(resolve, 50));
		expect(consoleStore.store.get().metrics.webhookReceiver).toBe(`http://127.0.0.1:${port}/`);
	}, 60_000);
});
