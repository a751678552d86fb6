// Health: real probes with a verdict, a reason and a duration, run concurrently under one deadline.
import type {Logger} from 'pino';
import {healthChecks, type HealthDeps} from './checks/index.js';
import {HealthService} from './health-service.js';

export {HealthService, sortResults, summarize, type HealthServiceOptions} from './health-service.js';
export {healthChecks, type HealthDeps} from './checks/index.js';
export {aloneFarmProbe, FARM_OFF_REASON, type FarmProbe} from './checks/farm-check.js';
export {DISK_FAIL_BYTES, DISK_WARN_BYTES, MIN_LOOKUPS_FOR_HIT_RATE} from './checks/local-checks.js';
export {TOKEN_WARN_MS} from './checks/credentials-checks.js';
export {RATE_LIMIT_WARN_SHARE} from './checks/api-checks.js';
export {webhookUrlProblem} from './checks/alert-channel-check.js';
export {formatHealth} from './format.js';
export {DeadlineError, noDeadline, startDeadline, type Deadline} from './deadline.js';
export type {CheckOutcome, CheckRun, CheckStatus, HealthCheck, HealthCheckResult} from './checks/types.js';

/** The standard checks under monitoring.health_timeout_seconds (or timeoutMs). Satisfies the console's HealthSource. */
export function createHealthService(deps: HealthDeps & {timeoutMs?: number; logger?: Logger}): HealthService {
	const timeoutMs = deps.timeoutMs ?? deps.config.optimization.monitoring.health_timeout_seconds * 1000;
	return new HealthService(healthChecks(deps), {timeoutMs, logger: deps.logger});
}
export {formatValidation, validateConfigFiles, validateCredentials, validateIds, type ValidationItem, type ValidationReport, type ValidationStatus} from './validate.js';
