// A got instance without auth, limiter or breaker, for requests that are not Frame.io API calls: part PUTs to
// presigned S3 URLs (a bearer token there would be a leak, and S3 limits are not Frame.io's).
import http from 'node:http';
import https from 'node:https';
import got, {type Got} from 'got';

export type PlainHttp = {got: Got; close(): void};

export function createPlainHttp(options: {timeoutMs?: number; maxSockets?: number} = {}): PlainHttp {
	const agents = {
		http: new http.Agent({keepAlive: true, maxSockets: options.maxSockets ?? 32}),
		https: new https.Agent({keepAlive: true, maxSockets: options.maxSockets ?? 32}),
	};
	const instance = got.extend({
		agent: agents,
		retry: {limit: 0},
		...(options.timeoutMs ? {timeout: {request: options.timeoutMs}} : {}),
	});
	return {
		got: instance,
		close() {
			agents.http.destroy();
			agents.https.destroy();
		},
	};
}
