// The snapshot file's format (JSON, one entry per line so that a human can grep it):
//   {"format":"frameio-admin-cache","version":1,"writtenAt":…,"writer":"…","cleanedAt":…,
//    "rules":[{"at":…,"pattern":"folder_"}],"tombstones":{"key":at},"counters":{"writer":{"hits","misses","at"}},
//    "entries":{
//    "projects_123":{"t":…,"e":…,"v":"<the value as a JSON string>"},
//    …}}
// Values are stored as JSON strings, not objects: writing is concatenation of strings made once at set, and a
// process that reads the file only decodes the values it actually looks up.
import type {CacheState, Counter, PurgeRule, SnapshotData} from './cache-state.js';

export const SNAPSHOT_FORMAT = 'frameio-admin-cache';
export const SNAPSHOT_VERSION = 1;

export class SnapshotFormatError extends Error {
	override name = 'SnapshotFormatError';
}

export function encodeSnapshot(state: CacheState, meta: {writer: string; writtenAt: number}): string {
	const head = {
		format: SNAPSHOT_FORMAT,
		version: SNAPSHOT_VERSION,
		writtenAt: meta.writtenAt,
		writer: meta.writer,
		cleanedAt: state.cleanedAt,
		rules: state.rules,
		tombstones: Object.fromEntries(state.tombstones),
		counters: Object.fromEntries(state.counters),
	};
	const parts: string[] = [JSON.stringify(head).slice(0, -1), ',"entries":{'];
	let first = true;
	for (const key of state.keys()) {
		const entry = state.get(key);
		if (!entry) continue;
		entry.line ??= `${JSON.stringify(key)}:{"t":${entry.t},"e":${entry.e},"v":${JSON.stringify(entry.json)}}`;
		parts.push(first ? '\n' : ',\n', entry.line);
		first = false;
	}
	parts.push('\n}}\n');
	return parts.join('');
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Decodes a snapshot. Throws SnapshotFormatError when the file is not one; skips single malformed records. */
export function decodeSnapshot(text: string): SnapshotData & {skipped: number} {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new SnapshotFormatError(`not JSON: ${(error as Error).message}`);
	}
	if (!isObject(raw) || raw.format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError('not a frameio-admin cache snapshot');
	if (raw.version !== SNAPSHOT_VERSION) throw new SnapshotFormatError(`unsupported snapshot version ${String(raw.version)}`);
	if (!isObject(raw.entries)) throw new SnapshotFormatError('"entries" is not an object');
	let skipped = 0;
	const entries = new Map<string, {json: string; t: number; e: number}>();
	for (const [key, value] of Object.entries(raw.entries)) {
		if (isObject(value) && isTime(value.t) && isTime(value.e) && typeof value.v === 'string') entries.set(key, {json: value.v, t: value.t, e: value.e});
		else skipped++;
	}
	const tombstones = new Map<string, number>();
	if (isObject(raw.tombstones)) for (const [key, at] of Object.entries(raw.tombstones)) if (isTime(at)) tombstones.set(key, at);
	const rules: PurgeRule[] = [];
	if (Array.isArray(raw.rules)) {
		for (const rule of raw.rules as unknown[]) {
			if (!isObject(rule) || !isTime(rule.at)) continue;
			if (rule.pattern !== undefined && (typeof rule.pattern !== 'string' || rule.pattern === '')) continue;
			rules.push({at: rule.at, ...(typeof rule.pattern === 'string' ? {pattern: rule.pattern} : {}), ...(rule.expired === true ? {expired: true} : {})});
		}
	}
	const counters = new Map<string, Counter>();
	if (isObject(raw.counters)) {
		for (const [writer, counter] of Object.entries(raw.counters)) {
			if (isObject(counter) && isTime(counter.hits) && isTime(counter.misses) && isTime(counter.at)) {
				counters.set(writer, {hits: counter.hits, misses: counter.misses, at: counter.at});
			}
		}
	}
	return {entries, tombstones, rules, counters, cleanedAt: isTime(raw.cleanedAt) ? raw.cleanedAt : 0, skipped};
}
