import {statSync, writeFileSync, chmodSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {CredentialsError, type StoredCredentials} from '../../source/config/credentials.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {removeStores, trackedStore} from './helpers.js';

afterEach(removeStores);

const sample = (): StoredCredentials => ({
	kind: 'user',
	clientId: 'client-1',
	accessToken: rememberSecret(`at_${Math.random().toString(36).slice(2)}_long_enough`),
	refreshToken: rememberSecret(`rt_${Math.random().toString(36).slice(2)}_long_enough`),
	expiresAt: Date.now() + 3_600_000,
	obtainedAt: Date.now(),
	imsUrl: 'https://ims-na1.adobelogin.com',
	scopes: ['openid', 'offline_access'],
});

describe('CredentialsStore', () => {
	it('writes credentials.json with mode 0600 and reads them back', () => {
		const store = trackedStore();
		expect(store.read()).toBeNull();
		const credentials = sample();
		store.write(credentials);
		expect(statSync(store.path).mode & 0o777).toBe(0o600);
		expect(store.read()).toEqual(credentials);
	});

	it('keeps mode 0600 when rewriting a file that had looser permissions, and drops fields of an older login', () => {
		const store = trackedStore();
		store.write({...sample(), clientSecret: rememberSecret('old-client-secret-value')});
		chmodSync(store.path, 0o644);
		const next = sample();
		store.write(next);
		expect(statSync(store.path).mode & 0o777).toBe(0o600);
		expect(store.read()).toEqual(next);
		expect(store.read()!.clientSecret).toBeUndefined();
	});

	it('clear() deletes the file and says whether there was one', () => {
		const store = trackedStore();
		store.write(sample());
		expect(store.clear()).toBe(true);
		expect(store.exists()).toBe(false);
		expect(store.clear()).toBe(false);
	});

	it('reports a damaged file without printing its secrets', () => {
		const store = trackedStore();
		const token = rememberSecret('at_damaged_file_secret_value');
		writeFileSync(store.path, JSON.stringify({kind: 'user', accessToken: token}));
		expect(() => store.read()).toThrow(CredentialsError);
		try {
			store.read();
		} catch (error) {
			expect((error as Error).message).toMatch(/incomplete or damaged \(clientId, expiresAt, imsUrl, scopes\)/);
			expect((error as Error).message).not.toContain(token);
		}
		writeFileSync(store.path, '{not json');
		expect(() => store.read()).toThrow(/not valid JSON/);
	});
});
