// The Logs tab's slice: the latest lines of logs/frameio_admin.log (the source keeps them), read while the tab is on
// screen. The source hands over the same array until a line arrives, so publishing costs nothing per line.
import type {LogLine, LogsSource} from './ports.js';
import type {SliceHandle} from './slice-handle.js';

export type LogsSlice = {
	/** null: the runtime has no log source. */
	file: string | null;
	lines: readonly LogLine[];
	following: boolean;
};

export const initialLogs: LogsSlice = {file: null, lines: [], following: false};

export const logsSliceEqual = (a: LogsSlice, b: LogsSlice): boolean => a.file === b.file && a.lines === b.lines && a.following === b.following;

export type LogsActions = {
	/** Follows the file while the tab is visible. */
	setVisible(visible: boolean): void;
	dispose(): void;
};

export function connectLogs(slice: SliceHandle<LogsSlice>, source: LogsSource | undefined): LogsActions {
	if (!source) return {setVisible() {}, dispose() {}};
	let following = false;
	const publish = () => slice.set({file: source.file, lines: source.current(), following});
	const unsubscribe = source.onChange(publish);
	publish();
	return {
		setVisible(visible) {
			if (visible === following) return;
			following = visible;
			source.follow(visible);
			publish();
		},
		dispose() {
			unsubscribe();
			source.follow(false);
		},
	};
}
