// The optional test upload at the end of `report --probe --upload FILE`: one file through the real upload
// engine (its UploadEvent lands in the MetricsStore like any upload), then the file is deleted again unless kept.
import path from 'node:path';
import type {Logger} from 'pino';
import type {EventBus} from '../../events/index.js';
import type {OptimizationConfig} from '../../config/index.js';
import {JOURNAL_DIR, openJournal, uploadApiFromClient, UploadQueue, uploadSettingsFrom, type UploadEndpoints} from '../../upload/index.js';
import type {ProbeUpload} from './report-model.js';

export type ProbeUploadOptions = {
	client: UploadEndpoints;
	config: OptimizationConfig;
	accountId: string;
	folderId: string;
	file: string;
	keep: boolean;
	bus: EventBus;
	logger?: Logger;
	signal?: AbortSignal;
	/**
	 * The identity's state folder (its in-flight journal, placeholder-journal.ts) and the API's origin: what a killed
	 * probe left is deleted first, and this one's placeholder is journalled. None on the in-process sandbox.
	 */
	journal?: {stateDir: string; origin: string};
	/** Tells the user what the sweep removed. */
	note?: (text: string) => void;
};

export async function runProbeUpload(options: ProbeUploadOptions): Promise<ProbeUpload> {
	// In memory (no state dir): a probe must not take the lock of, or add to, the user's persisted queue.
	const api = uploadApiFromClient(options.client);
	const journal =
		options.journal &&
		(await openJournal({dir: path.join(options.journal.stateDir, JOURNAL_DIR), origin: options.journal.origin, accountId: options.accountId, api, logger: options.logger, note: options.note}));
	const queue = await UploadQueue.open({
		api,
		journal,
		accountId: options.accountId,
		settings: uploadSettingsFrom(options.config),
		bus: options.bus,
		logger: options.logger,
	});
	const name = path.basename(options.file);
	try {
		const added = queue.add({path: options.file, targetFolderId: options.folderId});
		const cancel = () => void queue.cancel(added.id);
		options.signal?.addEventListener('abort', cancel, {once: true});
		try {
			await queue.onIdle();
		} finally {
			options.signal?.removeEventListener('abort', cancel);
		}
		const job = queue.get(added.id);
		const outcome = job?.state === 'done' ? 'done' : job?.state === 'cancelled' ? 'cancelled' : 'failed';
		const fileId = job?.fileId ?? null;
		let deleted = false;
		let error = job?.error ?? null;
		if (outcome === 'done' && fileId && !options.keep) {
			try {
				await options.client.deleteFile(options.accountId, fileId);
				deleted = true;
			} catch (cause) {
				error = `uploaded, but could not delete the test file: ${cause instanceof Error ? cause.message : String(cause)}`;
			}
		}
		return {file: options.file, name, outcome, fileId, error, deleted};
	} finally {
		await queue.close();
	}
}
