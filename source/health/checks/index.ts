// Every check of `health`, in the order they are listed (the service puts failures first).
import type {HealthCheck} from './types.js';
import {alertChannelCheck} from './alert-channel-check.js';
import {accountCheck, breakerCheck, meCheck, projectCheck, rateLimitCheck, workspaceCheck} from './api-checks.js';
import {configCheck} from './config-check.js';
import {credentialsCheck, tokenExpiryCheck} from './credentials-checks.js';
import type {HealthDeps, SharedProbe} from './deps.js';
import {cacheCheck, diskCheck, DISK_FAIL_BYTES, DISK_WARN_BYTES, nomenclatureCheck} from './local-checks.js';
import {uploadTargetCheck} from './upload-target-check.js';
import {aloneFarmProbe, farmCheck} from './farm-check.js';

export type {HealthDeps} from './deps.js';
export {aloneFarmProbe, FARM_OFF_REASON, type FarmProbe} from './farm-check.js';

export function healthChecks(deps: HealthDeps): HealthCheck[] {
	const now = deps.now ?? Date.now;
	const shared: SharedProbe = {};
	const {client, target, config} = deps;
	const disk = deps.disk ?? {warnBytes: DISK_WARN_BYTES, failBytes: DISK_FAIL_BYTES};
	return [
		configCheck(deps.configDir),
		credentialsCheck(deps.auth),
		tokenExpiryCheck(deps.auth, shared, now),
		meCheck(client, shared, config.optimization.monitoring.slow_operation_threshold * 1000),
		accountCheck(client, target),
		workspaceCheck(client, target),
		projectCheck(client, target),
		uploadTargetCheck(deps.structure, target, deps.auth.source),
		cacheCheck(deps.cache, config.optimization.alerts.cache_hit_rate_min),
		nomenclatureCheck(config.nomenclature),
		diskCheck('disk.logs', 'logs', deps.dirs.logs, disk),
		diskCheck('disk.state', 'state', deps.dirs.state, disk),
		breakerCheck(client, now),
		rateLimitCheck(client),
		alertChannelCheck(config.alerts, deps.env ?? process.env, deps.notifyTest ?? false),
		farmCheck(deps.farm ?? aloneFarmProbe),
	];
}
