// What happens to a file once its bytes land: a running SHA-256 over the parts in order (so the checksum is
// nearly done when the last part arrives, even for a 1 GiB file), then created → uploaded → transcoded.
import {createHash, type Hash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import type {SandboxStore, FileRecord} from './store.js';
import {now, partPath} from './store.js';
import type {Timers} from './timers.js';

type HashState = {generation: number; next: number; hash: Hash; running: boolean; done: boolean};

export class UploadLifecycle {
	private readonly hashes = new WeakMap<FileRecord, HashState>();

	constructor(
		private readonly store: SandboxStore,
		private readonly timers: Timers,
		private readonly transcodeDelayMs: number,
	) {}

	/** Call after a part's bytes are in place (and after `received`/`generation` are updated). */
	partLanded(record: FileRecord): void {
		record.uploadedAt ??= now();
		void this.pump(record);
	}

	failed(record: FileRecord): void {
		record.failed = true;
		record.file.updated_at = now();
	}

	private async pump(record: FileRecord): Promise<void> {
		const parts = record.parts;
		if (!parts) return;
		let state = this.hashes.get(record);
		if (!state || state.generation !== parts.generation) {
			state = {generation: parts.generation, next: 1, hash: createHash('sha256'), running: false, done: false};
			this.hashes.set(record, state);
		}
		if (state.running || state.done) return;
		state.running = true;
		try {
			while (state.next <= parts.sizes.length && parts.received.has(state.next)) {
				await hashInto(state.hash, partPath(parts, state.next));
				if (this.hashes.get(record) !== state || parts.generation !== state.generation) return;
				state.next++;
			}
			if (state.next > parts.sizes.length && this.store.fileRecord(record.file.id) === record) {
				record.sha256 = state.hash.digest('hex');
				state.done = true;
				this.complete(record);
			}
		} catch {
			// The file was deleted while hashing: nothing left to finish.
		} finally {
			state.running = false;
			if (parts.generation !== state.generation) void this.pump(record);
		}
	}

	private complete(record: FileRecord): void {
		if (record.complete) return; // a replaced part after completion only refreshes the checksum
		record.complete = true;
		record.completedAt = now();
		this.store.setFileStatus(record.file.id, 'uploaded');
		this.timers.after(this.transcodeDelayMs, () => {
			if (this.store.fileRecord(record.file.id) === record) this.store.setFileStatus(record.file.id, 'transcoded');
		});
	}
}

function hashInto(hash: Hash, file: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const stream = createReadStream(file, {highWaterMark: 1024 * 1024});
		stream.on('data', chunk => hash.update(chunk));
		stream.on('end', resolve);
		stream.on('error', reject);
	});
}
