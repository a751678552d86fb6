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
import {fallbackCredentialDirs, isTrustedFallbackDir, prepareFallbackDir} from './credentials-fallback.js';
import {ensurePrivateDir} from '../log/private-dir.js';
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
	/** Where a save goes when the state dir cannot take it; default fallbackCredentialDirs(stateDir). */
	fallbackDirs?: string[];
};

/** Where write() put the credentials: the state dir, or a fallback when the state dir failed (`primaryError`). */
export type SaveResult = {file: string; primaryError?: Error};

/** Nowhere could take the credentials: the state dir and every fallback failed. */
export class CredentialsSaveError extends Error {
	constructor(
		readonly file: string,
		readonly primaryError: Error,
		readonly fallbackErrors: Array<{dir: string; error: Error}>,
	) {
		const elsewhere = fallbackErrors.map(each => `${each.dir}: ${describeFsError(each.error)}`).join('; ');
		super(`cannot save ${file} (${describeFsError(primaryError)})${elsewhere ? `, nor in ${elsewhere}` : ''}`);
		this.name = 'CredentialsSaveError';
	}
}

export function describeFsError(error: Error): string {
	const code = (error as NodeJS.ErrnoException).code;
	const reasons: Record<string, string> = {ENOSPC: 'no space left on device', EROFS: 'read-only file system', EACCES: 'permission denied', EDQUOT: 'disk quota exceeded'};
	return code && reasons[code] ? `${code}: ${reasons[code]}` : error.message;
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/** Which of two logins is newer: the one whose token was obtained last (files of older versions count as oldest). */
export function isNewer(a: StoredCredentials, b: StoredCredentials): boolean {
	return (a.obtainedAt ?? 0) > (b.obtainedAt ?? 0);
}

function warnOnStderr(message: string): void {
	process.stderr.write(`frameio-admin: warning: ${message}\n`);
}

export class CredentialsStore {
	/** `<stateDir>/credentials.json`, where the credentials belong. */
	readonly path: string;
	readonly fallbackDirs: readonly string[];
	/** The mode the file had before read() made it private, for health to report; null when it was private. */
	modeFixedFrom: number | null = null;
	/** The file the last read() took the credentials from (a fallback when it held a newer login). */
	lastReadFile: string | null = null;
	private readonly onWarning: (message: string) => void;

	constructor(
		readonly stateDir: string,
		options: CredentialsStoreOptions = {},
	) {
		this.path = path.join(stateDir, CREDENTIALS_FILE);
		this.onWarning = options.onWarning ?? warnOnStderr;
		this.fallbackDirs = options.fallbackDirs ?? fallbackCredentialDirs(stateDir);
	}

	/** The fallback files that exist now (in trusted directories). */
	fallbackFiles(): string[] {
		return this.fallbackDirs.filter(dir => existsSync(path.join(dir, CREDENTIALS_FILE)) && isTrustedFallbackDir(dir)).map(dir => path.join(dir, CREDENTIALS_FILE));
	}

	exists(): boolean {
		return existsSync(this.path) || this.fallbackFiles().length > 0;
	}

	/**
	 * The newest stored credentials (the state dir's, or a fallback's when a save could only go there), or null when
	 * there are none. A damaged file in the state dir is an error the user must fix; a damaged fallback is ignored.
	 */
	read(): StoredCredentials | null {
		let newest: {credentials: StoredCredentials; file: string} | null = null;
		const primary = this.readFile(this.path);
		if (primary) newest = {credentials: primary, file: this.path};
		for (const file of this.fallbackFiles()) {
			let credentials: StoredCredentials | null;
			try {
				credentials = this.readFile(file);
			} catch {
				continue;
			}
			if (credentials && (!newest || isNewer(credentials, newest.credentials))) newest = {credentials, file};
		}
		this.lastReadFile = newest?.file ?? null;
		return newest?.credentials ?? null;
	}

	/**
	 * Saves to the state dir; when that fails (a full or read-only disk), to the first fallback that takes it, and
	 * says so in the result. Throws CredentialsSaveError when nothing could take it. A save that reaches the state
	 * dir removes the fallbacks, which are older by then.
	 */
	write(credentials: StoredCredentials): SaveResult {
		registerCredentialSecrets(credentials);
		const valid = credentialsSchema.parse(credentials);
		const text = `${JSON.stringify(stripUndefined(valid), undefined, '\t')}\n`;
		try {
			ensurePrivateDir(this.stateDir);
			writePrivate(this.path, text);
		} catch (error) {
			return {file: this.writeFallback(text, error as Error), primaryError: error as Error};
		}
		this.removeFallbacks();
		return {file: this.path};
	}

	/** Deletes the file and any fallback; true when there was one. */
	clear(): boolean {
		const files = [this.path, ...this.fallbackFiles()].filter(file => existsSync(file));
		for (const file of files) rmSync(file, {force: true});
		return files.length > 0;
	}

	private writeFallback(text: string, primaryError: Error): string {
		const failures: Array<{dir: string; error: Error}> = [];
		for (const dir of this.fallbackDirs) {
			try {
				prepareFallbackDir(dir);
				const file = path.join(dir, CREDENTIALS_FILE);
				writePrivate(file, text);
				return file;
			} catch (error) {
				failures.push({dir, error: error as Error});
			}
		}
		throw new CredentialsSaveError(this.path, primaryError, failures);
	}

	private removeFallbacks(): void {
		for (const file of this.fallbackFiles()) rmSync(file, {force: true});
	}

	private readFile(file: string): StoredCredentials | null {
		let read: {text: string; stats: Stats} | null;
		try {
			read = readRegularFileWithStats(file, {maxBytes: MAX_CREDENTIALS_BYTES, what: 'a credentials file'});
		} catch (error) {
			if (error instanceof UnreadableFileError) throw new CredentialsError(`${file} is ${error.problem}: remove it, then run \`frameio-admin login\``);
			throw new CredentialsError(`cannot read ${file}: ${(error as Error).message}`);
		}
		if (read === null) return null;
		this.keepPrivate(file, read.stats);
		let raw: unknown;
		try {
			raw = JSON.parse(read.text);
		} catch {
			throw new CredentialsError(`${file} is not valid JSON: run \`frameio-admin logout\` then \`frameio-admin login\``);
		}
		// Register what looks secret before validating, so that even a rejected file never leaks.
		if (raw && typeof raw === 'object') registerCredentialSecrets(raw as Partial<StoredCredentials>);
		const parsed = credentialsSchema.safeParse(raw);
		if (!parsed.success) {
			const fields = parsed.error.issues.map(issue => issue.path.join('.') || '(root)').join(', ');
			throw new CredentialsError(`${file} is incomplete or damaged (${fields}): run \`frameio-admin login\` again`);
		}
		return parsed.data;
	}

	/**
	 * A credentials file anyone else can read is made private (0600) with a warning, or refused when that fails
	 * (a read-only disk, another owner): using it would keep the tokens exposed.
	 */
	private keepPrivate(file: string, stats: Stats): void {
		if ((stats.mode & 0o077) === 0) return;
		const how = stats.mode & 0o044 ? 'readable by others' : 'writable by others';
		try {
			chmodSync(file, CREDENTIALS_MODE);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			throw new CredentialsError(
				`${file} is ${how} (mode ${octal(stats.mode)}) and cannot be made private (${code}): run \`chmod 600 ${file}\` where it can be changed, or remove it and run \`frameio-admin login\``,
			);
		}
		this.modeFixedFrom = stats.mode & 0o777;
		this.onWarning(`${file} was ${how} (mode ${octal(stats.mode)}): set it to ${octal(CREDENTIALS_MODE)}. Whoever read it may hold your tokens: consider \`frameio-admin logout\` and \`frameio-admin login\``);
	}
}

/** Atomically (temp file, rename), mode 0600 even over an older file with another mode. */
function writePrivate(file: string, text: string): void {
	writeFileAtomic.sync(file, text, {mode: CREDENTIALS_MODE});
	// write-file-atomic keeps the mode of a file it replaces; an older file written by hand keeps its own, so say it again.
	chmodSync(file, CREDENTIALS_MODE);
}

function stripUndefined(value: StoredCredentials): Record<string, unknown> {
	return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}
