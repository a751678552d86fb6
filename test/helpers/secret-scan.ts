import {appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';

const SECRETS_FILE = '.secrets-used';

/** Records a secret a test used, so that the end-of-run scan looks for it everywhere. */
export function rememberSecret(secret: string): string {
	const root = process.env.FRAMEIO_TEST_ROOT;
	if (root) appendFileSync(path.join(root, SECRETS_FILE), `${JSON.stringify(secret)}\n`);
	return secret;
}

function* walk(dir: string): Generator<string> {
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(full);
		else if (entry.isFile() && entry.name !== SECRETS_FILE) yield full;
	}
}

/** Every file under root that contains a remembered secret (files over 64 MiB are upload payloads, skipped). */
export function findLeakedSecrets(root: string): Array<{file: string; index: number}> {
	const list = path.join(root, SECRETS_FILE);
	if (!existsSync(list)) return [];
	const secrets = [...new Set(readFileSync(list, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as string))];
	const leaks: Array<{file: string; index: number}> = [];
	for (const file of walk(root)) {
		if (statSync(file).size > 64 * 1024 * 1024) continue;
		const text = readFileSync(file, 'latin1');
		secrets.forEach((secret, index) => {
			if (text.includes(secret)) leaks.push({file, index});
		});
	}
	return leaks;
}

/** A fresh directory under the run's root, for one test's logs, state or output. */
export function testDir(name: string): string {
	const root = process.env.FRAMEIO_TEST_ROOT ?? path.join(process.cwd(), '.test-tmp');
	const dir = path.join(root, `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
	mkdirSync(dir, {recursive: true});
	return dir;
}
