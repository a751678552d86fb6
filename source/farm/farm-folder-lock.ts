// No duplicate folders across nodes (structure/folder-create-lock.ts): find-or-create holds the farm's lock on
// (parent, name) (folder-lock.ts: SET NX PX with a fencing number, renewed while held, released only by its owner)
// while it looks again and creates. The holder that creates (or finds) the folder leaves its record under
// `made:folder:<parent>:<name>` before it releases the lock, so that the nodes that waited for the lock take it from
// there instead of each listing the parent again (a folders.list costs one of 5 a second for the whole farm). Redis
// lost: the create goes on as on one box (create, list again, take the oldest), rather than wait.
import type {Logger} from 'pino';
import type {Folder} from '../frameio/types.js';
import type {FolderCreateLock, HeldCreateLock} from '../structure/folder-create-lock.js';
import {isFarmUnavailable} from './farm-error.js';
import type {FarmLink} from './farm-link.js';
import {farmCall} from './farm-error.js';
import {FolderLockLostError, FolderLockTimeoutError, type FolderLock, type HeldFolderLock} from './folder-lock.js';
import type {FarmConnection} from './redis-settings.js';

export type FarmFolderLockOptions = {
	/** The lock's expiry (renewed every third of it while held). */
	ttlMs: number;
	/** How long to wait for another node's create; default 4 × ttlMs. */
	waitMs?: number;
	/**
	 * How long the record of a made folder stands: long enough for the nodes that listed before the create and waited
	 * for the lock, short enough that a folder deleted later is not handed out from it. Default: the wait.
	 */
	recordMs?: number;
	logger?: Logger;
};

const ALONE: HeldCreateLock = {lookAgain: false, madeByOther: async () => null, made: async () => undefined, stillHeld: async () => true};

export class FarmFolderLock implements FolderCreateLock {
	constructor(
		private readonly connection: FarmConnection,
		private readonly lock: FolderLock,
		private readonly link: FarmLink,
		private readonly options: FarmFolderLockOptions,
	) {}

	private get waitMs(): number {
		return this.options.waitMs ?? 4 * this.options.ttlMs;
	}

	async around<T>(parentId: string, name: string, create: (lock: HeldCreateLock) => Promise<T>): Promise<T> {
		if (!this.link.available) return create(ALONE);
		let started = false;
		try {
			return await this.lock.withLock(
				parentId,
				name,
				held => {
					started = true;
					return create(this.heldLock(held, parentId, name));
				},
				{ttlMs: this.options.ttlMs, waitMs: this.waitMs},
			);
		} catch (error) {
			if (started) throw error;
			if (isFarmUnavailable(error)) return create(ALONE);
			if (error instanceof FolderLockTimeoutError) {
				// A node holds it far longer than a create takes (stuck, not dead: a dead one's lock expires).
				this.options.logger?.warn({parentId, name}, `${error.message}; creating without the lock (a duplicate is settled by taking the oldest)`);
				return create({...ALONE, lookAgain: true});
			}
			throw error;
		}
	}

	private heldLock(held: HeldFolderLock, parentId: string, name: string): HeldCreateLock {
		const redis = this.connection.redis;
		const key = madeKey(parentId, name);
		return {
			// Another node may have created the folder and released the lock between our listing and our acquisition.
			lookAgain: true,
			madeByOther: async () => {
				try {
					const text = await farmCall(redis, 'folder record', () => redis.get(key));
					return text ? parseFolder(text, parentId, name) : null;
				} catch {
					return null;
				}
			},
			made: async folder => {
				await farmCall(redis, 'folder record', () => redis.set(key, JSON.stringify(folder), 'PX', this.options.recordMs ?? this.waitMs)).catch(() => undefined);
			},
			stillHeld: () => stillHeld(held),
		};
	}
}

export function madeKey(parentId: string, name: string): string {
	return `made:folder:${encodeURIComponent(parentId)}:${encodeURIComponent(name)}`;
}

/** A record another node wrote: used only when it is the folder asked for. */
function parseFolder(text: string, parentId: string, name: string): Folder | null {
	try {
		const folder = JSON.parse(text) as Folder;
		return folder && typeof folder.id === 'string' && folder.name === name && folder.parent_id === parentId ? folder : null;
	} catch {
		return null;
	}
}

async function stillHeld(held: HeldFolderLock): Promise<boolean> {
	try {
		await held.assertHeld();
		return true;
	} catch (error) {
		if (error instanceof FolderLockLostError) return false;
		// Redis away at this very moment: the lock may still stand; go on as one box would.
		if (isFarmUnavailable(error)) return true;
		throw error;
	}
}
