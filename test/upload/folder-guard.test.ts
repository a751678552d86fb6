// The nearest-name arithmetic of the folder guard (the guard itself runs over HTTP in
// test/upload-commands/folder-guard.test.ts).
import {describe, expect, it} from 'vitest';
import {closest, editDistance} from '../../source/upload/folder-guard.js';

describe('folder guard: the nearest existing name', () => {
	it('edit distance counts inserts, deletes and substitutions', () => {
		expect(editDistance('', '')).toBe(0);
		expect(editDistance('abc', '')).toBe(3);
		expect(editDistance('kitten', 'sitting')).toBe(3);
		expect(editDistance('UNDLM_0042', 'UNDLM_00042')).toBe(1);
	});

	it('closest ignores case, prefers the smallest distance, then name order; nothing for no candidates', () => {
		expect(closest('sc01_seq1', ['SC02_SEQ02', 'SC01_SEQ01', 'SC10_SEQ10'])).toBe('SC01_SEQ01');
		expect(closest('SC03', ['SC02_SEQ02', 'SC01_SEQ01'])).toBe('SC01_SEQ01');
		expect(closest('x', [])).toBeUndefined();
	});
});

describe('folder guard: a folder created while it looks', () => {
	it('is not refused as its own "did you mean": the guard looks at the path again and lets it through', async () => {
		const {startSandbox} = await import('../../source/sandbox/index.js');
		const {rememberSecret} = await import('../helpers/secret-scan.js');
		const {FolderGuard} = await import('../../source/upload/folder-guard.js');
		const {ApiCache, cacheKeys} = await import('../../source/cache/index.js');
		const {optimizationDefaults} = await import('../../source/config/optimization-schema.js');
		const {defaultConfig} = await import('../../source/config/index.js');
		const {compile} = await import('../../source/nomenclature/index.js');
		const {createFrameioClient, EnvTokenProvider} = await import('../../source/frameio/index.js');
		const {StructureService, structureApiFromClient} = await import('../../source/structure/index.js');
		const sandbox = await startSandbox({seed: 'empty'});
		rememberSecret(sandbox.token);
		const client = createFrameioClient({baseUrl: sandbox.url, auth: new EnvTokenProvider(sandbox.token), config: optimizationDefaults});
		const cache = await new ApiCache({config: optimizationDefaults}).open();
		const structure = new StructureService({api: structureApiFromClient(client), cache});
		try {
			const {accountId, rootFolderId} = sandbox.ids;
			const path = ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042'];
			await structure.findOrCreatePath(accountId, rootFolderId, path.slice(0, 2));
			const scene = (await structure.findOrCreatePath(accountId, rootFolderId, path.slice(0, 2), {dryRun: true})).folderId!;
			let raced = false;
			const guard = new FolderGuard(
				{
					nomenclature: compile(defaultConfig().nomenclature),
					findPath: (account, root, segments) => structure.findOrCreatePath(account, root, segments, {dryRun: true}),
					// Between the guard's look and its listing of the siblings, another node creates the shot (and its
					// listing reaches this one, as the farm's shared cache brings it).
					subfolders: async (account, folderId) => {
						if (!raced) {
							raced = true;
							sandbox.store.addFolder(scene, 'UNDLM_00042');
							cache.invalidate([cacheKeys.folderChildren(scene, 'subfolders')]);
						}
						return structure.subfolders(account, folderId);
					},
				},
				accountId,
				rootFolderId,
			);
			expect(await guard.check(path, '(hint)')).toEqual({ok: true});
			expect(raced).toBe(true);
		} finally {
			client.close();
			await cache.close();
			await sandbox.close();
		}
	});
});
