// The structured lines a report is later computed from (report --since reads them back, report/log-replay.ts).
// Every API call and upload gets a line; cache hits/misses and system samples, which are too many for one line
// each, get a summary line per interval (default 60 s) with the counts since the previous one.
//
// Not logged here, because their producers already log them: circuit breaker changes (the client's
// 'frameio.api' lines carry `state` and `previous`), cache purges and invalidations (ApiCache). Per request the
// client logs only failures (with the API's words) and successes at debug, so the api lines here are no double.
import type {Logger} from 'pino';
import type {ApiCallEvent, AppEvent, ErrorKind, EventBus, ProbeEvent, SystemSampleEvent, UploadEvent, UploadOutcome} from '../events/index.js';
import type {Logging} from '../log/logger.js';
import {MB} from '../format/bytes.js';
import {systemClock, type SamplerClock} from './sampler.js';

/** The fields of each line this module writes (besides pino's time, level, logger, msg). */
export type ApiLine = {event: 'api'; op: string; method: string; status: number; ms: number; queueMs: number; retryWaitMs: number; bytes: number; retries: number; errorKind?: ErrorKind};
export type UploadLine = {event: 'upload'; id: string; name: string; outcome: UploadOutcome; bytes: number; seconds: number; mbps: number; reason?: string};
export type CacheSummaryLine = {event: 'cache_summary'; hits: number; misses: number; intervalMs: number};
export type SystemLine = {event: 'system'; samples: number; cpuMean: number; cpuPeak: number; rssMean: number; rssPeak: number; intervalMs: number};
export type ProbeLine = {event: 'probe'; ok: boolean; ms: number; status: number; reason?: string};
export type EventLine = ApiLine | UploadLine | CacheSummaryLine | SystemLine | ProbeLine;

export type EventLogOptions = {
	/** Period of the cache and system summary lines; default 60 s. */
	summaryIntervalMs?: number;
	/** Write a line per upload outcome (default true). Off if the upload queue's own line carries these fields. */
	uploads?: boolean;
	clock?: SamplerClock;
};

export type EventLog = {
	/** Writes the pending cache and system summaries now (only those with something to say). */
	flush(): void;
	/** Flushes, then stops listening. */
	detach(): void;
};

const DEFAULT_SUMMARY_MS = 60_000;

export function attachEventLog(bus: EventBus, logging: Pick<Logging, 'get'>, options: EventLogOptions = {}): EventLog {
	const clock = options.clock ?? systemClock;
	const intervalMs = options.summaryIntervalMs ?? DEFAULT_SUMMARY_MS;
	const api = logging.get('frameio.api');
	const upload = logging.get('frameio.upload');
	const cache = logging.get('frameio.cache');
	const app = logging.get('frameio.app');
	const logUploads = options.uploads ?? true;

	let hits = 0;
	let misses = 0;
	let system = emptySystem();

	const onEvent = (event: AppEvent) => {
		switch (event.type) {
			case 'api':
				logApi(api, event);
				return;
			case 'upload':
				if (logUploads) logUpload(upload, event);
				return;
			case 'cache':
				if (event.op === 'hit') hits += event.count ?? 1;
				else if (event.op === 'miss') misses += event.count ?? 1;
				return;
			case 'system':
				addSample(system, event);
				return;
			case 'probe':
				logProbe(api, event);
				return;
			default:
				return;
		}
	};

	const flush = () => {
		if (hits > 0 || misses > 0) {
			const line: CacheSummaryLine = {event: 'cache_summary', hits, misses, intervalMs};
			const total = hits + misses;
			cache.info(line, `Cache: ${hits} hits, ${misses} misses (${Math.round((hits / total) * 100)} % hit rate) since the last summary`);
			hits = 0;
			misses = 0;
		}
		if (system.samples > 0) {
			const line = systemLine(system, intervalMs);
			app.info(
				line,
				`System: CPU mean ${round(line.cpuMean, 1)} % peak ${round(line.cpuPeak, 1)} %, RSS mean ${round(line.rssMean / MB, 1)} MB peak ${round(line.rssPeak / MB, 1)} MB (${line.samples} samples)`,
			);
			system = emptySystem();
		}
	};

	const unsubscribe = bus.on(onEvent);
	const timer = clock.setInterval(flush, intervalMs);
	let attached = true;
	return {
		flush,
		detach() {
			if (!attached) return;
			attached = false;
			unsubscribe();
			clock.clearInterval(timer);
			flush();
		},
	};
}

function logApi(logger: Logger, event: ApiCallEvent): void {
	const ms = Math.round(event.ms);
	if (event.fromCache) {
		// Answered by the cache: the cache summary counts these; a line each would drown the log.
		logger.debug({event: 'api_cached', op: event.op, method: event.method}, `${event.method} ${event.op} from cache`);
		return;
	}
	const queueMs = Math.round(event.queueMs ?? 0);
	const retryWaitMs = Math.round(event.retryWaitMs ?? 0);
	const line: ApiLine = {event: 'api', op: event.op, method: event.method, status: event.status, ms, queueMs, retryWaitMs, bytes: event.bytes, retries: event.retries};
	if (event.errorKind) line.errorKind = event.errorKind;
	const extra = [
		event.errorKind,
		event.retries > 0 ? `${event.retries} ${event.retries === 1 ? 'retry' : 'retries'}` : '',
		queueMs > 0 ? `waited ${queueMs} ms for the rate limit` : '',
		retryWaitMs > 0 ? `${retryWaitMs} ms of retry back-off` : '',
	]
		.filter(Boolean)
		.join(', ');
	logger.info(line, `${event.method} ${event.op} ${event.status || 'no response'} ${ms} ms${extra ? ` (${extra})` : ''}`);
}

function logUpload(logger: Logger, event: UploadEvent): void {
	const line: UploadLine = {
		event: 'upload',
		id: event.id,
		name: event.name,
		outcome: event.outcome,
		bytes: event.bytes,
		seconds: round(event.seconds, 3),
		mbps: round(event.mbps, 3),
	};
	if (event.reason) line.reason = event.reason;
	const size = `${round(event.bytes / MB, 2)} MB in ${round(event.seconds, 2)} s`;
	const text =
		event.outcome === 'done' ? `${size} (${round(event.mbps, 2)} MB/s)` : event.outcome === 'failed' ? `${event.reason ?? 'failed'}` : 'cancelled';
	logger.info(line, `Upload metrics: ${event.outcome} ${event.name}, ${text}`);
}

function logProbe(logger: Logger, event: ProbeEvent): void {
	const line: ProbeLine = {event: 'probe', ok: event.ok, ms: Math.round(event.ms), status: event.status};
	if (event.reason) line.reason = event.reason;
	if (event.ok) logger.debug(line, `Latency probe: ${line.ms} ms`);
	else logger.warn(line, `Latency probe failed: ${event.reason ?? `HTTP ${event.status}`} after ${line.ms} ms`);
}

type SystemAccumulator = {samples: number; cpuSum: number; cpuPeak: number; rssSum: number; rssPeak: number};

const emptySystem = (): SystemAccumulator => ({samples: 0, cpuSum: 0, cpuPeak: 0, rssSum: 0, rssPeak: 0});

function addSample(acc: SystemAccumulator, event: SystemSampleEvent): void {
	acc.samples++;
	acc.cpuSum += event.cpuPercent;
	acc.cpuPeak = Math.max(acc.cpuPeak, event.cpuPercent);
	acc.rssSum += event.rssBytes;
	acc.rssPeak = Math.max(acc.rssPeak, event.rssBytes);
}

function systemLine(acc: SystemAccumulator, intervalMs: number): SystemLine {
	return {
		event: 'system',
		samples: acc.samples,
		// Rounded for the log; the mean stays within its peak because both round the same way.
		cpuMean: round(acc.cpuSum / acc.samples, 3),
		cpuPeak: round(acc.cpuPeak, 3),
		rssMean: Math.round(acc.rssSum / acc.samples),
		rssPeak: Math.round(acc.rssPeak),
		intervalMs,
	};
}

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}
