// A health check is a real probe with a verdict, a reason a person can act on, and its duration.

export type CheckStatus = 'pass' | 'warn' | 'fail';

export type CheckOutcome = {status: CheckStatus; reason: string};

/** One check's result, as `health` prints it and the console's Health tab shows it (store/ports.ts re-exports it). */
export type HealthCheckResult = {
	/** Stable id, e.g. "api.me". */
	id: string;
	/** What the user reads, e.g. "GET /v4/me round trip". */
	name: string;
	status: CheckStatus;
	reason: string;
	ms: number;
};

export type CheckRun = {
	/** Aborted when the run's deadline passes or the caller cancels: stop working. */
	signal: AbortSignal;
	/** Another check's outcome, or undefined if it has not finished shortly before the deadline. */
	outcomeOf(id: string): Promise<CheckOutcome | undefined>;
};

export type HealthCheck = {
	id: string;
	name: string;
	run(run: CheckRun): Promise<CheckOutcome>;
};

export const pass = (reason: string): CheckOutcome => ({status: 'pass', reason});
export const warn = (reason: string): CheckOutcome => ({status: 'warn', reason});
export const fail = (reason: string): CheckOutcome => ({status: 'fail', reason});
