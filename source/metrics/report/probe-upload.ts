// The optional test upload at the end of `report --probe --upload FILE`: one file through the real upload
// engine (its UploadEvent lands in the MetricsStore like any upload), then the file is deleted again unless kept.
import path from 'node:path';
import type {Logger} from 'pino';
import type {EventBus} from '../../events/index.js';
import type {OptimizationConfig} from '../../config/index.js';
import {uploadApiFromClient, UploadQueue, uploadSettingsFrom, type UploadEndpoints} from '../../upload/index.js';
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
};

export async function runProbeUpload(options: ProbeUploadOptions): Promise<ProbeUpload> {
	// In memory (no state dir): a probe must not take the lock of, or add to, the user's persisted queue.
	const queue = await UploadQueue.open({
		api: uploadApiFromClient(options.client),
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
