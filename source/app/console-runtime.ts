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
import {oneLineFailure} from '../nomenclature/index.js';
import type {SandboxOptions} from '../sandbox/index.js';
import type {ConsoleRuntime, ConsoleRuntimeOptions, UploadItem, UploadsSource} from '../store/ports.js';
import {describeStack} from '../upload/version-stacker.js';
import type {UploadQueue} from '../upload/index.js';
import {healthServiceFor} from './health-graph.js';
import {openApp} from './open-app.js';
import {openUploadGraph, openUploadQueue, type UploadGraph} from './upload-graph.js';
import {alertsSource, statusSource} from './console-adapters.js';
import {startSandboxDemo} from './sandbox-demo.js';
import {openWebhookReceiver} from './webhook-receiver.js';

const MiB = 1024 * 1024;

/** The in-process sandbox of the console: slow enough parts to watch an upload, a little latency, demo activity. */
const consoleSandbox: SandboxOptions = {
	activity: true,
	partSize: 2 * MiB,
	partBytesPerSecond: 0.75 * MiB,
	faults: {latencyMs: 15, latencyJitterMs: 60},
};

/** Beyond the store's options: the webhook receiver (--webhook-port, --webhook-host), and the environment (tests). */
export type ConsoleRuntimeChoice = ConsoleRuntimeOptions & {webhookPort?: number; webhookHost?: string; env?: NodeJS.ProcessEnv};

export async function createRuntime(options: ConsoleRuntimeChoice): Promise<ConsoleRuntime> {
	const paths = {configDir: options.configDir, stateDir: options.stateDir, logsDir: options.logsDir};
	const env = options.env ?? process.env;
	// No credentials at all: the console opens on the built-in sandbox rather than refusing to start.
	const sandbox = options.sandbox || !hasCredentials(options.stateDir, env);
	const app = await openApp({paths, env, sandbox, sandboxOptions: sandbox ? consoleSandbox : undefined, cache: 'background'});
	let context: UploadGraph;
	let receiver: Awaited<ReturnType<typeof openWebhookReceiver>> | undefined;
	try {
		context = await openUploadGraph(app);
		// A port in use is a start-up error, said before the screen takes over.
		if (options.webhookPort !== undefined) receiver = await openWebhookReceiver(app, {port: options.webhookPort, host: options.webhookHost, env});
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
				addUpload: filePath => addUpload(context, queue, filePath),
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
			await receiver?.close().catch(() => undefined);
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

/** Queues a local file into the folder its name maps to (the nomenclature), as the upload command does. */
async function addUpload(context: UploadGraph, queue: UploadQueue, filePath: string): Promise<void> {
	const parsed = context.app.nomenclature.parse(path.basename(filePath));
	if (!parsed.ok) throw new Error(oneLineFailure(parsed));
	if (!parsed.folderPath) throw new Error(`${parsed.name}: ${parsed.folderNote ?? 'no folder mapping'}`);
	queue.add({path: filePath, target: context.jobTarget(parsed.folderPath)});
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
						reason: job.error ?? (job.state === 'done' ? `${job.target?.folder ?? ''} (file ${job.fileId ?? '?'})${job.stack ? `, ${describeStack(job.stack)}` : ''}` : undefined),
						finishedAt: job.finishedAt ? Date.parse(job.finishedAt) : undefined,
					}),
				),
			};
		},
		onChange: listener => queue.on(() => listener()),
		add: filePath => addUpload(context, queue, path.resolve(filePath)),
		pause: () => queue.pause(),
		resume: () => queue.resume(),
		cancel: async id => {
			await queue.cancel(id);
		},
		retryFailed: async () => queue.retryFailed(),
	};
}
