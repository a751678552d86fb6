// Who the token acts as: GET /v4/me before anything is read, since the cache, the farm's keys and the queue all
// belong to that identity (config/profiles.ts). A refused token reads nothing; an API out of reach reads the last
// identity seen only with --stale-ok.
import type {Logger} from 'pino';
import {describeIdentity, IdentityBook, SANDBOX_ORIGIN, type ApiIdentity} from '../config/profiles.js';
import type {FrameioClient} from '../frameio/client.js';
import {refusedTokenHint} from '../frameio/describe-failure.js';
import {FrameioError} from '../frameio/errors.js';
import {formatSeconds} from '../format/duration.js';
import type {ApiTarget} from './api-target.js';

export type IdentityChoice = {
	/** 'required': no answer is an error; 'optional': go on without one; 'skip': do not ask (AppOptions.identity). */
	mode: 'required' | 'optional' | 'skip';
	stateDir: string;
	/** Serve the last identity seen on this API when it is out of reach. */
	staleOk: boolean;
};

/**
 * health, validate and the console must not wait on an API that hangs before their own deadline even starts: with
 * identity 'optional' the question gets monitoring.health_timeout_seconds, then the run goes on without an identity.
 */
async function withinDeadline<T>(pending: Promise<T>, timeoutMs: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new IdentityTimeout()), timeoutMs);
		timer.unref();
	});
	pending.catch(() => undefined);
	try {
		return await Promise.race([pending, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

class IdentityTimeout extends Error {
	override readonly name = 'IdentityTimeout';
	constructor() {
		super('GET /v4/me: no answer within monitoring.health_timeout_seconds');
	}
}

/** Who the token acts as (module comment of config/profiles.ts), and whether the API could be reached to say so. */
export async function resolveIdentity(options: IdentityChoice, api: ApiTarget, client: FrameioClient, logger: Logger, deadlineMs: number): Promise<{identity: ApiIdentity | null; offline: {reason: string} | null}> {
	const {mode} = options;
	if (mode === 'skip') return {identity: null, offline: null};
	if (api.sandbox) return {identity: {origin: SANDBOX_ORIGIN, userId: api.sandbox.ids.userId}, offline: null};
	const origin = new URL(api.baseUrl).origin;
	const book = new IdentityBook(options.stateDir);
	try {
		const me = mode === 'optional' ? await withinDeadline(client.me(), deadlineMs) : await client.me();
		const identity: ApiIdentity = {origin, userId: me.id, userName: me.name};
		book.remember(identity);
		return {identity, offline: null};
	} catch (error) {
		const unreachable = error instanceof IdentityTimeout || (error instanceof FrameioError && error.isServiceFailure);
		// A token the API refuses never reads cached data: not even its own user's.
		if (!unreachable) {
			if (mode === 'optional') return {identity: null, offline: null};
			if (error instanceof FrameioError && error.status === 401) error.advice = refusedTokenHint(api.auth.source);
			throw error;
		}
		const reason = error instanceof Error ? error.message : String(error);
		const last = book.lastFor(origin);
		if (options.staleOk && last) {
			logger.warn({origin, userId: last.userId, seenAt: last.seenAt, reason}, `API out of reach (${reason}): serving the cache of ${describeIdentity(last)}, marked stale`);
			return {identity: last, offline: {reason}};
		}
		if (mode === 'optional') return {identity: null, offline: null};
		if (error instanceof FrameioError) {
			error.advice = last
				? `nothing was read from the cache; --stale-ok shows the cached data of ${describeIdentity(last)} (seen ${formatSeconds((Date.now() - Date.parse(last.seenAt)) / 1000)} ago), marked stale`
				: 'nothing was read from the cache (and none is known for this API yet)';
		}
		throw error;
	}
}
