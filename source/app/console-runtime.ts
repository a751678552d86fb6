// The console's object graph: the services of the upload commands (runtime, structure, target, nomenclature) plus
// the live parts of a long-running process (live monitoring, shared with watch and upload: sampler, alert engine,
// notifier), the upload queue, and on the sandbox its demo traffic, adapted to the ports the panes read
// (source/store/ports.ts).
import path from 'node:path';
import {hasCredentials} from '../frameio/auth/resolve-auth.js';
import {LogTail} from '../log/log-tail.js';
import {FrameioError} from '../frameio/errors.js';
import type {SandboxOptions} from '../sandbox/index.js';
import type {ConsoleRuntime, ConsoleRuntimeOptions, FarmSource} from '../store/ports.js';
import {describeIdentity} from '../config/profiles.js';
import {healthServiceFor} from './health-graph.js';
import {openApp, type App} from './open-app.js';
import {openUploadGraph, type UploadGraph} from './upload-graph.js';
import {activeCount, addUpload, openConsoleUploads, type ConsoleUploads} from './console-uploads.js';
import {alertsSource, statusSource} from './console-adapters.js';
import {openLiveMonitoring} from './live-monitoring.js';
import {farmOff, farmOffReason} from './farm-off.js';
import {startSandboxDemo} from './sandbox-demo.js';
import {openWebhookReceiver} from './webhook-receiver.js';

const MiB = 1024 * 1024;

/** The in-process sandbox of the console: slow enough parts to watch an upload, a little latency, demo activity. */
const consoleSandbox = {
	activity: true,
	partSize: 8 * MiB,
	partBytesPerSecond: 0.75 * MiB,
	faults: {latencyMs: 15, latencyJitterMs: 60},
} satisfies SandboxOptions;

/** What the Uploads tab says on the sandbox, so that nobody takes its speeds for the network's. */
export const SANDBOX_THROTTLE_NOTE = `sandbox: uploads throttled on purpose to ${consoleSandbox.partBytesPerSecond / MiB} MiB/s per part`;

/**
 * Beyond the store's options: the webhook receiver (--webhook-port, --webhook-host), Prometheus /metrics
 * (--metrics-port), --allow-insecure-http, and the environment (tests).
 */
export type ConsoleRuntimeChoice = ConsoleRuntimeOptions & {webhookPort?: number; webhookHost?: string; metricsPort?: number; allowInsecureHttp?: boolean; env?: NodeJS.ProcessEnv};

export async function createRuntime(options: ConsoleRuntimeChoice): Promise<ConsoleRuntime> {
	const paths = {configDir: options.configDir, stateDir: options.stateDir, logsDir: options.logsDir};
	const env = options.env ?? process.env;
	// No credentials at all: the console opens on the built-in sandbox rather than refusing to start.
	const sandbox = options.sandbox || !hasCredentials(options.stateDir, env);
	const app = await openApp({paths, env, sandbox, sandboxOptions: sandbox ? consoleSandbox : undefined, cache: 'background', identity: 'optional', staleOk: true, allowInsecureHttp: options.allowInsecureHttp});
	let context: UploadGraph;
	let receiver: Awaited<ReturnType<typeof openWebhookReceiver>> | undefined;
	let live: Awaited<ReturnType<typeof openLiveMonitoring>> | undefined;
	let uploads: ConsoleUploads;
	try {
		context = await openUploadGraph(app);
		// A port in use is a start-up error, said before the screen takes over.
		if (options.webhookPort !== undefined) receiver = await openWebhookReceiver(app, {port: options.webhookPort, host: options.webhookHost, env});
		live = await openLiveMonitoring(app, {role: 'console', port: options.metricsPort}, {env});
		// The sandbox forgets everything when the console quits, so its queue is kept in memory; a real API's is
		// persisted in the state dir, so that quitting mid-upload loses nothing. When watch or upload holds it, the
		// console follows theirs: counted by them (their heartbeat, their /metrics), not here.
		uploads = await openConsoleUploads(context, {sandbox, readonly: options.readonly, note: sandbox ? SANDBOX_THROTTLE_NOTE : undefined});
	} catch (error) {
		live?.stop();
		await receiver?.close().catch(() => undefined);
		await app.close();
		throw error;
	}
	const {config, bus, client, logging} = app;
	const queue = uploads.queue;
	if (queue) live.showUploads(() => queue.snapshot());

	const health = healthServiceFor(app, {stateDir: app.profileStateDir});
	const farm = await farmViewFor(app, env);

	let accountName: string | null = null;

	const stopDemo = sandbox && queue
		? startSandboxDemo({
				listChildren: node => app.structure.listChildren(node),
				missingFile: () => client.file(context.accountId, '00000000-0000-4000-8000-000000000000').catch((error: unknown) => {
					if (!(error instanceof FrameioError)) throw error;
				}),
				// Read-only: the demo browses and errs as usual, but makes no upload of its own.
				addUpload: options.readonly
					? undefined
					: async filePath => {
							await addUpload(context, queue, filePath, undefined, 'demo');
						},
				activeUploads: () => activeCount(queue.snapshot()),
				dir: path.join(app.profileStateDir, 'demo-renders'),
				logger: logging.get('frameio.app'),
			})
		: () => undefined;
	const cacheOf = app.identity ? `${describeIdentity(app.identity)}${app.offline ? ' (stale: the API was out of reach at start)' : ''}` : 'none (the API did not say who the token is: an empty cache in memory)';
	const status = statusSource({mode: sandbox ? 'sandbox' : 'live', client, bus, account: () => accountName, cacheOf, farm: app.farm});
	// The account's name, for the status bar as soon as it is known rather than at the next refresh.
	app.structure
		.accounts()
		.then(accounts => {
			accountName = accounts.find(account => account.id === context.accountId)?.display_name ?? null;
			status.changed();
		})
		.catch(() => undefined);
	// The file every process of this tool writes (this one included): the Logs tab follows it.
	const logs = new LogTail({logsDir: paths.logsDir});

	let shutDown = false;
	return {
		health,
		cache: app.cache,
		structure: app.structure,
		// The receiver's address goes with the figures that count its deliveries (the Metrics tab's webhook line).
		metrics: receiver ? {figures: windowMs => live.metrics.figures(windowMs), series: (...args) => live.metrics.series(...args), webhookReceiver: receiver.url} : live.metrics,
		alerts: alertsSource(live.engine),
		uploads: uploads.source,
		status,
		farm,
		logs,
		refreshIntervalSeconds: config.optimization.monitoring.refresh_interval_seconds,
		probeIntervalSeconds: config.optimization.monitoring.system_metrics_interval,
		onConsoleOutput: (level, args) => logging.get('frameio.app').info({level, args: args.map(String)}, 'console output'),
		async shutdown(reason) {
			if (shutDown) return;
			shutDown = true;
			logging.get('frameio.app').info({reason}, 'console closing');
			stopDemo();
			logs.close();
			await receiver?.close().catch(() => undefined);
			status.stop();
			live.stop();
			await uploads.close();
			await live.flush(1000);
			await farm.close().catch(() => undefined);
			await app.close();
		},
	};
};

/**
 * The Farm tab's source. The Redis client is loaded only in farm mode; a FRAMEIO_REDIS_URL that cannot be used is
 * what every read says (the console still opens).
 */
async function farmViewFor(app: App, env: NodeJS.ProcessEnv): Promise<FarmSource & {close(): Promise<void>}> {
	const off = farmOffReason(app, env);
	if (off) return farmOff(off);
	const {farmSettingsOf, openFarmView} = await import('./farm-view.js');
	try {
		return openFarmView(app, farmSettingsOf(app, env));
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return {read: () => Promise.reject(new Error(reason)), close: async () => undefined};
	}
}
