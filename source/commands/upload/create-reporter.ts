// Picks the output form: NDJSON with --json, the live view on a terminal, plain lines otherwise.
import type {Io} from '../kit/command.js';
import {JsonReporter} from './json-reporter.js';
import {PlainReporter} from './plain-reporter.js';
import type {UploadReporter} from './report-types.js';
import {TtyReporter} from './tty-reporter.js';

export type ReporterChoice = {
	json: boolean;
	/** false with --no-progress: result lines only. */
	progress: boolean;
	statsIntervalMs: number;
	showQueued?: boolean;
	/** false: no per-file result lines (test-upload prints its own verified result). */
	showResults?: boolean;
};

/** With --quiet: no progress and no notes, only each file's result and the summary. */
export function createReporter(io: Pick<Io, 'stdout' | 'quiet'>, choice: ReporterChoice): UploadReporter {
	if (io.quiet && !choice.json) {
		const reporter = createReporter({stdout: io.stdout}, {...choice, progress: false});
		reporter.note = () => {};
		return reporter;
	}
	if (choice.json) return new JsonReporter({out: io.stdout, progress: choice.progress});
	// On a terminal the live view shows what is queued; the "queued" lines would only scroll it away.
	if (io.stdout.isTTY) return new TtyReporter({out: io.stdout, progress: choice.progress, showQueued: choice.showQueued ?? !choice.progress, showResults: choice.showResults});
	return new PlainReporter({out: io.stdout, progress: choice.progress, statsIntervalMs: choice.statsIntervalMs, showQueued: choice.showQueued, showResults: choice.showResults});
}

/** Reports nothing (test-upload --json prints one final object only). */
export function silentReporter(): UploadReporter {
	const nothing = () => {};
	return {start: nothing, note: nothing, queued: nothing, progress: nothing, finished: nothing, refused: nothing, skipped: nothing, summary: nothing, stop: nothing};
}
