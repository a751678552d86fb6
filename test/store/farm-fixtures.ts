// Farm views for the console tests, built from heartbeat payloads by the product's own reader (app/farm-nodes.ts), as
// the Farm tab's source builds them from Redis.
import {bucketViews, farmNodeView, farmTotals} from '../../source/app/farm-nodes.js';
import type {HeartbeatPayload} from '../../source/farm/heartbeat.js';
import type {FarmView} from '../../source/store/ports.js';

const MiB = 1024 * 1024;

export type FakeProcess = Partial<HeartbeatPayload> & {node: string; instance?: string; uptimeMs?: number; version?: string};

/** A watch process uploading `index % 3` files, healthy unless told otherwise. */
export function watchBeat(node: string, index: number, fields: Partial<FakeProcess> = {}): FakeProcess {
	const uploading = index % 3;
	const active = Array.from({length: uploading}, (_, i) => ({name: `UNDLM_SEQ01_${String(index * 10 + i).padStart(5, '0')}_v001.mov`, state: 'uploading', percent: (i + 1) * 10, bytesDone: (i + 1) * 10 * MiB, size: 100 * MiB, speed: 2 * MiB}));
	return {
		node,
		instance: `i${String(index).padStart(3, '0')}`,
		uptimeMs: 3 * 3_600_000,
		version: '0.1.0',
		role: 'watch',
		health: {status: 'ok', reasons: []},
		uploads: {queued: index, uploading, verifying: 0, done: 100 + index, failed: 0, speed: uploading * 2 * MiB, active},
		requests: {total: 1000 + index, rateLimited: index % 5 === 0 ? 2 : 0, lastMinute: 10 + index, rateLimitedLastMinute: index % 5 === 0 ? 1 : 0},
		breaker: {state: 'closed', consecutiveFailures: 0, opens: 0},
		alerts: [],
		...fields,
	};
}

/** A farm of these processes, with a few buckets in use. */
export function farmView(processes: FakeProcess[], levels: Record<string, number> = {'files.local_upload': 4.2, 'folders.list': 2}): Extract<FarmView, {mode: 'on'}> {
	const nodes = processes.map(process =>
		farmNodeView({
			heartbeat: {startedAt: 0, sentAt: Date.now(), ttlMs: 15_000, instance: 'i000', version: null, uptimeMs: 0, ...process},
			ageMs: 1200,
			expiresInMs: 13_800,
		}),
	);
	const shapes = {'files.local_upload': {capacity: 5, ratePerMs: 0.005}, 'folders.list': {capacity: 5, ratePerMs: 0.005}, me: {capacity: 100, ratePerMs: 0.0016}, 'files.status': {capacity: 5, ratePerMs: 0.005}};
	return {mode: 'on', redis: 'redis://10.0.0.5:6379', node: 'console-01', at: Date.now(), nodes, totals: farmTotals(nodes), buckets: bucketViews(levels, shapes)};
}

/** render-01 … render-NN, one watch each. */
export function renderFarm(count: number): Extract<FarmView, {mode: 'on'}> {
	return farmView(Array.from({length: count}, (_, i) => watchBeat(`render-${String(i + 1).padStart(2, '0')}`, i + 1)));
}
