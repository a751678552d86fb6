// The Uploads pane's slice: the queue as the uploader reports it, and its actions.
import {deepEqual} from './equality.js';
import {errorMessage} from './error-message.js';
import type {UploadAddResult, UploadItem, UploadsSnapshot, UploadsSource} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

export type UploadsSlice = UploadsSnapshot & {error: string | null};

export const initialUploads: UploadsSlice = {paused: false, items: [], error: null};

export const uploadsSliceEqual = (a: UploadsSlice, b: UploadsSlice): boolean => deepEqual(a, b);

export type UploadTotals = {
	files: number;
	done: number;
	failed: number;
	cancelled: number;
	active: number;
	bytesDone: number;
	bytesTotal: number;
	/** null when there is nothing to upload. */
	percent: number | null;
	/** Sum of the active uploads' speeds, bytes/s. */
	speed: number | null;
	etaSeconds: number | null;
};

export const isActive = (item: UploadItem): boolean => item.state === 'queued' || item.state === 'uploading' || item.state === 'verifying';

/** The totals line. Cancelled uploads leave the byte totals: the user took them out. */
export function uploadTotals(items: readonly UploadItem[]): UploadTotals {
	let done = 0;
	let failed = 0;
	let cancelled = 0;
	let active = 0;
	let bytesDone = 0;
	let bytesTotal = 0;
	let speed: number | null = null;
	for (const item of items) {
		if (item.state === 'cancelled') {
			cancelled++;
			continue;
		}
		if (item.state === 'done') done++;
		else if (item.state === 'failed') failed++;
		else active++;
		bytesTotal += item.bytesTotal;
		bytesDone += item.state === 'done' ? item.bytesTotal : item.bytesDone;
		if (isActive(item) && item.speed !== null) speed = (speed ?? 0) + item.speed;
	}
	const remaining = items.filter(isActive).reduce((sum, item) => sum + Math.max(0, item.bytesTotal - item.bytesDone), 0);
	return {
		files: items.length - cancelled,
		done,
		failed,
		cancelled,
		active,
		bytesDone,
		bytesTotal,
		percent: bytesTotal > 0 ? (bytesDone / bytesTotal) * 100 : null,
		speed,
		etaSeconds: speed !== null && speed > 0 && remaining > 0 ? remaining / speed : null,
	};
}

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
			const snapshot = source.snapshot();
			slice.set({paused: snapshot.paused, items: snapshot.items, error: null});
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
			if (source.snapshot().paused) source.resume();
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
