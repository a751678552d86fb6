// The live parts of a process that runs for a while (the console, `watch`, `upload`): CPU/RSS sampling and the
// GET /v4/me latency probe on one clock, the metrics they feed along with everything else on the bus, the alert rules
// evaluated on the same clock, and the channels (alerts.log, Discord). One wiring for all of them, so that an alert
// raised on a render node reads exactly like one raised in the console. alerts.log gets this process's transitions;
// Discord gets what the alert relay decides (app.farm: every transition alone, one message per farm in farm mode).
// In farm mode the process also beats: its heartbeat carries the summary of node-summary.ts. openLiveMonitoring adds
// Prometheus /metrics when --metrics-port or metrics.port asks for it (prometheus-endpoint.ts).
import {AlertEngine} from '../metrics/alert-engine.js';
import {MetricsStore} from '../metrics/metrics-store.js';
import {createSampler} from '../metrics/sampler.js';
import {createNotifier, type Notifier, type NotifierOptions} from '../notify/notifier.js';
import {nodeName} from '../config/node-name.js';
import type {AlertRuleName} from '../config/alerts-schema.js';
import type {UploadQueueSnapshot} from '../upload/job.js';
import {nodeSummarySource} from './node-summary.js';
import type {App} from './open-app.js';
import {servePrometheus, type MetricsChoice, type MetricsStatus} from './prometheus-endpoint.js';

export type {MetricsChoice, MetricsStatus};

export type LiveMonitoringOptions = {
	/** Run the latency probe on the sampler's clock (default true): api_unreachable reads it. */
	probe?: boolean;
	/** Where FRAMEIO_DISCORD_WEBHOOK and FRAMEIO_NODE_NAME are read; default process.env. */
	env?: NodeJS.ProcessEnv;
	/** Discord channel tuning (tests). */
	discord?: NotifierOptions['discord'];
	/** What this process is, as its farm heartbeat says (the Farm tab's role column). */
	role?: MetricsChoice['role'];
};

export type LiveMonitoring = {
	metrics: MetricsStore;
	engine: AlertEngine;
	notifier: Notifier;
	/** Where Prometheus /metrics is served (openLiveMonitoring); {url: null} when it is not. */
	prometheus: MetricsStatus;
	/**
	 * Stops sampling and evaluating. With `evaluate`, the rules are judged once more first, so that a command shorter
	 * than one sampling interval is judged too. Alerts already raised stay queued for flush(). Idempotent.
	 */
	stop(options?: {evaluate?: boolean}): void;
	/** Waits at most timeoutMs for the alerts already raised to reach Discord, then closes the channel. */
	flush(timeoutMs: number): Promise<void>;
	/** The upload queue whose jobs the heartbeat reports (once the process has one). */
	showUploads(source: () => UploadQueueSnapshot): void;
};

export function startLiveMonitoring(app: App, options: LiveMonitoringOptions = {}): LiveMonitoring {
	const {config, bus, client, logging} = app;
	const {monitoring} = config.optimization;
	const logger = logging.get('frameio.alerts');
	const env = options.env ?? process.env;

	const metrics = new MetricsStore({slowOperationThresholdSeconds: monitoring.slow_operation_threshold});
	const detachMetrics = metrics.attach(bus);
	const sampler = createSampler({
		bus,
		intervalSeconds: monitoring.system_metrics_interval,
		probeTimeoutMs: monitoring.health_timeout_seconds * 1000,
		probe:
			options.probe === false
				? undefined
				: async () => {
						// The wire time, not the wait for the rate limiter (the process's other calls share it).
						const {timing} = await client.meTimed();
						return {status: 200, ms: timing?.wireMs};
					},
	});
	const host = app.farm.state()?.node ?? nodeName(env, undefined, config.optimization.farm.node_name);
	const engine = new AlertEngine(config.alerts, {host, samplingIntervalSeconds: monitoring.system_metrics_interval});
	const notifier = createNotifier({config: config.alerts, logsDir: app.paths.logsDir, logger, env, discord: options.discord});
	const intervalMs = monitoring.system_metrics_interval * 1000;
	const relay = app.farm.alertRelay(alert => notifier.broadcast(alert), {
		cooldownMs: rule => config.alerts.rules[rule as AlertRuleName].cooldown_seconds * 1000,
		intervalMs,
	});
	const stopNotify = engine.onAlert(notifier.log);
	const evaluate = () => {
		const transitions = engine.evaluate(metrics);
		relay.evaluated(engine.active(), transitions);
	};
	const timer = setInterval(evaluate, Math.max(100, intervalMs));
	timer.unref();
	const stopEvaluating = () => clearInterval(timer);
	sampler.start();
	let uploads: (() => UploadQueueSnapshot) | null = null;
	const node = nodeSummarySource({role: options.role, bus, breaker: client.breaker, engine, farm: app.farm, uploads: () => uploads?.() ?? null});
	app.farm.presence.start(() => node.summary());
	const discord = notifier.channels.discord.enabled ? `Discord (${notifier.channels.discord.source === 'env' ? 'FRAMEIO_DISCORD_WEBHOOK' : 'alerts.json'})` : 'no Discord';
	logger.info(
		{intervalSeconds: monitoring.system_metrics_interval, probe: options.probe !== false},
		`live monitoring: sampling and alert rules every ${monitoring.system_metrics_interval} s; alerts to ${notifier.channels.log} and ${discord}`,
	);

	let stopped = false;
	let flushed = false;
	let leaving: Promise<void> = Promise.resolve();
	return {
		metrics,
		engine,
		notifier,
		prometheus: {url: null, warning: null},
		stop(stopOptions = {}) {
			if (stopped) return;
			stopped = true;
			sampler.stop();
			stopEvaluating();
			if (stopOptions.evaluate) evaluate();
			stopNotify();
			detachMetrics();
			node.stop();
			leaving = app.farm.presence.stop().catch(() => undefined);
		},
		async flush(timeoutMs) {
			if (flushed) return;
			flushed = true;
			const deadline = Date.now() + timeoutMs;
			// The farm's message may still be gathering its nodes: sent now, within the same bound.
			await withinMs(relay.flush(), timeoutMs);
			await withinMs(leaving, Math.max(0, deadline - Date.now()));
			await notifier.flush(Math.max(0, deadline - Date.now())).catch(() => undefined);
			const undelivered = notifier.pending;
			notifier.close();
			if (undelivered > 0) logger.warn({undelivered, timeoutMs}, `discord webhook: ${undelivered} alert(s) not delivered before exit (they are in ${notifier.channels.log})`);
		},
		showUploads(source) {
			uploads = source;
		},
	};
}

/**
 * startLiveMonitoring, plus Prometheus /metrics when --metrics-port or metrics.port asks for it. The exporter listens
 * before the sampler starts, so that the first latency probe is counted too.
 */
export async function openLiveMonitoring(app: App, choice: MetricsChoice, options: LiveMonitoringOptions = {}): Promise<LiveMonitoring> {
	const served = await servePrometheus(app, choice, options.env ?? process.env);
	let live: LiveMonitoring;
	try {
		live = startLiveMonitoring(app, {role: choice.role, ...options});
	} catch (error) {
		served.close();
		throw error;
	}
	return {
		...live,
		prometheus: served.status,
		stop(stopOptions) {
			live.stop(stopOptions);
			served.close();
		},
	};
}

/** Waits for `work`, but not longer than ms; never throws. */
async function withinMs(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<void>(resolve => {
		timer = setTimeout(resolve, ms);
		timer.unref();
	});
	await Promise.race([work.catch(() => undefined), deadline]);
	clearTimeout(timer);
}
