// Every request the sandbox sees, for tests to assert on (counts, order, faults). Secrets are not kept:
// the Authorization header, presigned signatures and the Discord webhook secret are redacted here.
import type {IncomingMessage} from 'node:http';
import type {RequestRecord} from './types.js';

const REDACTED = '[REDACTED]';
const SECRET_QUERY = /^(x-amz-signature|x-amz-credential|x-amz-security-token|signature|code|access_token|refresh_token|client_secret)$/i;

export class RequestLog {
	readonly records: RequestRecord[] = [];

	constructor(private readonly max: number) {}

	start(req: IncomingMessage, url: URL): RequestRecord {
		const query: Record<string, string> = {};
		for (const [key, value] of url.searchParams) query[key] = SECRET_QUERY.test(key) ? REDACTED : value;
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(req.headers)) {
			if (value === undefined) continue;
			headers[key] = key === 'authorization' || key === 'cookie' ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
		}
		const record: RequestRecord = {
			method: req.method ?? 'GET',
			path: url.pathname.replace(/^(\/discord\/api\/webhooks\/[^/]+\/)[^/]+/, `$1${REDACTED}`),
			query,
			status: 0,
			at: Date.now(),
			headers,
		};
		this.records.push(record);
		if (this.records.length > this.max) this.records.splice(0, this.records.length - this.max);
		return record;
	}

	clear(): void {
		this.records.length = 0;
	}
}
