// No duplicate folders across nodes (structure/folder-create-lock.ts): find-or-create holds the farm's lock on
// (parent, name) (folder-lock.ts: SET NX PX with a fencing number, renewed while held, released only by its owner)
// while it looks again and creates. Redis lost: the create goes on as on one box (create, list again, take the
// oldest), rather than wait.
import type {Logger} from 'pino';
import type {FolderCreateLock, HeldCreateLock} from '../structure/folder-create-lock.js';
import {isFarmUnavailable} from './farm-error.js';
import type {FarmLink} from './farm-link.js';
import {FolderLockLostError, FolderLockTimeoutError, type FolderLock, type HeldFolderLock} from './folder-lock.js';

export type FarmFolderLockOptions = {
	/** The lock's expiry (renewed every third of it while held). */
	ttlMs: number;
	/** How long to wait for another node's create; default 4 × ttlMs. */
	waitMs?: number;
	logger?: Logger;
};

const ALONE: HeldCreateLock = {lookAgain: false, stillHeld: async () => true};

export class FarmFolderLock implements FolderCreateLock {
	constructor(
		private readonly lock: FolderLock,
		private readonly link: FarmLink,
		private readonly options: FarmFolderLockOptions,
	) {}

	async around<T>(parentId: string, name: string, create: (lock: HeldCreateLock) => Promise<T>): Promise<T> {
		if (!this.link.available) return create(ALONE);
		let started = false;
		try {
			return await this.lock.withLock(
				parentId,
				name,
				held => {
					started = true;
					return create(heldLock(held));
				},
				{ttlMs: this.options.ttlMs, waitMs: this.options.waitMs ?? 4 * this.options.ttlMs},
			);
		} catch (error) {
			if (started) throw error;
			if (isFarmUnavailable(error)) return create(ALONE);
			if (error instanceof FolderLockTimeoutError) {
				// A node holds it far longer than a create takes (stuck, not dead: a dead one's lock expires).
				this.options.logger?.warn({parentId, name}, `${error.message}; creating without the lock (a duplicate is settled by taking the oldest)`);
				return create({lookAgain: true, stillHeld: async () => true});
			}
			throw error;
		}
	}
}

function heldLock(held: HeldFolderLock): HeldCreateLock {
	return {
		// Another node may have created the folder and released the lock between our listing and our acquisition.
		lookAgain: true,
		async stillHeld() {
			try {
				await held.assertHeld();
				return true;
			} catch (error) {
				if (error instanceof FolderLockLostError) return false;
				// Redis away at this very moment: the lock may still stand; go on as one box would.
				if (isFarmUnavailable(error)) return true;
				throw error;
			}
		},
	};
}
