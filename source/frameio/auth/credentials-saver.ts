// Keeps the newest credentials saved, whatever the disk does. IMS rotates the refresh token on every refresh and the
// old one dies at once, so a rotated token that is not saved is a lost login: every later refresh, in this process
// or the next, gets invalid_grant. After a refresh (or when the newest login was found in a fallback location):
// - save to the state dir; if that fails (full, read-only), to a fallback on another filesystem (store.write);
// - if nothing takes it, keep it in memory: this process goes on refreshing with it;
// - until it is in the state dir, try again on every use of the token (at most every retryMs), on a timer, and once
//   more when the process exits; health fails meanwhile (saveState()).
// A retry never replaces a newer login another process saved meanwhile: that one is adopted instead.
import type {Logger} from 'pino';
import {describeFsError, isNewer, type CredentialsStore, type StoredCredentials} from '../../config/credentials.js';
import {lockFile} from '../../config/file-lock.js';

export const SAVE_RETRY_MS = 30_000;

/** Where the newest credentials are: in the state dir (all is well), only in a fallback, or only in memory. */
export type SaveState =
	| {where: 'state-dir'}
	| {where: 'fallback'; file: string; problem: string; since: number}
	| {where: 'memory'; problem: string; since: number};

export type CredentialsSaverOptions = {
	logger?: Logger;
	now?: () => number;
	retryMs?: number;
	/** Another process saved a newer login than the one this process holds: use it. */
	onNewerOnDisk(credentials: StoredCredentials): void;
	/** A save failed, or succeeded again after failing: also tell the user (stderr), besides the log. */
	onWarning?: (message: string) => void;
};

export class CredentialsSaver {
	state: SaveState = {where: 'state-dir'};
	private pending: StoredCredentials | null = null;
	private lastTry = Number.NEGATIVE_INFINITY;
	private timer: NodeJS.Timeout | undefined;
	private retrying: Promise<void> | null = null;
	private readonly now: () => number;
	private readonly retryMs: number;
	private readonly onExit = () => {
		if (this.pending) this.attempt();
	};

	constructor(
		private readonly store: CredentialsStore,
		private readonly options: CredentialsSaverOptions,
	) {
		this.now = options.now ?? Date.now;
		this.retryMs = options.retryMs ?? SAVE_RETRY_MS;
	}

	/** Saves credentials newer than anything stored (a refresh just rotated them). Synchronous; never throws. */
	save(credentials: StoredCredentials): void {
		this.pending = credentials;
		this.attempt();
	}

	/** Tries a failed save again now, after any retry in flight (which may have run before the disk was freed). */
	async retryNow(): Promise<void> {
		await this.retrying;
		this.lastTry = Number.NEGATIVE_INFINITY;
		await this.retryIfDue();
	}

	/** Tries a failed save again when retryMs has passed, under the credentials lock when it can be taken. */
	retryIfDue(): Promise<void> {
		if (!this.pending || this.now() - this.lastTry < this.retryMs) return Promise.resolve();
		this.retrying ??= this.retryLocked().finally(() => {
			this.retrying = null;
		});
		return this.retrying;
	}

	dispose(): void {
		this.disarm();
	}

	private async retryLocked(): Promise<void> {
		this.lastTry = this.now();
		let release: (() => Promise<void>) | undefined;
		try {
			release = await lockFile(this.store.path, {staleMs: 15_000, retry: {retries: 10, factor: 1.3, minTimeoutMs: 25, maxTimeoutMs: 500}});
		} catch {
			// The disk that refused the save refuses the lock too: save without it rather than not at all.
		}
		try {
			if (this.pending) this.attempt();
		} finally {
			await release?.().catch(() => undefined);
		}
	}

	private attempt(): void {
		let credentials = this.pending!;
		this.lastTry = this.now();
		const onDisk = this.readQuietly();
		if (onDisk && isNewer(onDisk.credentials, credentials)) {
			// Another process refreshed after us: its refresh token is the live one.
			this.options.onNewerOnDisk(onDisk.credentials);
			if (onDisk.file === this.store.path) return this.settled();
			credentials = this.pending = onDisk.credentials;
		}
		try {
			const result = this.store.write(credentials);
			if (!result.primaryError) return this.settled();
			this.failed({where: 'fallback', file: result.file, problem: describeFsError(result.primaryError), since: this.since()});
		} catch (error) {
			this.failed({where: 'memory', problem: (error as Error).message, since: this.since()});
		}
	}

	private readQuietly(): {credentials: StoredCredentials; file: string} | null {
		try {
			const credentials = this.store.read();
			return credentials && this.store.lastReadFile ? {credentials, file: this.store.lastReadFile} : null;
		} catch {
			return null;
		}
	}

	private since(): number {
		return this.state.where === 'state-dir' ? this.now() : this.state.since;
	}

	private failed(state: Exclude<SaveState, {where: 'state-dir'}>): void {
		const changed = this.state.where !== state.where;
		this.state = state;
		this.arm();
		if (!changed) return;
		const retry = `retried every ${Math.round(this.retryMs / 1000)} s`;
		const message =
			state.where === 'fallback'
				? `cannot save the credentials in ${this.store.path} (${state.problem}): saved in ${state.file} instead until it can (${retry})`
				: `cannot save the credentials anywhere (${state.problem}): the newest refresh token is only in this process's memory and is lost if it ends before a save succeeds (${retry}); free space or fix permissions in ${this.store.stateDir}`;
		this.options.logger?.error({file: this.store.path, where: state.where}, message);
		this.options.onWarning?.(message);
	}

	private settled(): void {
		const was = this.state;
		this.pending = null;
		this.state = {where: 'state-dir'};
		this.disarm();
		if (was.where === 'state-dir') return;
		const message = `credentials saved in ${this.store.path} again`;
		this.options.logger?.info({file: this.store.path}, message);
		this.options.onWarning?.(message);
	}

	private arm(): void {
		if (this.timer) return;
		this.timer = setInterval(() => void this.retryIfDue(), Math.max(1000, this.retryMs));
		// A retry must not keep a finished command alive; the exit hook makes the last attempt.
		this.timer.unref();
		process.once('exit', this.onExit);
	}

	private disarm(): void {
		if (!this.timer) return;
		clearInterval(this.timer);
		this.timer = undefined;
		process.removeListener('exit', this.onExit);
	}
}
