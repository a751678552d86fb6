// Runs every check concurrently under one deadline (monitoring.health_timeout_seconds): a check still running when it
// passes is reported as failed, "timed out after N s", and the run returns on time even when the API hangs.
// Results come back failing first, then warnings, then passes, in check order within each.
import {trimNumber} from '../format/number.js';
import type {Logger} from 'pino';
import {redactText} from '../log/redact.js';
import type {CheckOutcome, CheckStatus, HealthCheck, HealthCheckResult} from './checks/types.js';

export type HealthServiceOptions = {
	timeoutMs: number;
	/** The 'frameio.app' logger: one line per run, one per failing check. */
	logger?: Logger;
};

const rank: Record<CheckStatus, number> = {fail: 0, warn: 1, pass: 2};

export function sortResults(results: readonly HealthCheckResult[]): HealthCheckResult[] {
	return results
		.map((result, index) => ({result, index}))
		.sort((a, b) => rank[a.result.status] - rank[b.result.status] || a.index - b.index)
		.map(entry => entry.result);
}

export function summarize(results: readonly HealthCheckResult[]): Record<CheckStatus, number> & {total: number} {
	const summary = {pass: 0, warn: 0, fail: 0, total: results.length};
	for (const result of results) summary[result.status]++;
	return summary;
}

function errorReason(error: unknown): string {
	return redactText(error instanceof Error ? error.message : String(error));
}

export class HealthService {
	constructor(
		readonly checks: readonly HealthCheck[],
		private readonly options: HealthServiceOptions,
	) {}

	/** Every check, concurrently; resolves within the timeout. Rejects only when `signal` aborts. */
	async run(signal?: AbortSignal): Promise<HealthCheckResult[]> {
		signal?.throwIfAborted();
		const timeoutMs = this.options.timeoutMs;
		const controller = new AbortController();
		const onAbort = () => controller.abort(signal?.reason);
		signal?.addEventListener('abort', onAbort, {once: true});

		let timer: NodeJS.Timeout | undefined;
		let softTimer: NodeJS.Timeout | undefined;
		const deadline = new Promise<'timeout'>(resolve => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
		// Dependents give up waiting a little before the deadline, so that they can still say something of their own.
		const softDeadline = new Promise<undefined>(resolve => (softTimer = setTimeout(() => resolve(undefined), Math.max(0, timeoutMs - Math.min(250, timeoutMs / 10)))));
		const cancelled = new Promise<'cancelled'>(resolve => controller.signal.addEventListener('abort', () => resolve('cancelled'), {once: true}));

		const outcomes = new Map<string, Promise<CheckOutcome>>();
		const run = {
			signal: controller.signal,
			outcomeOf: (id: string): Promise<CheckOutcome | undefined> => {
				const outcome = outcomes.get(id);
				return outcome ? Promise.race([outcome, softDeadline]) : Promise.resolve(undefined);
			},
		};
		const started = performance.now();
		const pending = this.checks.map(check => {
			const begin = performance.now();
			const outcome = Promise.resolve()
				.then(() => check.run(run))
				.catch((error: unknown): CheckOutcome => ({status: 'fail', reason: errorReason(error)}));
			outcomes.set(check.id, outcome);
			return Promise.race([outcome, deadline, cancelled]).then((settled): HealthCheckResult => {
				if (settled === 'timeout') return {id: check.id, name: check.name, status: 'fail', reason: `timed out after ${trimNumber(timeoutMs / 1000, 1)} s`, ms: Math.round(timeoutMs)};
				if (settled === 'cancelled') return {id: check.id, name: check.name, status: 'fail', reason: 'cancelled', ms: Math.round(performance.now() - begin)};
				return {id: check.id, name: check.name, status: settled.status, reason: redactText(settled.reason), ms: Math.round(performance.now() - begin)};
			});
		});

		try {
			const results = await Promise.all(pending);
			signal?.throwIfAborted();
			const sorted = sortResults(results);
			this.log(sorted, performance.now() - started);
			return sorted;
		} finally {
			clearTimeout(timer);
			clearTimeout(softTimer);
			signal?.removeEventListener('abort', onAbort);
			// Checks still running past the deadline are told to stop.
			controller.abort();
		}
	}

	private log(results: HealthCheckResult[], ms: number): void {
		const logger = this.options.logger;
		if (!logger) return;
		const summary = summarize(results);
		const line = `Health: ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail in ${Math.round(ms)} ms`;
		if (summary.fail > 0) logger.warn({summary}, line);
		else logger.info({summary}, line);
		for (const result of results) if (result.status === 'fail') logger.warn({check: result.id, ms: result.ms}, `Health check failed: ${result.name}: ${result.reason}`);
	}
}
