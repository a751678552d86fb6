import type {ApiCallEvent, ErrorKind} from '../events/index.js';

/** A call failed when it has an error kind, no response, or an HTTP status of 400 and above. */
export function isFailure(event: ApiCallEvent): boolean {
	return event.errorKind !== undefined || event.status === 0 || event.status >= 400;
}

/** The producer's errorKind wins; otherwise the kind is read from the status. */
export function errorKindOf(event: ApiCallEvent): ErrorKind {
	if (event.errorKind) return event.errorKind;
	if (event.status === 0) return 'network';
	if (event.status === 401) return 'auth';
	if (event.status === 408) return 'timeout';
	if (event.status === 429) return 'rate_limit';
	if (event.status >= 500) return 'server';
	return 'client';
}
