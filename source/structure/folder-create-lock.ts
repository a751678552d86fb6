// The lock find-or-create holds while it creates a folder. In one process, callers asking for the same (parent,
// name) already share one lookup and one create (find-or-create.ts): alone that is the whole lock, and another
// process's duplicate is settled afterwards by re-listing and taking the oldest. In farm mode
// (farm/farm-folder-lock.ts) the lock is one key per (parent, name) in Redis with an expiry and a fencing number:
// two nodes that need the same folder at once create it once.

import type {Folder} from '../frameio/types.js';

export type HeldCreateLock = {
	/**
	 * Another process may have created the folder between our listing and taking the lock (it held the lock
	 * meanwhile): look again, fresh, before creating.
	 */
	readonly lookAgain: boolean;
	/** The folder an earlier holder of this lock said it created (or found), if any: no need to list to know. */
	madeByOther(): Promise<Folder | null>;
	/** Tells the next holders which folder this (parent, name) is. */
	made(folder: Folder): Promise<void>;
	/** The fencing check, right before the create: false when the lock expired or passed to someone else. */
	stillHeld(): Promise<boolean>;
};

export interface FolderCreateLock {
	/** Runs `create` holding the lock of (parent, name), and releases it after. */
	around<T>(parentId: string, name: string, create: (lock: HeldCreateLock) => Promise<T>): Promise<T>;
}

const OWN: HeldCreateLock = {lookAgain: false, madeByOther: async () => null, made: async () => undefined, stillHeld: async () => true};

/** This process's own single flight is the lock: nobody else to wait for. */
export const processLock: FolderCreateLock = {
	around: (_parentId, _name, create) => create(OWN),
};
