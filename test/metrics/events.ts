// Small builders for AppEvents in metrics and alert tests.
import type {ApiCallEvent, ProbeEvent, SystemSampleEvent, UploadEvent, UploadOutcome} from '../../source/events/index.js';

export const api = (at: number, ms: number, status = 200, extra: Partial<ApiCallEvent> = {}): ApiCallEvent => ({
	type: 'api',
	at,
	op: 'me',
	method: 'GET',
	status,
	ms,
	bytes: 100,
	retries: 0,
	fromCache: false,
	...extra,
});

export const upload = (at: number, outcome: UploadOutcome, mbps = 10, bytes = 1_000_000): UploadEvent => ({
	type: 'upload',
	at,
	id: `u${at}`,
	name: 'UNDLM_SEQ01_00042_v002.mp4',
	bytes,
	seconds: 1,
	mbps,
	outcome,
});

export const system = (at: number, rssBytes: number, cpuPercent = 5): SystemSampleEvent => ({type: 'system', at, rssBytes, cpuPercent});

export const probe = (at: number, ok: boolean, ms = 50): ProbeEvent => ({type: 'probe', at, ok, ms, status: ok ? 200 : 0, reason: ok ? undefined : 'ECONNREFUSED'});

export const MiB = 1024 * 1024;
