// Prometheus /metrics for a long-running process (the console, `watch`, `upload`): the exporter listens to this
// App's bus, the endpoint serves it on metrics.host (127.0.0.1 by default). Every series is labelled with the node
// (FRAMEIO_NODE_NAME, else the host name) and the process's role.
import {nodeName} from '../config/node-name.js';
import {productVersion} from '../config/version.js';
import type {App} from './open-app.js';

/** The process's role (a label), and --metrics-port (0: any free port), which wins over metrics.port. */
export type MetricsChoice = {role: 'console' | 'watch' | 'upload'; port?: number};

/** Where /metrics is served, or, when metrics.port asked for it and it could not be, why. */
export type MetricsStatus = {url: string} | {url: null; warning: string | null};

/**
 * A port given on the command line that cannot be bound is a start-up error: the admin asked for it now. A
 * metrics.port that cannot be bound is a warning (logged, and in `status.warning`): the config applies to every
 * process of the node and only the first one gets the port.
 */
export async function servePrometheus(app: App, choice: MetricsChoice, env: NodeJS.ProcessEnv = process.env): Promise<{status: MetricsStatus; close(): void}> {
	const {port: configuredPort, host} = app.config.optimization.metrics;
	const port = choice.port ?? configuredPort;
	if (port === null) return {status: {url: null, warning: null}, close: () => undefined};
	const logger = app.logging.get('frameio.app');
	// Loaded only now: a process without a metrics port never loads prom-client.
	const [{createPrometheusExporter}, {startMetricsEndpoint}] = await Promise.all([import('../metrics/prometheus.js'), import('../metrics/metrics-endpoint.js')]);
	const exporter = createPrometheusExporter({
		bus: app.bus,
		node: app.farm.state()?.node ?? nodeName(env, undefined, app.config.optimization.farm.node_name),
		role: choice.role,
		version: productVersion() ?? undefined,
		breakerState: () => app.client.breaker.state,
	});
	try {
		const endpoint = await startMetricsEndpoint({port, host, scrape: () => exporter.scrape()});
		logger.info({port: endpoint.port, host, role: choice.role}, `Prometheus metrics on ${endpoint.url}`);
		return {
			status: {url: endpoint.url},
			close() {
				exporter.detach();
				void endpoint.close();
			},
		};
	} catch (error) {
		exporter.detach();
		if (choice.port !== undefined) throw error;
		const warning = `metrics.port: ${(error as Error).message}; this ${choice.role} serves no /metrics (give it its own --metrics-port N)`;
		logger.warn({port, host}, warning);
		return {status: {url: null, warning}, close: () => undefined};
	}
}
