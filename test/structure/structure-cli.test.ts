// `frameio-admin structure` as a user runs it: the tree, the layout, JSON, the cache summary, exit codes.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {cli, cliDirs, cliSandbox, sandboxEnv} from './cli-rig.js';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await cliSandbox();
});
afterAll(async () => {
	await sandbox.close();
});

describe('frameio-admin structure', () => {
	it('prints accounts → workspaces → projects, and JSON with the same tree', async () => {
		const dirs = cliDirs();
		const text = await cli(['structure'], dirs, sandboxEnv(sandbox));
		expect(text.stderr).toBe('');
		expect(text.code).toBe(0);
		expect(text.stdout).toContain('Undlm Studio  (account ');
		expect(text.stdout).toContain('└─ Post Production  (workspace ');
		expect(text.stdout).toMatch(/ {3}├─ UNDLM_DOCU {2}\(project [0-9a-f-]+\)/);
		expect(text.stdout).toMatch(/\n4 listings, 0 from cache\n$/);

		const json = await cli(['structure', '--json', '--depth', '1'], dirs, sandboxEnv(sandbox));
		expect(json.code).toBe(0);
		const parsed = JSON.parse(json.stdout);
		const post = parsed.accounts[0].workspaces.find((workspace: {name: string}) => workspace.name === 'Post Production');
		const docu = post.projects.find((project: {name: string}) => project.name === 'UNDLM_DOCU');
		expect(docu.folders.map((folder: {name: string}) => folder.name)).toEqual(['DELIVERY', 'REFERENCES', 'WIP_BYSHOT']);
		expect(docu.counts).toEqual({folders: 3, files: 0, versionStacks: 0});
		// The second run found accounts, workspaces and projects in the cache the first one wrote.
		expect(parsed.listings.fromCache).toBe(4);
	});

	it('prints a project two levels deep with its scene/shot layout, and serves a repeat from the cache', async () => {
		const dirs = cliDirs();
		const env = sandboxEnv(sandbox, {project: false});
		const first = await cli(['structure', '--project-id', sandbox.ids.projectId], dirs, env);
		expect(first.code).toBe(0);
		expect(first.stdout).toContain('      └─ WIP_BYSHOT/  (6 folders)');
		expect(first.stdout).toContain('         ├─ SC01_SEQ01/  (64 folders)');
		expect(first.stdout).toMatch(/Scene\/shot layout of UNDLM_DOCU under WIP_BYSHOT: 6 scenes, 200 shots, \d+ files \(just listed\)/);
		expect(first.stdout).toMatch(/ {2}SC02_SEQ02 {2}72 shots, \d+ files/);
		expect(first.stdout).toMatch(/\n\d+ listings, 0 from cache\n$/);

		const again = await cli(['structure', '--project-id', sandbox.ids.projectId], dirs, env);
		expect(again.code).toBe(0);
		const [, listings, fromCache] = again.stdout.match(/\n(\d+) listings, (\d+) from cache\n$/)!;
		expect(Number(fromCache)).toBe(Number(listings));
		expect(again.stdout).toMatch(/200 shots, \d+ files \(from cache, computed \d+ s ago\)/);
	});

	it('exits 1 with the API\'s words for a project that does not exist', async () => {
		const result = await cli(['structure', '--project-id', '00000000-0000-4000-8000-000000000000'], cliDirs(), sandboxEnv(sandbox));
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('404');
		expect(result.stderr).toContain('Project not found');
		expect(result.stdout).toBe('');
	});

	it('exits 2 on usage errors and on a missing project', async () => {
		const dirs = cliDirs();
		const depth = await cli(['structure', '--depth', '-1'], dirs, sandboxEnv(sandbox));
		expect(depth.code).toBe(2);
		expect(depth.stderr).toContain('--depth must be a whole number');
		const layout = await cli(['structure', '--layout'], dirs, sandboxEnv(sandbox, {project: false}));
		expect(layout.code).toBe(2);
		expect(layout.stderr).toBe('frameio-admin: no project configured: pass --project-id ID or set FRAMEIO_PROJECT_ID\n');
		const noCredentials = await cli(['structure'], dirs, {FRAMEIO_API_URL: sandbox.url});
		expect(noCredentials.code).toBe(2);
		expect(noCredentials.stderr).toContain('no Frame.io credentials');
	});

	it('works on the in-process sandbox with --sandbox', async () => {
		const result = await cli(['structure', '--sandbox', '--json'], cliDirs());
		expect(result.code).toBe(0);
		const parsed = JSON.parse(result.stdout);
		expect(parsed.accounts.map((account: {name: string}) => account.name)).toEqual(['Undlm Studio']);
		expect(parsed.listings).toEqual({listings: 4, fromCache: 0});
	});
});
