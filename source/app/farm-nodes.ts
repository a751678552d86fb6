// The farm as the Farm tab and `frameio-admin farm` show it, read from the live heartbeats. A heartbeat was written
// by another process, maybe of another version or by something else entirely: every field is checked before use (a
// missing or malformed one reads as unknown, never as a crash or a NaN), every string is made printable and short,
// and lists are capped, so that one odd node cannot break or flood the view of the others.
import type {BreakerState} from '../events/index.js';
// From the files themselves, not farm/index.js: this module must not load the Redis client.
import {HEARTBEAT_MAX_FILES, type LiveNode} from '../farm/heartbeat.js';
import type {BucketShape} from '../farm/shared-bucket.js';
import type {FarmBucketView, FarmHealth, FarmNodeView, FarmTotals, FarmUploadTotals, FarmUploadView} from '../store/ports.js';

const TEXT_MAX = 200;
/** What a transfer whose last part is unanswered may show at most (as upload/queue-snapshot.ts). */
const LAST_PART_PENDING = 99.9;
/** The states whose bytes have all landed. */
const LANDED = new Set(['verifying', 'done']);
const MAX_ALERTS = 20;
const MAX_REASONS = 10;
const HEALTH: readonly FarmHealth[] = ['ok', 'degraded', 'failing'];
const BREAKER: readonly BreakerState[] = ['closed', 'open', 'half-open'];

/**
 * A string from another process, safe for a terminal: control characters become "?" (they would drive it), bidi
 * controls are dropped (they would reorder what is around them), and it is cut at `max` characters.
 */
export function cleanText(value: unknown, max = TEXT_MAX): string | null {
	if (typeof value !== 'string') return null;
	const text = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A count or an amount: finite and not negative, else null. */
function amount(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function record(value: unknown): Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
	return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** One process as its heartbeat (a HeartbeatPayload, farm/heartbeat.ts) says. */
export function farmNodeView(live: LiveNode): FarmNodeView {
	const beat = live.heartbeat as Record<string, unknown>;
	const node = cleanText(beat.node, 64) ?? '?';
	const health = record(beat.health);
	const requests = record(beat.requests);
	const uploads = record(beat.uploads);
	const files = (Array.isArray(uploads.active) ? uploads.active : []).slice(0, HEARTBEAT_MAX_FILES).map(record);
	const alerts = (Array.isArray(beat.alerts) ? beat.alerts : []).slice(0, MAX_ALERTS).map(record);
	const reasons = (Array.isArray(health.reasons) ? health.reasons : []).slice(0, MAX_REASONS).map(reason => cleanText(reason)).filter(reason => reason);
	const listed = files.map((file): FarmUploadView => {
		const state = cleanText(file.state, 20) ?? '?';
		const bytesDone = amount(file.bytesDone) ?? 0;
		const size = amount(file.size) ?? 0;
		return {node, name: cleanText(file.name) ?? '?', state, bytesDone, size, percent: percentOf(file.percent, bytesDone, size, state), speed: amount(file.speed) ?? 0};
	});
	const counted = (amount(uploads.uploading) ?? 0) + (amount(uploads.verifying) ?? 0);
	return {
		node,
		instance: cleanText(beat.instance, 40) ?? '?',
		role: cleanText(beat.role, 20) ?? '?',
		version: cleanText(beat.version, 40),
		uptimeMs: amount(beat.uptimeMs) ?? 0,
		beatAgeMs: live.ageMs,
		health: oneOf(health.status, HEALTH) ?? 'unknown',
		summary: cleanText(reasons.join('; ')) ?? '',
		requests: amount(requests.total),
		rateLimited: amount(requests.rateLimited),
		requestsLastMinute: amount(requests.lastMinute),
		rateLimitedLastMinute: amount(requests.rateLimitedLastMinute),
		breaker: oneOf(record(beat.breaker).state, BREAKER) ?? 'unknown',
		alerts: alerts.map(alert => ({rule: cleanText(alert.rule, 40) ?? '?', level: cleanText(alert.level, 20) ?? '?', message: cleanText(alert.message) ?? ''})),
		uploads: {
			// The beat counts every active upload and lists at most 20: the bytes are those of the listed ones.
			active: Math.max(counted, listed.length),
			...bytesOf(listed),
			speed: amount(uploads.speed) ?? listed.reduce((sum, file) => sum + file.speed, 0),
			queued: amount(uploads.queued) ?? 0,
			done: amount(uploads.done) ?? 0,
			failed: amount(uploads.failed) ?? 0,
		},
		files: listed,
	};
}

/**
 * How far a listed transfer is: the sender's percent when its beat says, else its bytes; under 100 until its state
 * says every byte landed, whatever a beat of another version claims.
 */
function percentOf(claimed: unknown, bytesDone: number, size: number, state: string): number {
	const said = amount(claimed);
	const percent = Math.min(100, said ?? (size > 0 ? (bytesDone / size) * 100 : 0));
	return LANDED.has(state) ? percent : Math.min(percent, LAST_PART_PENDING);
}

/** The bytes of some transfers and how far they are together: under 100 while any of them is. */
function bytesOf(files: readonly FarmUploadView[]): Pick<FarmUploadTotals, 'bytesDone' | 'bytesTotal' | 'percent'> {
	const bytesDone = files.reduce((sum, file) => sum + file.bytesDone, 0);
	const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
	const percent = bytesTotal > 0 ? Math.min(100, (bytesDone / bytesTotal) * 100) : 0;
	return {bytesDone, bytesTotal, percent: files.some(file => file.percent < 100) ? Math.min(percent, LAST_PART_PENDING) : percent};
}

const noUploads = (): FarmUploadTotals => ({active: 0, bytesDone: 0, bytesTotal: 0, percent: 0, speed: 0, queued: 0, done: 0, failed: 0});

/** The farm's figures: the sums over the live heartbeats (there are no counters of their own). */
export function farmTotals(nodes: readonly FarmNodeView[]): FarmTotals {
	const totals: FarmTotals = {
		...noUploads(),
		nodes: new Set(nodes.map(node => node.node)).size,
		processes: nodes.length,
		requests: 0,
		rateLimited: 0,
		requestsLastMinute: 0,
		rateLimitedLastMinute: 0,
		failing: 0,
		alerts: 0,
	};
	for (const node of nodes) {
		for (const key of Object.keys(noUploads()) as Array<keyof FarmUploadTotals>) if (key !== 'percent') totals[key] += node.uploads[key];
		totals.requests += node.requests ?? 0;
		totals.rateLimited += node.rateLimited ?? 0;
		totals.requestsLastMinute += node.requestsLastMinute ?? 0;
		totals.rateLimitedLastMinute += node.rateLimitedLastMinute ?? 0;
		if (node.health === 'failing') totals.failing++;
		totals.alerts += node.alerts.length;
	}
	totals.percent = bytesOf(nodes.flatMap(node => node.files)).percent;
	return totals;
}

/** Every class's bucket with its level, fullest first (then by name). */
export function bucketViews(levels: Readonly<Record<string, number>>, shapes: Readonly<Record<string, BucketShape>>): FarmBucketView[] {
	return Object.entries(shapes)
		.map(([endpointClass, shape]) => ({endpointClass, level: Math.min(shape.capacity, Math.max(0, levels[endpointClass] ?? 0)), capacity: shape.capacity}))
		.sort((a, b) => b.level / b.capacity - a.level / a.capacity || a.endpointClass.localeCompare(b.endpointClass));
}
