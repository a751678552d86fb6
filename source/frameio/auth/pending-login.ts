// A login in progress: the PKCE verifier and state between printing the authorize URL and receiving the code.
// Kept in the state dir (mode 0600, ten minutes) so that the two halves can run as separate commands
// (`login --print-url`, then `login --redirect-url URL`), e.g. from a script or across an SSH reconnect.
import {rmSync} from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import {ensurePrivateDir} from '../../log/private-dir.js';
import {readRegularFile} from '../../config/read-regular-file.js';
import {registerSecret} from '../../log/redact.js';

export const PENDING_LOGIN_FILE = 'login-pending.json';
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;

export type PendingLogin = {
	clientId: string;
	redirectUri: string;
	imsUrl: string;
	scopes: string[];
	verifier: string;
	state: string;
	createdAt: number;
};

export function pendingLoginPath(stateDir: string): string {
	return path.join(stateDir, PENDING_LOGIN_FILE);
}

export async function savePendingLogin(stateDir: string, pending: PendingLogin): Promise<void> {
	registerSecret(pending.verifier);
	ensurePrivateDir(stateDir);
	await writeFileAtomic(pendingLoginPath(stateDir), `${JSON.stringify(pending)}\n`, {mode: 0o600});
}

/** The pending login, or null when there is none, it is stale, or it is unreadable. */
export function loadPendingLogin(stateDir: string, now = Date.now()): PendingLogin | null {
	try {
		// A FIFO or a device there counts as unreadable, like a damaged file: never a blocking read.
		const text = readRegularFile(pendingLoginPath(stateDir), {maxBytes: 64 * 1024, what: 'a pending login'});
		if (text === null) return null;
		const value = JSON.parse(text) as PendingLogin;
		if (typeof value.verifier !== 'string' || typeof value.state !== 'string' || typeof value.clientId !== 'string') return null;
		registerSecret(value.verifier);
		if (now - value.createdAt > PENDING_LOGIN_TTL_MS) return null;
		return value;
	} catch {
		return null;
	}
}

export function clearPendingLogin(stateDir: string): void {
	rmSync(pendingLoginPath(stateDir), {force: true});
}
