// A login is never lost to a disk fault (issue 12). With the state dir full (ENOSPC) or read-only (EROFS) during a
// token refresh, IMS rotated the refresh token, the save failed, the new token was dropped, and every later refresh
// got invalid_grant, even after the disk was freed. Now the rotated token stays in memory (and keeps working), goes
// to a fallback location, is saved again as soon as the disk allows, and health fails meanwhile.
// Real faults: a tmpfs state dir filled with one file, or remounted read-only. Real refreshes: the sandbox's IMS over
// HTTP, which rotates refresh tokens (a used one is dead at once).
import {existsSync, readdirSync, rmSync} from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {CredentialsStore, type StoredCredentials} from '../../source/config/credentials.js';
import {ImsClient} from '../../source/frameio/auth/ims-client.js';
import {finishUserLogin, followSandboxAuthorize, startUserLogin} from '../../source/frameio/auth/login-flow.js';
import {StoredTokenProvider} from '../../source/frameio/auth/stored-token.js';
import {createFrameioClient} from '../../source/frameio/client.js';
import {credentialsCheck} from '../../source/health/checks/credentials-checks.js';
import {createLogging, type Logging} from '../../source/log/logger.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {testConfig} from '../frameio/helpers.js';
import {runCli} from '../helpers/run-cli.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {mountTmpfs, tmpfsAvailable, tmpfsNote, type Tmpfs} from '../helpers/tmpfs.js';
import {imsCalls, readAll, remember} from './helpers.js';

let sandbox: Sandbox;
let logging: Logging;
let logsDir: string;
const disks: Tmpfs[] = [];
const secretDirs: string[] = [];
const providers: StoredTokenProvider[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({enforceRateLimits: false, imsClients: [{clientId: 'sandbox-client'}]});
	rememberSecret(sandbox.token);
	logsDir = testDir('fault-logs');
	logging = createLogging({logsDir});
});
afterEach(() => {
	for (const provider of providers.splice(0)) provider.dispose();
	for (const disk of disks.splice(0)) {
		disk.readWrite();
		disk.unmount();
	}
	// Fallback files hold tokens: none may outlive its test (the end-of-run scan looks for them everywhere).
	for (const dir of secretDirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});
afterAll(async () => {
	logging.close();
	await sandbox.close();
});

function stateDisk(): Tmpfs {
	const disk = mountTmpfs('fault-state');
	disks.push(disk);
	return disk;
}

function fallbackDir(): string {
	const dir = testDir('fault-fallback');
	secretDirs.push(dir);
	return path.join(dir, 'frameio-admin-test', 'key');
}

async function login(): Promise<StoredCredentials> {
	const ims = new ImsClient({imsUrl: sandbox.imsUrl});
	const {pending, authorizeUrl} = startUserLogin({ims, clientId: 'sandbox-client'});
	const credentials = await finishUserLogin({ims, pending, input: await followSandboxAuthorize(authorizeUrl)});
	remember(credentials);
	return credentials;
}

function provider(store: CredentialsStore, saveRetryMs?: number): StoredTokenProvider {
	const made = new StoredTokenProvider({store, logger: logging.get('frameio.app'), saveRetryMs});
	providers.push(made);
	return made;
}

const client = (auth: StoredTokenProvider) => createFrameioClient({baseUrl: sandbox.url, auth, config: testConfig(), logger: logging.get('frameio.api')});

/** A 401 from the API: every token the sandbox issued is expired, so the next call refreshes. */
async function meAfterExpiry(auth: StoredTokenProvider): Promise<string> {
	sandbox.expireAllTokens();
	const api = client(auth);
	try {
		return (await api.me()).id;
	} finally {
		api.close();
	}
}

const faults = [
	{name: 'full (ENOSPC)', code: 'ENOSPC', apply: (disk: Tmpfs) => disk.fill(), undo: (disk: Tmpfs) => disk.free()},
	{name: 'read-only (EROFS)', code: 'EROFS', apply: (disk: Tmpfs) => disk.readOnly(), undo: (disk: Tmpfs) => disk.readWrite()},
];

describe('a token refresh while the state dir cannot be written', () => {
	it.skipIf(!tmpfsAvailable).each(faults)(`state dir $name: the rotated token works in memory, goes to the fallback, and the next process refreshes${tmpfsNote}`, async fault => {
		const disk = stateDisk();
		const fallback = fallbackDir();
		const store = () => new CredentialsStore(disk.dir, {fallbackDirs: [fallback]});
		store().write(await login());
		fault.apply(disk);

		const first = provider(store());
		const start = sandbox.requests.length;
		expect(await meAfterExpiry(first)).toBe(sandbox.ids.userId);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		expect(first.saveState()).toMatchObject({where: 'fallback', file: path.join(fallback, 'credentials.json')});
		expect((first.saveState() as {problem: string}).problem).toContain(fault.code);
		// Health fails, naming where the token is and why.
		const check = await credentialsCheck(first).run({signal: new AbortController().signal, outcomeOf: async () => undefined});
		expect(check.status).toBe('fail');
		expect(check.reason).toContain(`only in ${path.join(fallback, 'credentials.json')}`);
		// The same process refreshes again with the rotated token it holds.
		expect(await meAfterExpiry(first)).toBe(sandbox.ids.userId);
		remember(first.current());

		fault.undo(disk);
		// The next process finds the newest login in the fallback, moves it home, and refreshes with it.
		const next = provider(store());
		expect(next.saveState()).toEqual({where: 'state-dir'});
		expect(existsSync(path.join(fallback, 'credentials.json'))).toBe(false);
		expect(await meAfterExpiry(next)).toBe(sandbox.ids.userId);
		remember(next.current());
		// (Compared as booleans: a failing toBe would print the tokens.)
		expect(new CredentialsStore(disk.dir, {fallbackDirs: [fallback]}).read()!.accessToken === next.current().accessToken).toBe(true);
	});

	it.skipIf(!tmpfsAvailable)(`nowhere to save (the fallback full too): kept in memory, health fails, saved once the disk is freed${tmpfsNote}`, async () => {
		const disk = stateDisk();
		// The fallback is on the same full disk.
		const store = () => new CredentialsStore(disk.dir, {fallbackDirs: [path.join(disk.dir, 'fallback', 'key')]});
		store().write(await login());
		disk.fill();

		const holder = provider(store(), 0);
		expect(await meAfterExpiry(holder)).toBe(sandbox.ids.userId);
		expect(holder.saveState()).toMatchObject({where: 'memory'});
		const check = await credentialsCheck(holder).run({signal: new AbortController().signal, outcomeOf: async () => undefined});
		expect(check.status).toBe('fail');
		expect(check.reason).toMatch(/^the newest refresh token is only in this process's memory: it could not be saved \(cannot save .*credentials\.json \(ENOSPC: no space left on device\)/);
		// Still refreshing with the token only memory holds.
		expect(await meAfterExpiry(holder)).toBe(sandbox.ids.userId);
		remember(holder.current());

		disk.free();
		await holder.retrySave();
		expect(holder.saveState(), JSON.stringify(holder.saveState())).toEqual({where: 'state-dir'});
		const next = provider(store());
		expect(await meAfterExpiry(next)).toBe(sandbox.ids.userId);
		remember(next.current());
		expect(readAll(logsDir)).toContain('cannot save the credentials anywhere');
	});

	it.skipIf(!tmpfsAvailable)(`a retry never overwrites a newer login another process saved meanwhile${tmpfsNote}`, async () => {
		const disk = stateDisk();
		const fallback = fallbackDir();
		const store = () => new CredentialsStore(disk.dir, {fallbackDirs: [fallback]});
		store().write(await login());
		disk.readOnly();
		// Its own retry timer stays out of the way (a minute): on a loaded machine it could save before the other
		// process refreshes, and this test is about the retry that comes after.
		const stale = provider(store(), 60_000);
		expect(await meAfterExpiry(stale)).toBe(sandbox.ids.userId);
		expect(stale.saveState().where).toBe('fallback');
		disk.readWrite();

		// Another process refreshes first, from the fallback, and saves in the state dir.
		const other = provider(store());
		expect(await meAfterExpiry(other)).toBe(sandbox.ids.userId);
		remember(other.current());
		// The first process's retry finds the newer login, takes it, and leaves the file alone.
		await stale.retrySave();
		expect(stale.current().refreshToken === other.current().refreshToken, 'the first process holds the newer login').toBe(true);
		expect(store().read()!.refreshToken === other.current().refreshToken, 'the state dir holds the newer login').toBe(true);
		expect(await meAfterExpiry(stale)).toBe(sandbox.ids.userId);
		remember(stale.current());
	});
});

describe('the CLI across processes', () => {
	it.skipIf(!tmpfsAvailable)(`fills the disk during a refresh, frees it, and the next process refreshes${tmpfsNote}`, async () => {
		const disk = stateDisk();
		const tmp = testDir('fault-tmpdir');
		secretDirs.push(tmp);
		// An hour-long token with a minute left: due for a refresh (5 minutes before expiry).
		new CredentialsStore(disk.dir, {fallbackDirs: []}).write({...(await login()), obtainedAt: Date.now() - 3_600_000, expiresAt: Date.now() + 60_000});
		const config = testDir('fault-config');
		const args = ['--state-dir', disk.dir, '--logs-dir', testDir('fault-cli-logs'), '--config', config];
		const env = {FRAMEIO_API_URL: sandbox.url, TMPDIR: tmp, XDG_RUNTIME_DIR: undefined};

		disk.fill();
		// Within 5 minutes of expiry: whoami refreshes first; the state dir is full.
		const start = sandbox.requests.length;
		const during = await runCli(['whoami', ...args], {env});
		expect(during.code, during.stderr).toBe(0);
		expect(imsCalls(sandbox, start)).toHaveLength(1);
		expect(during.stderr).toMatch(/frameio-admin: warning: cannot save the credentials in .*credentials\.json \(ENOSPC: no space left on device\): saved in .*fault-tmpdir.*credentials\.json instead/);

		const health = await runCli(['health', '--json', ...args], {env});
		const report = JSON.parse(health.stdout) as {checks: Array<{id: string; status: string; reason: string}>};
		expect(report.checks.find(each => each.id === 'credentials')).toMatchObject({status: 'fail'});
		expect(health.code).toBe(1);

		disk.free();
		sandbox.expireAllTokens();
		const after = await runCli(['whoami', ...args], {env});
		expect(after.code, after.stderr).toBe(0);
		expect(after.stdout).toContain('Camille Laurent');
		const stored = new CredentialsStore(disk.dir, {fallbackDirs: []}).read()!;
		remember(stored);
		expect(stored.obtainedAt).toBeGreaterThan(Date.now() - 30_000);
		// Back home: nothing left in the fallback.
		expect(readdirSync(tmp, {recursive: true}).filter(name => String(name).endsWith('credentials.json'))).toEqual([]);
	});
});
