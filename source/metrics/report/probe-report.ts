// `report --probe`: a probe run against the configured API with a MetricsStore on the client's bus, the
// sampler running and every call written to the structured log, then the report on that run.
import type {Logging} from '../../log/logger.js';
import type {EventBus} from '../../events/index.js';
import type {OptimizationConfig} from '../../config/index.js';
import type {FrameioClient} from '../../frameio/client.js';
import type {Figures} from '../figures.js';
import {MetricsStore} from '../metrics-store.js';
import {createSampler} from '../sampler.js';
import {buildReport} from './build-report.js';
import {runProbeWorkload, type ProbeWorkloadResult} from './probe-workload.js';
import type {ProbeSource, ProbeUpload, Report} from './report-model.js';

export type ProbeReportOptions = {
	config: OptimizationConfig;
	logging: Logging;
	/** The client to probe with, the bus its calls go to (already written to the logs), and what it talks to. */
	client: FrameioClient;
	bus: EventBus;
	api: {kind: string; url: string};
	durationMs: number;
	projectId?: string;
	/** The test upload; `journal`: where its placeholder is journalled against a kill -9 (probe-upload.ts). */
	upload?: {file: string; folderId?: string; keep: boolean; journal?: {stateDir: string; origin: string}};
	/** Ends the run early (Ctrl-C); the report covers what ran. */
	signal?: AbortSignal;
	/** Progress for the user (stderr). */
	note?: (text: string) => void;
};

export type ProbeReportResult = {
	report: Omit<Report, 'reportFile'>;
	/** Set when the run counts as an API failure (exit 1): every call failed, or the test upload failed. */
	failure: string | null;
};

// Politeness ceiling of a probe, whatever the configured rate: it measures the API, it must not load it.
const MAX_PROBE_CALLS_PER_SECOND = 4;
// Sample CPU/RSS at least this often, so that a short probe gets several samples.
const MIN_SAMPLE_INTERVAL_S = 0.5;
const SAMPLES_PER_PROBE = 10;

/** Throws the client's error (FrameioError, NoCredentialsError, …) or ProbeSetupError when the probe cannot start. */
export async function runProbeReport(options: ProbeReportOptions): Promise<ProbeReportResult> {
	const {config, logging, client, bus} = options;
	const store = new MetricsStore({slowOperationThresholdSeconds: config.monitoring.slow_operation_threshold, retentionSeconds: 7200});
	const detachStore = store.attach(bus);
	const intervalSeconds = Math.max(MIN_SAMPLE_INTERVAL_S, Math.min(config.monitoring.system_metrics_interval, options.durationMs / 1000 / SAMPLES_PER_PROBE));
	const sampler = createSampler({bus, intervalSeconds});
	const startedAt = Date.now();
	try {
		sampler.start();
		options.note?.(`Probing ${options.api.url} (${options.api.kind}) for ${Math.round(options.durationMs / 1000)} s; Ctrl-C ends it early.`);
		const workload = await runProbeWorkload({
			client,
			durationMs: options.durationMs,
			callsPerSecond: Math.min(MAX_PROBE_CALLS_PER_SECOND, config.rate_limiting.requests_per_second / 2),
			projectId: options.projectId,
			signal: options.signal,
		});
		let upload: ProbeUpload | null = null;
		if (options.upload && !options.signal?.aborted) {
			options.note?.(`Test upload of ${options.upload.file}…`);
			const {runProbeUpload} = await import('./probe-upload.js');
			upload = await runProbeUpload({
				client,
				config,
				accountId: workload.target.account.id,
				folderId: options.upload.folderId ?? workload.target.project.root_folder_id,
				file: options.upload.file,
				keep: options.upload.keep,
				bus,
				logger: logging.get('frameio.upload'),
				signal: options.signal,
				journal: options.upload.journal,
				note: options.note,
			});
		}
		await sampler.tick();
		sampler.stop();
		const endedAt = Date.now();
		const figures = windowed(store.figures(endedAt - startedAt + 1000, endedAt), startedAt, endedAt);
		const source = probeSource(workload, figures, upload, endedAt - startedAt);
		const report = buildReport({
			figures,
			source,
			config,
			api: options.api,
			frameioUser: {name: workload.target.user.name, email: workload.target.user.email},
			generatedAt: new Date(endedAt),
		});
		return {report, failure: failureOf(workload, upload)};
	} finally {
		sampler.stop();
		detachStore();
	}
}

/** The run's own span, not the whole seconds around it. */
function windowed(figures: Figures, from: number, to: number): Figures {
	const ms = Math.max(1, to - from);
	return {...figures, window: {ms, seconds: ms / 1000, from, to}, api: {...figures.api, ratePerSec: figures.api.total / (ms / 1000)}};
}

function probeSource(workload: ProbeWorkloadResult, figures: Figures, upload: ProbeUpload | null, durationMs: number): ProbeSource {
	return {
		kind: 'probe',
		durationMs,
		rounds: workload.rounds,
		calls: figures.api.total,
		failedCalls: figures.api.failed,
		account: {id: workload.target.account.id},
		project: {id: workload.target.project.id, name: workload.target.project.name},
		folders: workload.folders,
		upload,
		interrupted: workload.interrupted,
	};
}

function failureOf(workload: ProbeWorkloadResult, upload: ProbeUpload | null): string | null {
	if (workload.steps > 0 && workload.failedSteps === workload.steps) {
		const reason = workload.lastError instanceof Error ? workload.lastError.message : String(workload.lastError);
		return `every probe call failed (${workload.failedSteps} of ${workload.steps}); the last one: ${reason}`;
	}
	if (upload && upload.outcome === 'failed') return `the test upload failed: ${upload.error ?? 'unknown reason'}`;
	return null;
}
