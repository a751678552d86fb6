// How the farm blocks fail. Every Redis call goes through farmCall: a lost, hung or still-connecting Redis becomes
// one typed FarmUnavailableError, thrown quickly (the connection neither queues offline nor retries a command), so
// that the caller falls back to its local implementation and keeps working. A reply error that is our own bug (a
// Lua error, a wrong type) is not "unavailable" and passes through unchanged.
import type {Redis} from 'ioredis';

export class FarmUnavailableError extends Error {
	readonly code = 'FARM_UNAVAILABLE';

	constructor(
		/** What we were doing, e.g. "bucket take". */
		readonly operation: string,
		options?: {cause?: unknown},
	) {
		super(`Redis is unavailable (${operation})${describeCause(options?.cause)}`, options);
		this.name = 'FarmUnavailableError';
	}
}

export {FarmConfigError} from '../config/farm-settings.js';

// Replies that mean "the server cannot serve now" rather than "your command is wrong".
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|NOAUTH|WRONGPASS)\b/;
// What ioredis 5 rejects a command with when the connection, not the command, is the trouble.
const CONNECTION_TROUBLE =
	/^(Connection is closed|Stream isn't writeable|Command timed out|Command aborted|Reached the max retries|connect E|read E|write E|Socket timeout)/;
const CONNECTION_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'AbortError']);

export function isFarmUnavailable(error: unknown): boolean {
	if (error instanceof FarmUnavailableError) return true;
	if (!(error instanceof Error)) return false;
	// ioredis' ReplyError comes from redis-errors and is typed `any`: recognise it by name.
	if (error.name === 'ReplyError') return TRANSIENT_REPLY.test(error.message);
	if (CONNECTION_ERROR_NAMES.has(error.name)) return true;
	if (typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).syscall) return true;
	return CONNECTION_TROUBLE.test(error.message);
}

/** Runs one Redis exchange; connection trouble becomes FarmUnavailableError. */
export async function farmCall<T>(redis: Redis, operation: string, fn: () => Promise<T>): Promise<T> {
	// Not connected: fail now rather than wait for a connect timeout.
	if (redis.status !== 'ready') throw new FarmUnavailableError(operation, {cause: new Error(`connection ${redis.status}`)});
	try {
		return await fn();
	} catch (error) {
		if (error instanceof FarmUnavailableError) throw error;
		if (isFarmUnavailable(error)) throw new FarmUnavailableError(operation, {cause: error});
		throw error;
	}
}

function describeCause(cause: unknown): string {
	// ioredis' messages name host:port at most, never the password.
	return cause instanceof Error && cause.message ? `: ${cause.message}` : '';
}
