// The Uploads pane's slice: the queue's own snapshot (rows and totals, as the uploader reports them), and its actions.
import {emptyTotals} from '../upload/queue-snapshot.js';
import {deepEqual} from './equality.js';
import {errorMessage} from './error-message.js';
import type {UploadAddResult, UploadJobSnapshot, UploadQueueSnapshot, UploadsSource} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

export type UploadsSlice = UploadQueueSnapshot & {error: string | null; note: string | null; heldBy: string | null};

export const initialUploads: UploadsSlice = {jobs: [], total: emptyTotals(), error: null, note: null, heldBy: null};

export const uploadsSliceEqual = (a: UploadsSlice, b: UploadsSlice): boolean => deepEqual(a, b);

export const isActive = (job: UploadJobSnapshot): boolean => job.state === 'queued' || job.state === 'uploading' || job.state === 'verifying';

export type UploadsActions = {
	refresh(): void;
	add(path: string, folder?: {scene: string; shot: string}): Promise<UploadAddResult>;
	togglePause(): void;
	cancel(id: string): Promise<void>;
	retryFailed(): Promise<number>;
	dispose(): void;
};

export function connectUploads(slice: SliceHandle<UploadsSlice>, source: UploadsSource): UploadsActions {
	const refresh = () => {
		try {
			const {jobs, total} = source.snapshot();
			slice.set({jobs, total, error: null, note: source.note ?? null, heldBy: source.heldBy ?? null});
		} catch (error) {
			slice.update(current => ({...current, error: errorMessage(error)}));
		}
	};
	const unsubscribe = source.onChange(refresh);
	refresh();
	return {
		refresh,
		async add(path, folder) {
			const result = await source.add(path, folder);
			refresh();
			return result;
		},
		togglePause() {
			if (source.snapshot().total.paused) source.resume();
			else source.pause();
			refresh();
		},
		async cancel(id) {
			await source.cancel(id);
			refresh();
		},
		async retryFailed() {
			const count = await source.retryFailed();
			refresh();
			return count;
		},
		dispose: unsubscribe,
	};
}
