// `cache clear` on a state dir that cannot be written (issue 12): it printed "Removed 18 keys" and exited 0 while
// nothing was removed. It must say that the removal failed, exit 1, and leave the snapshot as it was. A real
// read-only filesystem: a tmpfs remounted ro after the cache is written.
import {afterEach, describe, expect, it} from 'vitest';
import {ApiCache, cacheKeys, cacheSnapshotPath} from '../../source/cache/index.js';
import {runCli} from '../helpers/run-cli.js';
import {testDir} from '../helpers/secret-scan.js';
import {mountTmpfs, tmpfsAvailable, tmpfsNote, type Tmpfs} from '../helpers/tmpfs.js';
import {cacheConfig, persistedKeys} from './helpers.js';

let disk: Tmpfs | undefined;
afterEach(() => {
	disk?.readWrite();
	disk?.unmount();
	disk = undefined;
});

async function seed(stateDir: string): Promise<string> {
	const file = cacheSnapshotPath(stateDir, {sandbox: true});
	const writer = new ApiCache({config: cacheConfig(), snapshotFile: file});
	await writer.open();
	for (let i = 0; i < 18; i++) writer.set(cacheKeys.folder(`f${i}`), {id: `f${i}`});
	await writer.close();
	return file;
}

describe('cache clear on a read-only state dir', () => {
	it.skipIf(!tmpfsAvailable)(`reports the failure, exits 1 at once, and removes nothing${tmpfsNote}`, async () => {
		disk = mountTmpfs('cache-ro');
		const file = await seed(disk.dir);
		expect(persistedKeys(file)).toHaveLength(18);
		disk.readOnly();
		const dirs = ['--sandbox', '--state-dir', disk.dir, '--logs-dir', testDir('cache-ro-logs')];

		const started = performance.now();
		const all = await runCli(['cache', 'clear', '--yes', ...dirs]);
		expect(all.code).toBe(1);
		expect(performance.now() - started).toBeLessThan(5000);
		expect(all.stdout).not.toContain('Removed');
		expect(all.stderr).toMatch(/^frameio-admin: cache clear failed: cannot write .*cache\.json .*EROFS: read-only file system.*; nothing was removed$/m);

		const pattern = await runCli(['cache', 'clear', '--pattern', 'folder_', '--json', ...dirs]);
		expect(pattern.code).toBe(1);
		expect(pattern.stdout).toBe('');
		expect(pattern.stderr).toContain('EROFS');

		// A dry run writes nothing, so it still works.
		const dry = await runCli(['cache', 'clear', '--dry-run', ...dirs]);
		expect(dry.code).toBe(0);
		expect(dry.stdout).toMatch(/^Would remove 18 keys/);

		disk.readWrite();
		expect(persistedKeys(file)).toHaveLength(18);
	});
});
