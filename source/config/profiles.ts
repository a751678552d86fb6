// Cached data and the upload queue belong to one identity: an API origin and the account user the token acts as.
// Each identity has its own folder in the state dir, so that a wrong token, another host or the sandbox never reads
// another's data:
//   <state>/sandbox/                      the built-in sandbox (it starts from its seed on every run)
//   <state>/api/<host>/<user id>/         a real API (api.frame.io, or FRAMEIO_API_URL), per account user
// identities.json remembers the last user seen on each origin: the only way to name a cache without asking the API
// (`cache stats`, or --stale-ok while the API is out of reach).
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import {ensurePrivateDir} from '../log/private-dir.js';

/** `origin` is the API's origin (https://api.frame.io), or 'sandbox' for the built-in one. */
export type ApiIdentity = {origin: string; userId: string; userName?: string};

export const SANDBOX_ORIGIN = 'sandbox';
const IDENTITIES_FILE = 'identities.json';

/** A folder name from an origin or an id: letters, digits, dot, dash and underscore only. */
function slug(text: string): string {
	return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || '_';
}

/** The host of an origin, with its port: `api.frame.io`, `127.0.0.1_4000`. */
export function originHost(origin: string): string {
	if (origin === SANDBOX_ORIGIN) return SANDBOX_ORIGIN;
	try {
		return new URL(origin).host;
	} catch {
		return origin;
	}
}

export function profileDir(stateDir: string, identity: Pick<ApiIdentity, 'origin' | 'userId'>): string {
	if (identity.origin === SANDBOX_ORIGIN) return path.join(stateDir, 'sandbox');
	return path.join(stateDir, 'api', slug(originHost(identity.origin)), slug(identity.userId));
}

/** How a person names the identity: "the sandbox", "api.frame.io as Camille Laurent". */
export function describeIdentity(identity: ApiIdentity): string {
	if (identity.origin === SANDBOX_ORIGIN) return 'the built-in sandbox';
	return `${originHost(identity.origin)} as ${identity.userName ?? `user ${identity.userId}`}`;
}

export type RememberedIdentity = {userId: string; userName?: string; seenAt: string};

export class IdentityBook {
	readonly file: string;

	constructor(private readonly stateDir: string) {
		this.file = path.join(stateDir, IDENTITIES_FILE);
	}

	/** The last user seen on this origin; undefined when none (or the file is unreadable: it is only a memory). */
	lastFor(origin: string): ApiIdentity & {seenAt: string} | undefined {
		const found = this.read()[origin];
		return found ? {origin, userId: found.userId, userName: found.userName, seenAt: found.seenAt} : undefined;
	}

	remember(identity: ApiIdentity, now = new Date()): void {
		if (identity.origin === SANDBOX_ORIGIN) return;
		const all = this.read();
		const previous = all[identity.origin];
		if (previous?.userId === identity.userId && previous.userName === identity.userName && now.getTime() - Date.parse(previous.seenAt) < 3_600_000) return;
		all[identity.origin] = {userId: identity.userId, userName: identity.userName, seenAt: now.toISOString()};
		try {
			ensurePrivateDir(this.stateDir);
			writeFileAtomic.sync(this.file, `${JSON.stringify(all, null, 2)}\n`, {mode: 0o600});
		} catch {
			// A full or read-only disk: the identity is still known for this run; only --stale-ok later loses it.
		}
	}

	private read(): Record<string, RememberedIdentity> {
		try {
			const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
			return parsed && typeof parsed === 'object' ? (parsed as Record<string, RememberedIdentity>) : {};
		} catch {
			return {};
		}
	}
}

const PROFILE_FILE = 'identity.json';

/** Writes who a profile folder belongs to, so that a listing of the state dir can name it. */
export function recordProfile(dir: string, identity: ApiIdentity): void {
	const file = path.join(dir, PROFILE_FILE);
	try {
		const text = `${JSON.stringify({origin: identity.origin, userId: identity.userId, userName: identity.userName ?? null})}\n`;
		if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
		ensurePrivateDir(dir);
		writeFileAtomic.sync(file, text, {mode: 0o600});
	} catch {
		// Only a label for listings: a full disk must not fail the run.
	}
}

/** Every identity folder under the state dir, with who it belongs to (as far as its identity.json says). */
export function listProfiles(stateDir: string): Array<{identity: ApiIdentity; dir: string}> {
	const found: Array<{identity: ApiIdentity; dir: string}> = [];
	const sandbox = path.join(stateDir, 'sandbox');
	if (existsSync(sandbox)) found.push({identity: {origin: SANDBOX_ORIGIN, userId: 'sandbox'}, dir: sandbox});
	const api = path.join(stateDir, 'api');
	for (const host of safeList(api)) {
		for (const user of safeList(path.join(api, host))) {
			const dir = path.join(api, host, user);
			found.push({identity: readProfile(dir) ?? {origin: host, userId: user}, dir});
		}
	}
	return found;
}

function readProfile(dir: string): ApiIdentity | undefined {
	try {
		const parsed = JSON.parse(readFileSync(path.join(dir, PROFILE_FILE), 'utf8')) as {origin?: unknown; userId?: unknown; userName?: unknown};
		if (typeof parsed.origin !== 'string' || typeof parsed.userId !== 'string') return undefined;
		return {origin: parsed.origin, userId: parsed.userId, ...(typeof parsed.userName === 'string' ? {userName: parsed.userName} : {})};
	} catch {
		return undefined;
	}
}

function safeList(dir: string): string[] {
	try {
		return readdirSync(dir).filter(name => statSync(path.join(dir, name)).isDirectory());
	} catch {
		return [];
	}
}
