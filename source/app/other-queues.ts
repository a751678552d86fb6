// The upload queues this run must not resume, said instead of silently left (or, worse, run against the wrong API):
//   - the queue of every other identity in the state dir (<state>/api/<host>/<user>/uploads.json) that holds
//     unfinished jobs: they resume only against the host and user they were made for;
//   - the queue file written before identity folders existed (<state>/uploads.json), whose jobs name no API host.
//     A job is adopted into this run's queue only when the account it was planned in (target.account, an id unique
//     across Frame.io) is this run's account: that account lives on this API. The others stay in that file, listed;
//     a job without an account cannot be placed, and stays too.
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import {describeIdentity, listProfiles, SANDBOX_ORIGIN, type ApiIdentity} from '../config/profiles.js';
import {printable} from '../format/printable.js';
import type {UploadJob} from '../upload/job.js';
import {QUEUE_FILE, QueueLockedError, QueueStore, readQueueFile} from '../upload/queue-store.js';
import type {UploadQueue} from '../upload/upload-queue.js';
import type {App} from './open-app.js';

const isUnfinished = (job: UploadJob) => job.state === 'queued' || job.state === 'uploading' || job.state === 'verifying';
/** Something a queue must still do for it: run it, retry it, or remove what it left on Frame.io. */
const needsWork = (job: UploadJob) => job.state !== 'done' && !(job.state === 'cancelled' && !job.fileId && job.step !== 'creating' && job.staleFileIds.length === 0);

const uploads = (count: number) => `${count} upload${count === 1 ? '' : 's'}`;

/** How to run against another identity from this command line. */
function reach(identity: ApiIdentity, configuredOrigin: string): string {
	if (identity.origin === SANDBOX_ORIGIN) return 'run with --sandbox';
	if (identity.origin === configuredOrigin) return 'run with the credentials of that user';
	return `run with FRAMEIO_API_URL=${identity.origin} and that user's credentials`;
}

/** "2 uploads queued for api.frame.io as Camille Laurent wait: run with … to finish them", one per other identity. */
export async function otherQueuesWaiting(app: App): Promise<string[]> {
	const configured = new URL(app.api.baseUrl).origin;
	const notes: string[] = [];
	for (const profile of listProfiles(app.paths.stateDir)) {
		if (path.resolve(profile.dir) === path.resolve(app.profileStateDir) || !existsSync(path.join(profile.dir, QUEUE_FILE))) continue;
		let jobs: UploadJob[];
		try {
			jobs = await readQueueFile(profile.dir);
		} catch {
			continue; // another identity's unreadable queue is that identity's run's business
		}
		const waiting = jobs.filter(isUnfinished).length;
		if (waiting === 0) continue;
		notes.push(`${uploads(waiting)} queued for ${printable(describeIdentity(profile.identity))} wait${waiting === 1 ? 's' : ''}: ${reach(profile.identity, configured)} to finish ${waiting === 1 ? 'it' : 'them'}`);
	}
	return notes;
}

/**
 * The legacy <state>/uploads.json (see the module comment): its jobs of this run's account join `queue` (written
 * there first, then dropped from the legacy file), the rest stay and are listed. Returns what to tell the user.
 */
export async function adoptLegacyQueue(app: App, queue: UploadQueue, accountId: string): Promise<string[]> {
	const stateDir = app.paths.stateDir;
	const file = path.join(stateDir, QUEUE_FILE);
	if (path.resolve(app.profileStateDir) === path.resolve(stateDir) || !existsSync(file)) return [];
	let remaining: UploadJob[] = [];
	let store: QueueStore;
	try {
		store = await QueueStore.open({stateDir, source: () => remaining, lockWaitMs: 0, logger: app.logging.get('frameio.upload')});
	} catch (error) {
		if (error instanceof QueueLockedError) return [`${file} (a queue written before identity folders existed) is in use by another process; its jobs are left alone`];
		throw error;
	}
	const notes: string[] = [];
	try {
		const jobs = store.loaded.filter(needsWork);
		const ours = jobs.filter(job => job.target?.account === accountId);
		remaining = jobs.filter(job => job.target?.account !== accountId);
		if (ours.length > 0) {
			const taken = await queue.adopt(ours);
			notes.push(
				`adopted ${uploads(ours.length)} from ${file}, queued before identity folders existed: ${ours.length === 1 ? 'it was' : 'they were'} planned in account ${printable(accountId)}, this run's${taken < ours.length ? ` (${ours.length - taken} already here)` : ''}`,
			);
		}
		const waiting = remaining.filter(isUnfinished);
		if (waiting.length > 0) {
			const accounts = [...new Set(waiting.map(job => job.target?.account).filter((account): account is string => Boolean(account)))];
			const unknown = waiting.filter(job => !job.target?.account).length;
			const why = [
				accounts.length > 0 ? `planned in account ${accounts.map(printable).join(', ')}, not this run's (${printable(accountId)}): run with that account's credentials to finish them` : '',
				unknown > 0 ? `${unknown} name${unknown === 1 ? 's' : ''} no account, so no API host can be trusted with ${unknown === 1 ? 'it' : 'them'}` : '',
			]
				.filter(Boolean)
				.join('; ');
			notes.push(`${uploads(waiting.length)} in ${file} (queued before identity folders existed) wait${waiting.length === 1 ? 's' : ''}: ${why}`);
		}
		if (remaining.length === 0) {
			await store.close({flush: false});
			await rm(file, {force: true});
		} else await store.close({flush: ours.length > 0 || remaining.length !== store.loaded.length});
	} catch (error) {
		await store.close({flush: false});
		throw error;
	}
	return notes;
}
