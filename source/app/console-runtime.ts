// The console's object graph: the services of the upload commands (runtime, structure, target, nomenclature) plus
// the live parts only a long-running process needs (sampler, alert engine, notifier, the upload queue, and on the
// sandbox its demo traffic), adapted to the ports the panes read (source/store/ports.ts).
import path from 'node:path';
import {hasCredentials} from '../frameio/auth/resolve-auth.js';
import {FrameioError} from '../frameio/errors.js';
import {AlertEngine} from '../metrics/alert-engine.js';
import {MetricsStore} from '../metrics/metrics-store.js';
import {createSampler} from '../metrics/sampler.js';
import {createNotifier} from '../notify/notifier.js';
import type {SandboxOptions} from '../sandbox/index.js';
import type {CreateRuntime, UploadAddResult, UploadItem, UploadsSource} from '../store/ports.js';
import {UploadInputError, type UploadQueue} from '../upload/index.js';
import {planLocalAdd, type SceneShot} from '../upload/local-add.js';
import {healthServiceFor} from './health-graph.js';
import {openApp} from './open-app.js';
import {openUploadGraph, openUploadQueue, type UploadGraph} from './upload-graph.js';
import {alertsSource, statusSource} from './console-adapters.js';
import {startSandboxDemo} from './sandbox-demo.js';

const MiB = 1024 * 1024;

/** The in-process sandbox of the console: slow enough parts to watch an upload, a little latency, demo activity. */
const consoleSandbox: SandboxOptions = {
	activity: true,
	partSize: 2 * MiB,
	partBytesPerSecond: 0.75 * MiB,
	faults: {latencyMs: 15, latencyJitterMs: 60},
};

export const createRuntime: CreateRuntime = async options => {
	const paths = {configDir: options.configDir, stateDir: options.stateDir, logsDir: options.logsDir};
	// No credentials at all: the console opens on the built-in sandbox rather than refusing to start.
	const sandbox = options.sandbox || !hasCredentials(options.stateDir);
	const app = await openApp({paths, sandbox, sandboxOptions: sandbox ? consoleSandbox : undefined, cache: 'background'});
	let context: UploadGraph;
	try {
		context = await openUploadGraph(app);
	} catch (error) {
		await app.close();
		throw error;
	}
	const {config, bus, client, logging} = app;

	const metrics = new MetricsStore({slowOperationThresholdSeconds: config.optimization.monitoring.slow_operation_threshold});
	const detachMetrics = metrics.attach(bus);
	const sampler = createSampler({
		bus,
		intervalSeconds: config.optimization.monitoring.system_metrics_interval,
		probeTimeoutMs: config.optimization.monitoring.health_timeout_seconds * 1000,
		probe: async () => {
			await client.me();
			return {status: 200};
		},
	});
	const engine = new AlertEngine(config.alerts);
	const notifier = createNotifier({config: config.alerts, logsDir: paths.logsDir, logger: logging.get('frameio.alerts')});
	const stopNotify = engine.onAlert(notifier.notify);
	const stopAlerts = engine.run(metrics, config.optimization.monitoring.system_metrics_interval * 1000);

	// The sandbox forgets everything when the console quits, so its queue is kept in memory; a real API's is
	// persisted in the state dir, so that quitting mid-upload loses nothing.
	const queue = await openUploadQueue(context, {persist: !sandbox});
	queue.resume();

	const health = healthServiceFor(app, {stateDir: app.profileStateDir});

	let accountName: string | null = null;
	app.structure
		.accounts()
		.then(accounts => (accountName = accounts.find(account => account.id === context.accountId)?.display_name ?? null))
		.catch(() => undefined);

	const stopDemo = sandbox
		? startSandboxDemo({
				listChildren: node => app.structure.listChildren(node),
				missingFile: () => client.file(context.accountId, '00000000-0000-4000-8000-000000000000').catch((error: unknown) => {
					if (!(error instanceof FrameioError)) throw error;
				}),
				addUpload: async filePath => {
					await addUpload(context, queue, filePath);
				},
				activeUploads: () => queue.snapshot().jobs.filter(job => job.state === 'queued' || job.state === 'uploading' || job.state === 'verifying').length,
				dir: path.join(app.profileStateDir, 'demo-renders'),
				logger: logging.get('frameio.app'),
			})
		: () => undefined;
	sampler.start();
	const status = statusSource({mode: sandbox ? 'sandbox' : 'live', client, bus, account: () => accountName});

	let shutDown = false;
	return {
		health,
		cache: app.cache,
		structure: app.structure,
		metrics,
		alerts: alertsSource(engine),
		uploads: uploadsSource(context, queue),
		status,
		refreshIntervalSeconds: config.optimization.monitoring.refresh_interval_seconds,
		probeIntervalSeconds: config.optimization.monitoring.system_metrics_interval,
		onConsoleOutput: (level, args) => logging.get('frameio.app').info({level, args: args.map(String)}, 'console output'),
		async shutdown(reason) {
			if (shutDown) return;
			shutDown = true;
			logging.get('frameio.app').info({reason}, 'console closing');
			stopDemo();
			status.stop();
			sampler.stop();
			stopAlerts();
			stopNotify();
			detachMetrics();
			// Running jobs are saved as they stand: the next start resumes them.
			await queue.close({graceMs: 1500}).catch(() => undefined);
			await notifier.flush(1000).catch(() => undefined);
			notifier.close();
			await app.close();
		},
	};
};

/** The console has no flags: a refused scene/shot folder is created by the CLI. */
const CREATE_FOLDERS_HINT = 'the console does not create it; frameio-admin upload FILE --scene SCENE --shot SHOT --create-folders does';

/**
 * Queues a local file as typed into the folder its name maps to (the nomenclature), or into the scene/shot given
 * for it, as the upload command does: the file is checked first, and a scene or shot folder it would create must
 * fit the layout (FolderGuard).
 */
async function addUpload(context: UploadGraph, queue: UploadQueue, input: string, folder?: SceneShot): Promise<UploadAddResult> {
	const plan = planLocalAdd(input, context.app.nomenclature, folder);
	if (plan.folderPath === null) return {queued: false, name: plan.name, reason: plan.reason};
	const verdict = await context.folderGuard().check(plan.folderPath, CREATE_FOLDERS_HINT);
	if (!verdict.ok) throw new UploadInputError(verdict.message);
	queue.add({path: plan.path, target: context.jobTarget(plan.folderPath)});
	return {queued: true, name: plan.name, folder: plan.folderPath.join('/')};
}

function uploadsSource(context: UploadGraph, queue: UploadQueue): UploadsSource {
	return {
		snapshot: () => {
			const {jobs, total} = queue.snapshot();
			return {
				paused: total.paused,
				items: jobs.map(
					(job): UploadItem => ({
						id: job.id,
						name: job.name,
						source: job.path ?? job.sourceUrl ?? '',
						state: job.state,
						bytesDone: job.bytesDone,
						bytesTotal: job.size,
						speed: job.speed > 0 ? job.speed : null,
						etaSeconds: job.eta,
						partsDone: job.partsDone,
						partsTotal: job.partsTotal,
						retries: job.retries,
						reason: job.error ?? (job.state === 'done' ? `${job.target?.folder ?? ''} (file ${job.fileId ?? '?'})` : undefined),
						finishedAt: job.finishedAt ? Date.parse(job.finishedAt) : undefined,
					}),
				),
			};
		},
		onChange: listener => queue.on(() => listener()),
		add: (input, folder) => addUpload(context, queue, input, folder),
		pause: () => queue.pause(),
		resume: () => queue.resume(),
		cancel: async id => {
			await queue.cancel(id);
		},
		retryFailed: async () => queue.retryFailed(),
	};
}
