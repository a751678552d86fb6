// Counters behind GET /sandbox/stats (outside /v4, no auth, loopback callers only): how many /v4 requests, by status and
// by rate class, how many the leaky buckets refused, and which sibling folders share a name. Kept apart from the
// request log, which tests clear and which drops old records.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {sendJson} from './http-io.js';
import type {RateClass} from './rate-limit.js';
import type {SandboxStore} from './store.js';
import type {SandboxStats} from './types.js';

export const STATS_PATH = '/sandbox/stats';
const LOOPBACK_PEER = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

export class StatsCounter {
	private requests = 0;
	private rateLimited = 0;
	private readonly byStatus = new Map<string, number>();
	private readonly byClass = new Map<string, number>();

	constructor(private readonly store: SandboxStore) {}

	answered(rateClass: RateClass, status: number): void {
		this.requests++;
		bump(this.byStatus, String(status));
		bump(this.byClass, rateClass);
	}

	refusedByBucket(): void {
		this.rateLimited++;
	}

	snapshot(): SandboxStats {
		return {
			requests: this.requests,
			by_status: Object.fromEntries(this.byStatus),
			by_class: Object.fromEntries(this.byClass),
			rate_limited: this.rateLimited,
			duplicate_folders: this.store.duplicateFolders(),
		};
	}

	handle(req: IncomingMessage, res: ServerResponse): void {
		req.resume();
		if (!LOOPBACK_PEER.test(req.socket.remoteAddress ?? '')) return sendJson(res, 403, {errors: [{title: 'Forbidden', detail: 'sandbox stats are for loopback callers only'}]});
		if (req.method !== 'GET') return sendJson(res, 405, {errors: [{title: 'Method Not Allowed', detail: 'GET only'}]}, {allow: 'GET'});
		sendJson(res, 200, this.snapshot());
	}
}

function bump(map: Map<string, number>, key: string): void {
	map.set(key, (map.get(key) ?? 0) + 1);
}
