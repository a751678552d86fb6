// Turns whatever went wrong under got (an HTTP error status, a reset socket, a timeout, a failed token refresh)
// into one FrameioError. Used by the client's beforeError hook, and again by its retry loop for errors that
// never reached that hook.
import {RequestError} from 'got';
import {ImsError} from './auth/ims-client.js';
import {AuthError, NoCredentialsError} from './auth/token-provider.js';
import {FrameioError, parseErrorBody} from './errors.js';
import {parseRetryAfter} from './retry-policy.js';
import {describeForeignBody, notJsonError} from './response-check.js';

export type CallInfo = {op: string; method: string; path: string; origin: string; timeoutMs: number};

const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

export function toFrameioError(error: unknown, call: CallInfo): FrameioError | NoCredentialsError {
	if (error instanceof FrameioError) return error;
	const cause = error instanceof RequestError ? error.cause : undefined;
	// A failure of our own token source, thrown inside a hook: keep its meaning.
	const root = cause instanceof NoCredentialsError || cause instanceof AuthError || cause instanceof ImsError ? cause : error;
	if (root instanceof NoCredentialsError) return root;
	if (root instanceof AuthError || root instanceof ImsError) {
		return new FrameioError({...base(call), status: 0, code: 'auth', title: 'Authentication failed', detail: root.message});
	}
	if (error instanceof RequestError) {
		const response = error.response;
		if (error.name === 'TimeoutError') {
			return new FrameioError({...base(call), status: 0, code: 'timeout', causeCode: error.code, detail: `no answer from ${call.origin} within ${formatSeconds(call.timeoutMs)}`});
		}
		// The body stopped before its end (the server closed the connection): not an answer to read.
		if (error.name === 'ReadError') {
			return new FrameioError({...base(call), status: 0, code: 'network', causeCode: error.code, detail: describeNetwork('ERR_STREAM_PREMATURE_CLOSE', call.origin, error.message)});
		}
		if (response && error.name !== 'RequestError') {
			const status = response.statusCode;
			if (error.name === 'MaxRedirectsError') return unfollowedRedirect(response, call, true);
			// A 2xx whose body is not JSON (a proxy's HTML page, a body cut short without a content-length).
			if (error.name === 'ParseError') return notJsonError(call, status, response.headers['content-type'], response.rawBody);
			const item = parseErrorBody(response.body);
			return new FrameioError({
				...base(call),
				status,
				code: status === 401 ? 'auth' : 'http',
				title: item?.title,
				detail: item?.detail || (item ? undefined : describeForeignBody(response.headers['content-type'], response.body)),
				pointer: item?.source?.pointer,
				retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
			});
		}
		const code = error.code;
		if (networkCodes.has(code) || /socket hang up/i.test(error.message) || !response) {
			return new FrameioError({...base(call), status: 0, code: 'network', causeCode: code, detail: describeNetwork(code, call.origin, error.message)});
		}
	}
	const message = error instanceof Error ? error.message : String(error);
	return new FrameioError({...base(call), status: 0, code: 'network', detail: message});
}

/** A 3xx answer with a Location: got gives it back as an answer when followRedirect said no. */
export function isRedirect(status: number): boolean {
	return status >= 300 && status < 400 && status !== 304;
}

/**
 * A redirect the client did not follow: to another origin (credentials stay with the configured API), or one too
 * many (a loop). Either way a clear refusal, not "302: Error".
 */
export function unfollowedRedirect(response: {statusCode: number; url: string; headers: Record<string, string | string[] | undefined>}, call: CallInfo, loop = false): FrameioError {
	const status = response.statusCode;
	if (loop) {
		return new FrameioError({...base(call), status, code: 'http', title: 'too many redirects', detail: `a redirect loop (the last one to ${describeLocation(response.url)})`});
	}
	const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
	if (!location) return new FrameioError({...base(call), status, code: 'http', title: 'a redirect without a Location'});
	return new FrameioError({
		...base(call),
		status,
		code: 'http',
		title: `redirected to another host (${describeLocation(location, response.url)})`,
		detail: 'refused: credentials are never sent to another origin',
	});
}

/** The origin a Location points at (its path and query may carry anything). */
function describeLocation(location: string, from?: string): string {
	try {
		return new URL(location, from).origin;
	} catch {
		return 'an invalid URL';
	}
}

function base(call: CallInfo) {
	return {op: call.op, method: call.method, path: call.path};
}

function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
	const ms = parseRetryAfter(header);
	return ms === undefined ? undefined : ms / 1000;
}

function describeNetwork(code: string, origin: string, message: string): string {
	switch (code) {
		case 'ECONNREFUSED':
			return `cannot reach ${origin} (connection refused)`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `cannot resolve ${origin}`;
		case 'ECONNRESET':
			return `connection to ${origin} was reset`;
		case 'ERR_STREAM_PREMATURE_CLOSE':
		case 'ERR_HTTP_CONTENT_LENGTH_MISMATCH':
			return `the answer from ${origin} was cut short (the connection closed before its last byte)`;
		default:
			return /socket hang up/i.test(message) ? `${origin} closed the connection (socket hang up)` : `cannot reach ${origin} (${code || message})`;
	}
}

function formatSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(2)} s`;
}
