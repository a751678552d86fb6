// The in-flight journal of a queue that lives in memory (test-upload, report --probe --upload): what such a run may
// have left on Frame.io, on disk while it runs, so that a kill -9 (or a power cut) does not leave a "created"
// placeholder with some of its parts behind for ever. The persisted queue (queue-store.ts) needs none: its own file
// says the same.
//
// One file per process, <dir>/<pid>-<random>.json, written (atomically, fsynced) whenever the queue would persist:
// before every create call (step "creating", with creatingSince), right after it (the placeholder's id), and as the
// job moves on. Only jobs that may have something on Frame.io are in it; the file is removed when none is left, and
// when the run ends. A file whose process is gone is an orphan: the next run of a one-off command (sweepJournals)
// deletes what its jobs left, by the rules of a cancelled job of the persisted queue, with one difference: a
// placeholder whose bytes are all in (the run was killed after its upload completed) is a complete file, and kept.
// A file of a process still alive on this machine is never touched, nor one written on another machine.
import {randomUUID} from 'node:crypto';
import {mkdir, readdir, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {Logger} from 'pino';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod';
import {printable} from '../format/printable.js';
import type {UploadJob} from './job.js';
import {cleanupAbandoned} from './job-runner.js';
import {isProcessAlive} from './process-alive.js';
import {parseQueueFile} from './queue-store.js';
import {errorMessage, type UploadApi} from './upload-api.js';

/** The folder of the journal files, in the identity's state folder. */
export const JOURNAL_DIR = 'in-flight';

const headerSchema = z.object({version: z.literal(1), pid: z.number().int(), host: z.string(), origin: z.string(), accountId: z.string()});

/** Whether a job may have left something on Frame.io that nobody else will remove. */
function holdsPlaceholder(job: UploadJob): boolean {
	if (job.state === 'done') return false;
	return job.step === 'creating' || Boolean(job.fileId) || job.staleFileIds.length > 0;
}

export class PlaceholderJournal {
	readonly file: string;
	private last = '';
	private chain: Promise<void> = Promise.resolve();

	constructor(
		readonly dir: string,
		private readonly header: {origin: string; accountId: string},
		private readonly logger?: Logger,
	) {
		this.file = path.join(dir, `${process.pid}-${randomUUID().slice(0, 8)}.json`);
	}

	/** Records the jobs that hold a placeholder (or removes the file when none does); resolves once it is on disk. */
	write(jobs: readonly UploadJob[]): Promise<void> {
		const held = jobs.filter(holdsPlaceholder);
		const text = held.length === 0 ? '' : `${JSON.stringify({version: 1, pid: process.pid, host: os.hostname(), ...this.header, jobs: held}, null, '\t')}\n`;
		const write = this.chain.then(async () => {
			if (text === this.last) return;
			try {
				if (text) {
					await mkdir(this.dir, {recursive: true, mode: 0o700});
					// 0600: the jobs name the account's files and folders.
					await writeFileAtomic(this.file, text, {mode: 0o600});
				} else await rm(this.file, {force: true});
				this.last = text;
			} catch (error) {
				// A full disk must not stop the upload: only a kill -9 during it would then leave a placeholder.
				this.logger?.warn({err: error, file: this.file}, `in-flight journal: cannot write ${this.file}: ${errorMessage(error)}`);
			}
		});
		this.chain = write;
		return write;
	}
}

export type SweepResult = {
	/** Placeholders deleted: the name of their file, and the folder they were in (its listings are stale now). */
	removed: Array<{name: string; folderId?: string}>;
	/** Journal files left for later: their process still runs, or a cleanup failed (tried again next time). */
	kept: number;
};

/**
 * Deletes what the one-off runs that died on this machine left on `origin` (their journal files in `dir`), and
 * removes those files. Files of runs still alive, of another machine or of another API are left alone.
 */
export async function sweepJournals(dir: string, options: {origin: string; api: UploadApi; logger?: Logger}): Promise<SweepResult> {
	const result: SweepResult = {removed: [], kept: 0};
	let names: string[];
	try {
		names = (await readdir(dir)).filter(name => name.endsWith('.json'));
	} catch {
		return result;
	}
	for (const name of names) {
		const file = path.join(dir, name);
		let header: z.infer<typeof headerSchema>;
		let jobs: UploadJob[];
		try {
			const text = await readFile(file, 'utf8');
			header = headerSchema.parse(JSON.parse(text));
			jobs = parseQueueFile(text).jobs;
		} catch (error) {
			options.logger?.warn({file, err: error}, `in-flight journal: ${name} is unreadable; left as it is`);
			result.kept++;
			continue;
		}
		if (header.host !== os.hostname() || header.origin !== options.origin || header.pid === process.pid || isProcessAlive(header.pid)) {
			result.kept++;
			continue;
		}
		let complete = true;
		const context = {api: options.api, accountId: header.accountId, logger: options.logger, persistNow: async () => undefined};
		for (const job of jobs) {
			try {
				const outcome = await cleanupAbandoned(job, context);
				result.removed.push(...outcome.removed.map(() => ({name: job.name, folderId: job.targetFolderId})));
				if (outcome.kept) options.logger?.info({name: job.name, fileId: job.fileId}, `in-flight journal: ${job.name} was complete on Frame.io when its run died; kept`);
			} catch (error) {
				complete = false;
				options.logger?.warn({name: job.name, err: error}, `in-flight journal: cannot remove what an interrupted upload of ${job.name} left yet: ${errorMessage(error)}`);
			}
		}
		if (complete) await rm(file, {force: true});
		else result.kept++;
	}
	return result;
}

/** "deleted 1 placeholder an interrupted upload left on Frame.io (A.mp4)", or nothing when nothing was deleted. */
export function describeSweep(result: SweepResult): string | undefined {
	const count = result.removed.length;
	if (count === 0) return undefined;
	const names = [...new Set(result.removed.map(each => each.name))].map(printable).join(', ');
	return `deleted ${count} placeholder${count === 1 ? '' : 's'} an interrupted upload left on Frame.io (${names})`;
}

/**
 * For a one-off command about to upload through a queue in memory: first remove what earlier runs killed on this
 * machine left (told through `note`), then a fresh journal for this run.
 */
export type JournalOptions = {
	dir: string;
	origin: string;
	accountId: string;
	api: UploadApi;
	logger?: Logger;
	note?: (text: string) => void;
	/** A folder a placeholder was deleted from: its cached listings are stale. */
	forgetFolder?: (folderId: string) => void;
};

/** Sweeps what killed one-off runs left, then journals this run's placeholders. */
export async function openJournal(options: JournalOptions): Promise<PlaceholderJournal> {
	await sweepOrphans(options);
	return new PlaceholderJournal(options.dir, {origin: options.origin, accountId: options.accountId}, options.logger);
}

/**
 * Deletes what killed one-off runs left (sweepJournals), drops the listings it touched, and says so. Every queue
 * that opens on a real API runs it, the persisted one too: after a killed test-upload, an `upload` of the same file
 * must not leave the dead run's placeholder beside its own copy. Never throws: it is housekeeping.
 */
export async function sweepOrphans(options: JournalOptions): Promise<void> {
	try {
		const swept = await sweepJournals(options.dir, options);
		for (const folderId of new Set(swept.removed.map(each => each.folderId))) if (folderId) options.forgetFolder?.(folderId);
		const said = describeSweep(swept);
		if (said) {
			options.logger?.info({removed: swept.removed.length}, said);
			options.note?.(said);
		}
	} catch (error) {
		// The sweep is housekeeping: an API out of reach now fails the upload itself, with its own message.
		options.logger?.warn({err: error}, `in-flight journal: sweep failed: ${errorMessage(error)}`);
	}
}
