// One temporary root for the whole run: every test's logs, state and captured output live under it.
// At the end, every file under it is searched for every secret the tests used; finding one fails the run.
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {findLeakedSecrets} from './helpers/secret-scan.js';

export default function setup() {
	const root = mkdtempSync(path.join(os.tmpdir(), 'frameio-admin-test-'));
	process.env.FRAMEIO_TEST_ROOT = root;
	return () => {
		const leaks = findLeakedSecrets(root);
		if (leaks.length > 0) {
			throw new Error(`secrets leaked into test output:\n${leaks.map(leak => `  ${leak.file} (secret #${leak.index})`).join('\n')}`);
		}
		if (!process.env.FRAMEIO_KEEP_TEST_ROOT) rmSync(root, {recursive: true, force: true});
	};
}
