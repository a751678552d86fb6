// The optimization report as data: what `report --json` prints and what the .txt is rendered from.
import type {Figures} from '../figures.js';
import type {Check, Verdict} from './recommendations.js';

export type LogSource = {
	kind: 'logs';
	/** The files read, oldest first. */
	files: string[];
	/** Non-empty lines read in those files. */
	lines: number;
	/** Well-formed lines whose time is in the window. */
	linesInWindow: number;
	/** Of those, the lines that carried metrics (api, upload, cache/system summaries, probes, breaker changes). */
	eventLines: number;
	/** Lines skipped because they are not valid records (or an event line with unusable fields). */
	malformed: number;
};

export type ProbeSource = {
	kind: 'probe';
	durationMs: number;
	/** Rounds of the workload started (me, project listing, folder listings). */
	rounds: number;
	calls: number;
	failedCalls: number;
	account: {id: string};
	project: {id: string; name: string};
	/** Folder listings: the project's root, then one level down. */
	folders: number;
	upload: ProbeUpload | null;
	/** True when interrupted (Ctrl-C) before the duration. */
	interrupted: boolean;
};

export type ProbeUpload = {file: string; name: string; outcome: 'done' | 'failed' | 'cancelled'; fileId: string | null; error: string | null; deleted: boolean};

export type Report = {
	generatedAt: string;
	session: {
		host: string;
		/** The OS user running the tool. */
		user: string | null;
		/** The Frame.io user (probe runs ask the API). */
		frameioUser: {name: string; email: string} | null;
		api: {kind: string; url: string};
		window: {from: string; to: string; ms: number; label: string};
		source: LogSource | ProbeSource;
	};
	figures: Figures;
	checks: Check[];
	verdict: Verdict;
	recommendations: string[];
	/** Where the .txt was written. */
	reportFile: string;
};
