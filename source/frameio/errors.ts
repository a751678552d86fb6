import type {ErrorKind} from '../events/index.js';
import {printable} from '../format/printable.js';
import {redactText} from '../log/redact.js';
import type {ApiErrorItem} from './types.js';

/** 'response': an answer we could not use (larger than the limit, not JSON, not the documented shape). */
export type FrameioErrorCode = 'http' | 'network' | 'timeout' | 'breaker_open' | 'auth' | 'response';

export type FrameioErrorInit = {
	status: number;
	code: FrameioErrorCode;
	op: string;
	method: string;
	path: string;
	title?: string;
	detail?: string;
	pointer?: string;
	retries?: number;
	/** Low-level cause: ECONNREFUSED, ETIMEDOUT, … */
	causeCode?: string;
	/** Seconds the server asked us to wait (Retry-After), when it said. */
	retryAfterSeconds?: number;
};

/**
 * Every failure of an API call, whatever its cause, so that callers branch on fields instead of parsing messages.
 * The message never carries a token or a signature: only the op, the status and the API's own words, made
 * printable (a title or detail with escape sequences or newlines cannot drive the terminal it is printed on). The
 * fields keep the exact values.
 */
export class FrameioError extends Error {
	readonly status: number;
	readonly code: FrameioErrorCode;
	readonly op: string;
	readonly method: string;
	readonly path: string;
	readonly title: string | undefined;
	readonly detail: string | undefined;
	readonly pointer: string | undefined;
	readonly causeCode: string | undefined;
	readonly retryAfterSeconds: number | undefined;
	retries: number;
	/** What the user can do about it, added by whoever knows (e.g. --stale-ok when the API is out of reach). */
	advice: string | undefined;

	constructor(init: FrameioErrorInit) {
		super(redactText(formatMessage(init)));
		this.name = 'FrameioError';
		this.status = init.status;
		this.code = init.code;
		this.op = init.op;
		this.method = init.method;
		this.path = init.path;
		this.title = init.title;
		this.detail = init.detail;
		this.pointer = init.pointer;
		this.causeCode = init.causeCode;
		this.retryAfterSeconds = init.retryAfterSeconds;
		this.retries = init.retries ?? 0;
	}

	get errorKind(): ErrorKind {
		return errorKindOf(this.code, this.status);
	}

	/** Whether the failure says the service is unwell (counts against the circuit breaker). */
	get isServiceFailure(): boolean {
		return this.code === 'network' || this.code === 'timeout' || this.status === 429 || this.status >= 500;
	}
}

export function errorKindOf(code: FrameioErrorCode, status: number): ErrorKind {
	if (code === 'breaker_open') return 'breaker_open';
	if (code === 'network') return 'network';
	if (code === 'timeout') return 'timeout';
	if (code === 'response') return 'server';
	if (code === 'auth' || status === 401) return 'auth';
	if (status === 429) return 'rate_limit';
	if (status >= 500) return 'server';
	return 'client';
}

const statusTexts: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	408: 'Request Timeout',
	409: 'Conflict',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

function formatMessage(raw: FrameioErrorInit): string {
	const init = {...raw, title: raw.title && printable(raw.title), detail: raw.detail && printable(raw.detail), pointer: raw.pointer && printable(raw.pointer)};
	const head = `${init.method} ${init.op}`;
	switch (init.code) {
		case 'breaker_open':
			return `${head}: circuit breaker open, not sent${init.detail ? ` — ${init.detail}` : ''}`;
		case 'network':
			return `${head}: network error${init.causeCode ? ` ${init.causeCode}` : ''}${init.detail ? ` — ${init.detail}` : ''}`;
		case 'timeout':
			return `${head}: timed out${init.detail ? ` — ${init.detail}` : ''}`;
		case 'response':
			return `${head} ${init.status}: ${init.title ?? 'an answer that cannot be used'}${init.detail ? `: ${init.detail}` : ''}`;
		default: {
			const title = init.title ?? statusTexts[init.status] ?? 'Error';
			const status = init.status ? ` ${init.status}` : '';
			const detail = init.detail && init.detail !== title ? ` — ${init.detail}` : '';
			const pointer = init.pointer ? ` (at ${init.pointer})` : '';
			return `${head}${status}: ${title}${detail}${pointer}`;
		}
	}
}

/** Reads the v4 `{"errors":[…]}` body; anything else yields nothing (a proxy's HTML page, an empty body). */
export function parseErrorBody(body: unknown): ApiErrorItem | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (!value || typeof value !== 'object') return undefined;
	const errors = (value as {errors?: unknown}).errors;
	if (!Array.isArray(errors) || errors.length === 0) return undefined;
	const items = errors.filter((item): item is ApiErrorItem => Boolean(item) && typeof item === 'object');
	if (items.length === 0) return undefined;
	const first = items[0];
	// Several errors are joined so that the user sees every invalid field at once.
	const detail = items
		.map(item => (typeof item.detail === 'string' ? item.detail : ''))
		.filter(Boolean)
		.join('; ');
	return {
		title: typeof first.title === 'string' ? first.title : undefined,
		detail,
		source: first.source && typeof first.source.pointer === 'string' ? {pointer: first.source.pointer} : undefined,
	};
}
