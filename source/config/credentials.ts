// The credentials `frameio-admin login` stores: one JSON file in the state dir, written atomically, mode 0600.
// Every secret read from or written to it is registered for redaction at once.
// Plain fs and write-file-atomic rather than conf: conf loads ajv at import (~300 KB of code, on the console's start
// path because every start asks whether credentials exist), and we use none of its schema or migration features.
// The file format is the same JSON conf wrote, so files written by earlier versions still read.
import {chmodSync, existsSync, rmSync, type Stats} from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod';
import {registerSecret} from '../log/redact.js';
import {ensurePrivateDir} from './private-dir.js';
import {readRegularFileWithStats, UnreadableFileError} from './read-regular-file.js';

export const CREDENTIALS_FILE = 'credentials.json';
export const CREDENTIALS_MODE = 0o600;
/** A stored login is well under 8 KiB. */
export const MAX_CREDENTIALS_BYTES = 64 * 1024;

const credentialsSchema = z.object({
	kind: z.enum(['user', 's2s']),
	clientId: z.string().min(1),
	clientSecret: z.string().min(1).optional(),
	accessToken: z.string().min(1),
	refreshToken: z.string().min(1).optional(),
	/** Epoch ms. */
	expiresAt: z.number(),
	/** Epoch ms when the access token was issued; lets short-lived tokens refresh at a fraction of their life. */
	obtainedAt: z.number().optional(),
	imsUrl: z.string().min(1),
	scopes: z.array(z.string()),
});

export type StoredCredentials = z.infer<typeof credentialsSchema>;

export class CredentialsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialsError';
	}
}

export function registerCredentialSecrets(credentials: Partial<StoredCredentials>): void {
	registerSecret(credentials.accessToken);
	registerSecret(credentials.refreshToken);
	registerSecret(credentials.clientSecret);
}

export type CredentialsStoreOptions = {
	/** A problem read() fixed on its way (a file others could read). Default: a line on stderr. */
	onWarning?: (message: string) => void;
};

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

function warnOnStderr(message: string): void {
	process.stderr.write(`frameio-admin: warning: ${message}\n`);
}

export class CredentialsStore {
	readonly path: string;
	/** The mode the file had before read() made it private, for health to report; null when it was private. */
	modeFixedFrom: number | null = null;
	private readonly onWarning: (message: string) => void;

	constructor(
		readonly stateDir: string,
		options: CredentialsStoreOptions = {},
	) {
		this.path = path.join(stateDir, CREDENTIALS_FILE);
		this.onWarning = options.onWarning ?? warnOnStderr;
	}

	exists(): boolean {
		return existsSync(this.path);
	}

	/** The stored credentials, or null when there are none. A damaged file is an error the user must fix. */
	read(): StoredCredentials | null {
		let read: {text: string; stats: Stats} | null;
		try {
			read = readRegularFileWithStats(this.path, {maxBytes: MAX_CREDENTIALS_BYTES, what: 'a credentials file'});
		} catch (error) {
			if (error instanceof UnreadableFileError) throw new CredentialsError(`${this.path} is ${error.problem}: remove it, then run \`frameio-admin login\``);
			throw new CredentialsError(`cannot read ${this.path}: ${(error as Error).message}`);
		}
		if (read === null) return null;
		this.keepPrivate(read.stats);
		let raw: unknown;
		try {
			raw = JSON.parse(read.text);
		} catch {
			throw new CredentialsError(`${this.path} is not valid JSON: run \`frameio-admin logout\` then \`frameio-admin login\``);
		}
		// Register what looks secret before validating, so that even a rejected file never leaks.
		if (raw && typeof raw === 'object') registerCredentialSecrets(raw as Partial<StoredCredentials>);
		const parsed = credentialsSchema.safeParse(raw);
		if (!parsed.success) {
			const fields = parsed.error.issues.map(issue => issue.path.join('.') || '(root)').join(', ');
			throw new CredentialsError(`${this.path} is incomplete or damaged (${fields}): run \`frameio-admin login\` again`);
		}
		return parsed.data;
	}

	write(credentials: StoredCredentials): void {
		registerCredentialSecrets(credentials);
		const valid = credentialsSchema.parse(credentials);
		ensurePrivateDir(this.stateDir);
		// Replace the whole object: a key left over from an older login (a client secret) must not survive.
		writeFileAtomic.sync(this.path, `${JSON.stringify(stripUndefined(valid), undefined, '\t')}\n`, {mode: CREDENTIALS_MODE});
		// write-file-atomic keeps the mode of a file it replaces; an older file written by hand keeps its own, so say it again.
		chmodSync(this.path, CREDENTIALS_MODE);
	}

	/**
	 * A credentials file anyone else can read is made private (0600) with a warning, or refused when that fails
	 * (a read-only disk, another owner): using it would keep the tokens exposed.
	 */
	private keepPrivate(stats: Stats): void {
		if ((stats.mode & 0o077) === 0) return;
		const how = stats.mode & 0o044 ? 'readable by others' : 'writable by others';
		try {
			chmodSync(this.path, CREDENTIALS_MODE);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			throw new CredentialsError(
				`${this.path} is ${how} (mode ${octal(stats.mode)}) and cannot be made private (${code}): run \`chmod 600 ${this.path}\` where it can be changed, or remove it and run \`frameio-admin login\``,
			);
		}
		this.modeFixedFrom = stats.mode & 0o777;
		this.onWarning(`${this.path} was ${how} (mode ${octal(stats.mode)}): set it to ${octal(CREDENTIALS_MODE)}. Whoever read it may hold your tokens: consider \`frameio-admin logout\` and \`frameio-admin login\``);
	}

	/** Deletes the file; true when there was one. */
	clear(): boolean {
		if (!this.exists()) return false;
		rmSync(this.path, {force: true});
		return true;
	}
}

function stripUndefined(value: StoredCredentials): Record<string, unknown> {
	return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}
