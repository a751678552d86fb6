// The upload queue on disk: <stateDir>/uploads.json, written atomically (temp file + fsync + rename) and owned by
// one process at a time (proper-lockfile: <stateDir>/uploads.json.lock, refreshed while held, stale when its
// holder died).
//
// What a kill -9 leaves behind at each point of a job's life, and what the next start does about it:
// 1. Job added, nothing sent yet (step "pending"): the job is queued again and runs normally. add() only schedules
//    a write (debounced), so a kill within that window forgets the job, but nothing reached Frame.io for it: every
//    server-side effect below is preceded by a durable write. A caller that must not lose an add calls flush().
// 2. Before the create call: the file says step "creating" with creatingSince (written and fsynced *before* the
//    request leaves). Whether the request reached Frame.io is unknown, so the next run lists the target folder and
//    deletes files named like the job, still in status "created" (no bytes), created at or after creatingSince
//    (minus a clock-skew margin). Then it creates afresh. No orphan placeholder survives, none is reused.
// 3. After the create, before any part: fileId is written (and fsynced) right after the create answers, so the file
//    says step "parts" with the placeholder's id. The next run asks its status: not complete → the placeholder is
//    deleted and a new local_upload made (presigned URLs are not persisted: they are secrets, and Frame.io has no
//    call to re-issue them). A kill between the create's answer and that write is case 2. A job still "queued"
//    whose placeholder was created ahead (upload-queue.ts, prepareAhead) is this case too.
// 4. Mid-parts: the same as 3. Some parts landed, some did not; a placeholder with missing parts would stay a
//    broken asset forever, so it is deleted and the file uploaded again from the start.
// 5. After the last part, before the status was verified: if the file already says step "status", the next run only
//    polls the status and verifies the size. If the kill came before that write (step "parts"), the status check of
//    case 3 finds upload_complete and goes straight to verification: no second upload. (Frame.io stitches parts
//    asynchronously, so a file whose parts all landed a moment before the kill may still say not-complete; it is
//    then uploaded again and the first placeholder deleted: a wasted upload, never a duplicate.)
// 6. Done (or failed, or cancelled) and written: never run again. Done is written immediately, not debounced. A
//    kill after Frame.io completed but before "done" was written is case 5: verified again, not re-uploaded.
// 7. Cancelled: "cancelled" is written as soon as the cancel is asked, before the placeholder is deleted. A kill
//    before the delete leaves a cancelled job that still names its placeholder (fileId, or step "creating"): the
//    next start deletes it (and sweeps for an unanswered create) without running the job. A delete that failed
//    leaves the id in staleFileIds, deleted on the next run or start.
import {mkdir, readFile, rename} from 'node:fs/promises';
import path from 'node:path';
import type {Logger} from 'pino';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod';
import type {UploadJob} from './job.js';

export const QUEUE_FILE = 'uploads.json';

export class QueueLockedError extends Error {
	override readonly name = 'QueueLockedError';
}

const jobSchema = z.object({
	id: z.string().min(1),
	kind: z.enum(['local', 'remote']),
	name: z.string().min(1),
	path: z.string().optional(),
	sourceUrl: z.string().optional(),
	size: z.number().int().min(0),
	targetFolderId: z.string().optional(),
	target: z.record(z.string(), z.string()).optional(),
	origin: z.literal('demo').optional(),
	state: z.enum(['queued', 'uploading', 'verifying', 'done', 'failed', 'cancelled']),
	step: z.enum(['pending', 'creating', 'parts', 'status']),
	fileId: z.string().optional(),
	statusLink: z.string().optional(),
	creatingSince: z.string().optional(),
	staleFileIds: z.array(z.string()).default([]),
	partsDone: z.number().int().min(0).default(0),
	partsTotal: z.number().int().min(0).default(0),
	bytesDone: z.number().min(0).default(0),
	retries: z.number().int().min(0).default(0),
	error: z.string().optional(),
	viewUrl: z.string().optional(),
	mediaType: z.string().optional(),
	addedAt: z.string(),
	startedAt: z.string().optional(),
	finishedAt: z.string().optional(),
	runs: z.number().int().min(0).default(0),
	stack: z
		.object({
			state: z.enum(['stacked', 'refused', 'failed']),
			stackId: z.string().optional(),
			on: z.string().optional(),
			head: z.string().optional(),
			created: z.boolean().optional(),
			reason: z.string().optional(),
		})
		.optional(),
});

const fileSchema = z.object({version: z.literal(1), jobs: z.array(z.unknown())});

export type QueueFile = {version: 1; jobs: UploadJob[]};

/** Parses the queue file's text; jobs that do not validate are skipped and reported. */
export function parseQueueFile(text: string): {jobs: UploadJob[]; skipped: number} {
	const parsed = fileSchema.parse(JSON.parse(text));
	const jobs: UploadJob[] = [];
	let skipped = 0;
	for (const item of parsed.jobs) {
		const job = jobSchema.safeParse(item);
		if (job.success) jobs.push(job.data as UploadJob);
		else skipped++;
	}
	return {jobs, skipped};
}

export function serializeQueue(jobs: UploadJob[]): string {
	const content: QueueFile = {version: 1, jobs};
	return `${JSON.stringify(content, null, '\t')}\n`;
}

/** Reads a queue without taking it (for a second process that only wants to show it). Missing file: no jobs. */
export async function readQueueFile(stateDir: string, fileName = QUEUE_FILE): Promise<UploadJob[]> {
	try {
		return parseQueueFile(await readFile(path.join(stateDir, fileName), 'utf8')).jobs;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
}

export type QueueStoreOptions = {
	stateDir: string;
	/** Default uploads.json. Another name gives an independent queue (e.g. a one-off command next to a running console). */
	fileName?: string;
	/** Where the jobs come from at write time. */
	source: () => UploadJob[];
	/** A lock not refreshed for this long belongs to a dead process and is taken over (min 2000). */
	lockStaleMs?: number;
	/** How long to wait for a held lock before giving up with QueueLockedError (default 0: fail at once). */
	lockWaitMs?: number;
	/** Coalescing window of ordinary writes. */
	debounceMs?: number;
	logger?: Logger;
};

export class QueueStore {
	readonly file: string;
	private release: (() => Promise<void>) | undefined;
	private timer: NodeJS.Timeout | undefined;
	private chain: Promise<void> = Promise.resolve();
	private dirty = false;
	private closed = false;
	private compromised = false;

	private constructor(
		private readonly options: QueueStoreOptions,
		readonly loaded: UploadJob[],
	) {
		this.file = path.join(options.stateDir, options.fileName ?? QUEUE_FILE);
	}

	/** Takes the queue file (or throws QueueLockedError) and reads what it holds. */
	static async open(options: QueueStoreOptions): Promise<QueueStore> {
		const file = path.join(options.stateDir, options.fileName ?? QUEUE_FILE);
		await mkdir(options.stateDir, {recursive: true});
		const stale = Math.max(2000, options.lockStaleMs ?? 10_000);
		const waitStep = 250;
		let store: QueueStore | undefined;
		let release: () => Promise<void>;
		try {
			release = await lockfile.lock(file, {
				realpath: false,
				stale,
				update: Math.max(1000, Math.floor(stale / 3)),
				retries: options.lockWaitMs
					? {retries: Math.ceil(options.lockWaitMs / waitStep), minTimeout: waitStep, maxTimeout: waitStep, factor: 1}
					: 0,
				onCompromised: error => store?.onCompromised(error),
			});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
				throw new QueueLockedError(
					`the upload queue ${file} is in use by another frameio-admin process; ` +
						`let it finish or stop it (the lock of a process that died is taken over after ${Math.round(stale / 1000)} s)`,
				);
			}
			throw error;
		}
		try {
			const jobs = await loadJobs(file, options.logger);
			store = new QueueStore(options, jobs);
			store.release = release;
			return store;
		} catch (error) {
			await release().catch(() => {});
			throw error;
		}
	}

	/** A change worth keeping: written within debounceMs, together with any other change in that window. */
	schedule(): void {
		if (this.closed) return;
		this.dirty = true;
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.flush().catch(() => {});
		}, this.options.debounceMs ?? 250);
		this.timer.unref?.();
	}

	/** Writes now (after any write in flight) and resolves once the file is on disk. */
	flush(): Promise<void> {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}
		this.dirty = true;
		const write = this.chain.then(() => this.writeIfDirty());
		this.chain = write.catch(() => {});
		return write;
	}

	/** Stops writing. With flush, the last state is written first; without, the file stays as last written (a crash). */
	async close(options: {flush?: boolean} = {}): Promise<void> {
		if (this.closed) return;
		if (options.flush !== false) await this.flush().catch(error => this.options.logger?.error({err: error}, 'upload queue: final write failed'));
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.closed = true;
		await this.chain;
		await this.release?.().catch(() => {});
		this.release = undefined;
	}

	private async writeIfDirty(): Promise<void> {
		if (!this.dirty || this.closed || this.compromised) return;
		this.dirty = false;
		try {
			// 0600: job records name the account's files and folders.
			await writeFileAtomic(this.file, serializeQueue(this.options.source()), {mode: 0o600});
		} catch (error) {
			this.dirty = true;
			this.options.logger?.error({err: error, file: this.file}, 'upload queue: cannot write the queue file');
			throw error;
		}
	}

	private onCompromised(error: Error): void {
		// Another process took the lock (ours looked stale, e.g. the machine was suspended). Writing on would
		// clobber its queue, so stop writing; the running uploads still finish.
		this.compromised = true;
		this.options.logger?.error({err: error, file: this.file}, 'upload queue: lost the lock on the queue file; no longer saving it');
	}
}

async function loadJobs(file: string, logger?: Logger): Promise<UploadJob[]> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	try {
		const {jobs, skipped} = parseQueueFile(text);
		if (skipped > 0) logger?.warn({file, skipped}, `upload queue: skipped ${skipped} unreadable job(s)`);
		return jobs;
	} catch (error) {
		const aside = `${file}.corrupt-${new Date().toISOString().replace(/[-:.]/g, '')}`;
		await rename(file, aside);
		logger?.warn({file, aside, err: error}, `upload queue: the queue file was corrupt; set aside as ${path.basename(aside)}, starting empty`);
		return [];
	}
}
