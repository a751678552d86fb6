// `frameio-admin report`: the seed's optimizer. Computes the figures of a window of the structured logs (default),
// or of a probe run against the configured API (--probe), checks them against config/optimization.json, writes
// logs/frameio_optimization_report_YYYYMMDD_HHMMSS.txt and prints it (or the JSON object with --json).
import {statSync} from 'node:fs';
import path from 'node:path';
import {loadConfig, type OptimizationConfig} from '../config/index.js';
import {resolvePaths} from '../config/paths.js';
import type {App} from '../app/open-app.js';
import type {Paths} from '../config/paths.js';
import {LIVE_API_URL} from '../frameio/api-url.js';
import {DurationError, parseDuration} from '../format/duration.js';
import {redactText} from '../log/redact.js';
import {buildReport} from '../metrics/report/build-report.js';
import {formatReport} from '../metrics/report/format-report.js';
import {figuresFromLogs} from '../metrics/report/from-logs.js';
import type {Report} from '../metrics/report/report-model.js';
import {writeReportFile} from '../metrics/report/write-report.js';
import {defineCommand, EXIT, note, UsageError, type Io} from './kit/command.js';

const DEFAULT_SINCE = '1h';
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const DEFAULT_PROBE = '30s';
// A probe is a short measurement; longer observation is what the logs (report --since) are for.
const MAX_PROBE_MS = 3_600_000;

export default defineCommand({
	help: `frameio-admin report: the optimization report (API calls, uploads, cache, system, errors, recommendations)

  Usage
    $ frameio-admin report [--since 1h]
    $ frameio-admin report --probe [--duration 30s] [--project-id ID] [--upload FILE [--folder-id ID] [--keep-upload]]

  Options
    --since D         Window of the structured logs to report on: 30s, 10m, 1h (default), 2d.
                      Reads logs/frameio_admin.log and its rotations (.1 … .N).
    --probe           Measure now instead: run a probe workload against the configured API (me, project
                      listing, folder listings of the project's root and one level down) at a polite pace
                      (at most half of rate_limiting.requests_per_second, and 4 calls/s), sampling CPU and memory.
    --duration D      Length of the probe (default 30s, at most 1h). Ctrl-C ends it early and still reports.
    --project-id ID   Project to probe (default: the first one the user can see)
    --upload FILE     End the probe with a test upload of FILE (through the upload engine), into
                      --folder-id or the project's root folder; the test file is deleted afterwards
    --keep-upload     Keep the test upload on Frame.io

  The report is printed and written to <logs-dir>/frameio_optimization_report_YYYYMMDD_HHMMSS.txt (the last line
  says where). With --json only the report object is printed, and no file is written unless --write is given
  (its "reportFile" then says where the .txt is, otherwise it is null).

    --write           With --json: also write the .txt report
  Recommendations compare each figure with the targets in config/optimization.json ("alerts").
  Figures without data read N/A. Exit 0 written, 1 the probe's API calls failed, 2 bad flags or config.`,
	flags: {
		since: {type: 'string'},
		probe: {type: 'boolean', default: false},
		duration: {type: 'string'},
		projectId: {type: 'string'},
		upload: {type: 'string'},
		folderId: {type: 'string'},
		keepUpload: {type: 'boolean', default: false},
		write: {type: 'boolean', default: false},
	},
	async run(cli, io) {
		const flags = cli.flags;
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const probeOnly = (['duration', 'projectId', 'upload', 'folderId'] as const).filter(name => flags[name] !== undefined);
		if (!flags.probe && (probeOnly.length > 0 || flags.keepUpload)) {
			throw new UsageError(`--${kebab(probeOnly[0] ?? 'keepUpload')} belongs to --probe`);
		}
		if (flags.write && !flags.json) throw new UsageError('--write goes with --json (without --json the report is always written)');
		if (flags.probe && flags.since !== undefined) throw new UsageError('--since reports on the logs, --probe on a new run: use one of them');
		if (flags.upload === undefined && (flags.folderId !== undefined || flags.keepUpload)) throw new UsageError('--folder-id and --keep-upload need --upload FILE');
		for (const name of ['projectId', 'folderId', 'upload'] as const) {
			if (flags[name] !== undefined && flags[name]!.trim() === '') throw new UsageError(`--${kebab(name)} needs a value`);
		}
		const windowMs = duration(flags.since ?? DEFAULT_SINCE, 'since');
		const probeMs = duration(flags.duration ?? DEFAULT_PROBE, 'duration');
		if (probeMs > MAX_PROBE_MS) throw new UsageError(`--duration ${flags.duration} is too long for a probe (at most 1h); for longer, report on the logs with --since`);
		const uploadFile = flags.upload === undefined ? undefined : checkUploadFile(flags.upload);

		const paths = resolvePaths(flags);
		const config = loadConfig(paths.configDir).optimization;

		if (flags.probe) {
			return probe(io, {
				paths,
				config,
				sandbox: flags.sandbox,
				allowInsecureHttp: flags.allowInsecureHttp,
				json: flags.json,
				write: !flags.json || flags.write,
				durationMs: probeMs,
				projectId: flags.projectId,
				upload: uploadFile ? {file: uploadFile, folderId: flags.folderId, keep: flags.keepUpload} : undefined,
			});
		}

		const {figures, source} = await figuresFromLogs({
			logsDir: paths.logsDir,
			windowMs,
			slowOperationThresholdSeconds: config.monitoring.slow_operation_threshold,
		});
		const report = buildReport({figures, source, config, api: configuredApi(flags.sandbox)});
		writeAndPrint(io, report, config, paths.logsDir, flags.json, !flags.json || flags.write);
		return EXIT.ok;
	},
});

type ProbeFlags = {
	paths: Paths;
	config: OptimizationConfig;
	sandbox: boolean;
	allowInsecureHttp: boolean;
	json: boolean;
	/** Write the .txt (always without --json; with --json only when --write). */
	write: boolean;
	durationMs: number;
	projectId?: string;
	upload?: {file: string; folderId?: string; keep: boolean};
};

async function probe(io: Io, options: ProbeFlags): Promise<number> {
	// Loaded only here: the client, the sampler and the upload engine are not needed for a report on the logs.
	const [{runProbeReport}, {ProbeSetupError}, {describeFailure}, {openApp}] = await Promise.all([
		import('../metrics/report/probe-report.js'),
		import('../metrics/report/probe-workload.js'),
		import('../frameio/describe-failure.js'),
		import('../app/open-app.js'),
	]);
	let app: App | undefined;
	const abort = new AbortController();
	const onSignal = () => abort.abort();
	// on, not once, and removed only at the end: a signal-exit listener (lock and atomic-write libraries) kills the
	// process when it finds itself the only listener of a signal, which a once-listener would make it during the
	// signal. SIGTERM and SIGHUP (an SSH drop) end it like Ctrl-C: the test upload is cancelled and deleted.
	for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
	try {
		// With a test upload, who the token acts as: its in-flight journal lives in that identity's folder.
		app = await openApp({paths: options.paths, sandbox: options.sandbox, allowInsecureHttp: options.allowInsecureHttp, cache: 'private', identity: options.upload ? 'required' : 'skip'});
		const {logging} = app;
		const {report, failure} = await runProbeReport({
			config: options.config,
			logging,
			client: app.client,
			bus: app.bus,
			api: {kind: app.api.kind, url: app.api.baseUrl},
			durationMs: options.durationMs,
			projectId: options.projectId,
			upload: options.upload && {
				...options.upload,
				journal: app.api.kind === 'sandbox' ? undefined : {stateDir: app.profileStateDir, origin: new URL(app.api.baseUrl).origin},
			},
			signal: abort.signal,
			note: text => note(io, redactText(text)),
		});
		const file = writeAndPrint(io, report, options.config, options.paths.logsDir, options.json, options.write);
		if (file) logging.get('frameio.app').info({event: 'report', file, source: 'probe', verdict: report.verdict}, `Optimization report written: ${file}`);
		if (failure) {
			io.stderr.write(`frameio-admin: ${redactText(failure)}\n`);
			return EXIT.failed;
		}
		return EXIT.ok;
	} catch (error) {
		if (error instanceof ProbeSetupError) {
			io.stderr.write(`frameio-admin: ${redactText(error.message)}\n`);
			return EXIT.failed;
		}
		const failure = describeFailure(error);
		if (!failure) throw error;
		io.stderr.write(`frameio-admin: cannot probe the API: ${failure.message}\n`);
		return failure.exitCode;
	} finally {
		for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
		await app?.close();
	}
}

/**
 * Prints the report (text, or the JSON object on stdout alone) and, when asked, writes the .txt and says where.
 * Returns the file, or null when none was written.
 */
function writeAndPrint(io: Io, draft: Omit<Report, 'reportFile'>, config: OptimizationConfig, logsDir: string, json: boolean, write: boolean): string | null {
	const text = formatReport({...draft, reportFile: ''}, {slowThresholdSeconds: config.monitoring.slow_operation_threshold});
	const reportFile = write ? writeReportFile(logsDir, new Date(draft.generatedAt), text) : null;
	const report = {...draft, reportFile};
	if (json) {
		io.stdout.write(`${redactText(JSON.stringify(report, null, 2))}\n`);
		// stdout is the JSON alone; where the .txt went is said on stderr.
		if (reportFile) note(io, `Report written to ${reportFile}`);
	} else io.stdout.write(`${redactText(text)}\nReport written to ${reportFile}\n`);
	return reportFile;
}

/** The API the logs were most likely made against: what this configuration points at (nothing is started). */
function configuredApi(sandbox: boolean, env = process.env): {kind: string; url: string} {
	if (sandbox) return {kind: 'sandbox', url: 'the built-in sandbox'};
	const custom = env.FRAMEIO_API_URL?.trim();
	return custom ? {kind: 'custom', url: custom} : {kind: 'live', url: LIVE_API_URL};
}

function duration(text: string, flag: string): number {
	try {
		return parseDuration(text, flag);
	} catch (error) {
		if (error instanceof DurationError) throw new UsageError(error.message);
		throw error;
	}
}

function checkUploadFile(file: string): string {
	const resolved = path.resolve(file);
	let size: number;
	try {
		const stat = statSync(resolved);
		if (!stat.isFile()) throw new UsageError(`--upload ${file}: not a file`);
		size = stat.size;
	} catch (error) {
		if (error instanceof UsageError) throw error;
		throw new UsageError(`--upload ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
	}
	if (size === 0) throw new UsageError(`--upload ${file}: the file is empty`);
	return resolved;
}

function kebab(name: string): string {
	return name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

