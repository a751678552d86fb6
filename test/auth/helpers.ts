import {readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {CredentialsStore, type StoredCredentials} from '../../source/config/credentials.js';
import {ImsClient} from '../../source/frameio/auth/ims-client.js';
import {finishUserLogin, followSandboxAuthorize, loginServerToServer, startUserLogin} from '../../source/frameio/auth/login-flow.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

// Credentials files hold the secrets by design; the end-of-run scan would (rightly) flag any left behind.
const stores = new Set<string>();

/** A credentials store in a fresh state dir, deleted by removeStores(). */
export function trackedStore(dir = testDir('state')): CredentialsStore {
	stores.add(dir);
	return new CredentialsStore(dir);
}

export function removeStores(): void {
	for (const dir of stores) rmSync(dir, {recursive: true, force: true});
	stores.clear();
}

export const imsCalls = (sandbox: Sandbox, since = 0) => sandbox.requests.slice(since).filter(record => record.path === '/ims/token/v3');

/** A real user login against the sandbox IMS (authorize → redirect → code exchange), stored in a fresh state dir. */
export async function userLogin(sandbox: Sandbox, clientId = 'sandbox-client'): Promise<{store: CredentialsStore; credentials: StoredCredentials}> {
	const ims = new ImsClient({imsUrl: sandbox.imsUrl});
	const {pending, authorizeUrl} = startUserLogin({ims, clientId});
	const redirect = await followSandboxAuthorize(authorizeUrl);
	const credentials = await finishUserLogin({ims, pending, input: redirect});
	remember(credentials);
	const store = trackedStore();
	store.write(credentials);
	return {store, credentials};
}

export async function s2sLogin(sandbox: Sandbox, clientId: string, clientSecret: string): Promise<{store: CredentialsStore; credentials: StoredCredentials}> {
	const credentials = await loginServerToServer({ims: new ImsClient({imsUrl: sandbox.imsUrl}), clientId, clientSecret});
	remember(credentials);
	const store = trackedStore();
	store.write(credentials);
	return {store, credentials};
}

export function remember(credentials: Partial<StoredCredentials>): void {
	for (const value of [credentials.accessToken, credentials.refreshToken, credentials.clientSecret]) if (value) rememberSecret(value);
}

/** Every file under dir, concatenated (logs, outputs) for secret checks. */
export function readAll(dir: string): string {
	let text = '';
	for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) text += readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
	}
	return text;
}
