// What a process says about itself in each farm heartbeat (issue 14): name, version and uptime come with every beat
// (farm/heartbeat.ts); this adds its health summary, its active uploads with their progress, its requests and 429s
// (each node's share of the farm's is its count over the sum of the live heartbeats), its breaker and its active
// alerts. Bounded: a heartbeat is at most 64 KiB, and 200 of them are listed in one round trip.
import type {EventBus} from '../events/index.js';
import type {CircuitBreaker} from '../frameio/circuit-breaker.js';
import type {AlertEngine} from '../metrics/alert-engine.js';
import type {UploadQueueSnapshot} from '../upload/job.js';
import {reachability} from './console-adapters.js';
import type {FarmSide} from './farm-seams.js';
import {HEARTBEAT_MAX_FILES, type HeartbeatPayload} from '../farm/heartbeat.js';

const MINUTE_MS = 60_000;

export type NodeSummarySources = {
	/** console, watch or upload; absent for a process that does not say. */
	role?: string;
	bus: EventBus;
	breaker: CircuitBreaker;
	engine: AlertEngine;
	farm: FarmSide;
	/** The upload queue of this process, once it has one. */
	uploads: () => UploadQueueSnapshot | null;
	now?: () => number;
};

/** What the beat carries: the farm's own shape (farm/heartbeat.ts), which readers of any version check field by field. */
export type NodeSummary = HeartbeatPayload;

/** Counts requests from the bus from now on; summary() reads everything at the moment of a beat. */
export function nodeSummarySource(sources: NodeSummarySources): {summary(): NodeSummary; stop(): void} {
	const now = sources.now ?? Date.now;
	let total = 0;
	let rateLimited = 0;
	// Counted here, not read from the queue: watch forgets finished jobs to keep its memory flat.
	const finished = {done: 0, failed: 0};
	// One slot per second of the last minute: [second, requests, 429s].
	const recent: Array<[number, number, number]> = [];
	const reach = reachability(sources.bus, () => undefined, now);
	const stopCounting = sources.bus.on(event => {
		if (event.type === 'upload' && event.outcome !== 'cancelled') finished[event.outcome]++;
		if (event.type !== 'api' || event.fromCache || event.errorKind === 'breaker_open') return;
		const sent = 1 + event.retries;
		const refused = event.rateLimited ?? 0;
		total += sent;
		rateLimited += refused;
		const second = Math.floor(event.at / 1000);
		const last = recent.at(-1);
		if (last && last[0] === second) {
			last[1] += sent;
			last[2] += refused;
		} else recent.push([second, sent, refused]);
		while (recent.length > 0 && recent[0][0] < second - 60) recent.shift();
	});

	const summary = (): NodeSummary => {
		const at = now();
		const minuteAgo = Math.floor((at - MINUTE_MS) / 1000);
		let lastMinute = 0;
		let rateLimitedLastMinute = 0;
		for (const [second, sent, refused] of recent) {
			if (second <= minuteAgo) continue;
			lastMinute += sent;
			rateLimitedLastMinute += refused;
		}
		const breaker = sources.breaker.stats();
		const alerts = sources.engine.active().map(alert => ({rule: alert.rule, level: alert.level, since: alert.at, message: alert.message}));
		return {
			role: sources.role,
			health: healthOf(breaker.state, reach.down(), alerts, sources.farm.state()?.state ?? null),
			uploads: uploadsOf(sources.uploads(), finished),
			requests: {total, rateLimited, lastMinute, rateLimitedLastMinute},
			breaker: {state: breaker.state, consecutiveFailures: breaker.consecutiveFailures, opens: breaker.opens},
			alerts,
		};
	};
	return {
		summary,
		stop() {
			stopCounting();
			reach.stop();
		},
	};
}

function healthOf(breaker: string, down: string | null, alerts: NodeSummary['alerts'], farm: string | null): NodeSummary['health'] {
	const failing: string[] = [];
	const degraded: string[] = [];
	if (breaker === 'open') failing.push('circuit breaker open');
	else if (breaker === 'half-open') degraded.push('circuit breaker half-open');
	if (down) failing.push(`API ${down}`);
	if (farm === 'lost') degraded.push('Redis lost: working alone');
	for (const alert of alerts) (alert.level === 'error' || alert.level === 'critical' ? failing : degraded).push(`alert ${alert.rule}`);
	const status = failing.length > 0 ? 'failing' : degraded.length > 0 ? 'degraded' : 'ok';
	return {status, reasons: [...failing, ...degraded]};
}

/** The queue's counts now, with the uploads finished since start; null for a process that has no queue and sent nothing. */
function uploadsOf(snapshot: UploadQueueSnapshot | null, finished: {done: number; failed: number}): NodeSummary['uploads'] {
	if (!snapshot) return finished.done + finished.failed > 0 ? {queued: 0, uploading: 0, verifying: 0, ...finished, speed: 0, active: []} : null;
	const {total} = snapshot;
	const active = snapshot.jobs
		.filter(job => job.state === 'uploading' || job.state === 'verifying')
		.slice(0, HEARTBEAT_MAX_FILES)
		.map(job => ({name: job.name.slice(0, 200), state: job.state, percent: Math.round(job.percent * 10) / 10, bytesDone: job.bytesDone, size: job.size, speed: Math.round(job.speed)}));
	return {queued: total.queued, uploading: total.uploading, verifying: total.verifying, ...finished, speed: Math.round(total.speed), active};
}
