// The health checks over an App: the same checks for `health` and for the console's Health tab.
import {createHealthService, type HealthService} from '../health/index.js';
import type {App} from './open-app.js';

export type HealthChoice = {
	/** The state dir whose disk space is checked (the profile's, or the one the user named). */
	stateDir: string;
	/** health --notify-test: also send a test message to the alert channel. */
	notifyTest?: boolean;
};

export function healthServiceFor(app: App, choice: HealthChoice): HealthService {
	return createHealthService({
		configDir: app.paths.configDir,
		config: app.config,
		auth: app.api.auth,
		// Probes report what happens now: one attempt each, on the limiter and breaker every call shares.
		client: app.probeClient,
		target: app.target,
		structure: app.structure,
		cache: app.cache,
		dirs: {logs: app.paths.logsDir, state: choice.stateDir},
		notifyTest: choice.notifyTest,
		farm: app.farm.healthProbe,
		logger: app.logging.get('frameio.app'),
	});
}
