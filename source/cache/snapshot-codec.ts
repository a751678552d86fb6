// The two files' formats (the lines in between are cache-ops.ts's operations):
//
// cache.json, the snapshot of generation G: the whole state, compacted, written atomically:
//   {"format":"frameio-admin-cache","version":2,"gen":G,"writtenAt":…,"writer":"…","cleanedAt":…}
//   …rule lines, deletion lines, counter lines, then one line per entry…
//   {"end":true,"entries":N}
// The last line proves the file is whole: a snapshot without it is corrupt.
//
// cache.journal, the operations appended since snapshot G was written:
//   {"format":"frameio-admin-cache-journal","version":1,"gen":G,"id":"<random, unique to this file>"}
//   …one operation per line, appended under the lock…
//
// Version 1 snapshots (one JSON document, values as escaped strings, no journal) are still read.
import type {StoredEntry, CacheState, Counter, PurgeRule, SnapshotData} from './cache-state.js';
import {encodeOp, parseOp, parseRule, setLine} from './cache-ops.js';

export const SNAPSHOT_FORMAT = 'frameio-admin-cache';
export const SNAPSHOT_VERSION = 2;
export const JOURNAL_FORMAT = 'frameio-admin-cache-journal';
export const JOURNAL_VERSION = 1;
const LEGACY_VERSION = 1;

export class SnapshotFormatError extends Error {
	override name = 'SnapshotFormatError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export type SnapshotHead = {gen: number; cleanedAt: number};

/** What a snapshot is written from: copies taken when the write starts, so the cache may change meanwhile. */
export type SnapshotView = {
	entries: readonly StoredEntry[];
	rules: readonly PurgeRule[];
	tombstones: ReadonlyMap<string, number>;
	counters: ReadonlyMap<string, Counter>;
	cleanedAt: number;
};

export function viewOf(state: CacheState): SnapshotView {
	return {entries: state.index.list(), rules: [...state.rules], tombstones: new Map(state.tombstones), counters: new Map(state.counters), cleanedAt: state.cleanedAt};
}

export function* snapshotLines(view: SnapshotView, meta: {gen: number; writer: string; writtenAt: number}): Generator<string> {
	yield JSON.stringify({format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, gen: meta.gen, writtenAt: meta.writtenAt, writer: meta.writer, cleanedAt: view.cleanedAt});
	for (const rule of view.rules) yield encodeOp({op: 'rule', rule});
	for (const [key, at] of view.tombstones) yield encodeOp({op: 'del', key, at});
	for (const [writer, counter] of view.counters) yield encodeOp({op: 'counter', writer, counter});
	let entries = 0;
	for (const entry of view.entries) {
		if (entry.key === undefined) continue;
		entries++;
		yield setLine(entry.key, entry.t, entry.e, entry.json);
	}
	yield JSON.stringify({end: true, entries});
}

/** The snapshot in pieces of about `chunkChars`, each ending with a newline. */
export function* snapshotChunks(view: SnapshotView, meta: {gen: number; writer: string; writtenAt: number}, chunkChars = 256 * 1024): Generator<string> {
	let parts: string[] = [];
	let size = 0;
	for (const line of snapshotLines(view, meta)) {
		parts.push(line, '\n');
		size += line.length + 1;
		if (size >= chunkChars) {
			yield parts.join('');
			parts = [];
			size = 0;
		}
	}
	if (parts.length > 0) yield parts.join('');
}

export function encodeSnapshot(state: CacheState, meta: {writer: string; writtenAt: number; gen?: number}): string {
	return [...snapshotChunks(viewOf(state), {gen: meta.gen ?? 1, writer: meta.writer, writtenAt: meta.writtenAt})].join('');
}

/** True when the text starts like a version 1 snapshot (its first line is not JSON on its own). */
export function isLegacySnapshot(firstLine: string): boolean {
	return /^\{"format":"frameio-admin-cache","version":1[,}]/.test(firstLine);
}

/** The first line of a version 2 snapshot. Throws SnapshotFormatError when it is not one. */
export function parseSnapshotHead(line: string): SnapshotHead {
	let raw: unknown;
	try {
		raw = JSON.parse(line);
	} catch (error) {
		throw new SnapshotFormatError(`not JSON: ${(error as Error).message}`);
	}
	if (!isObject(raw) || raw.format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError('not a frameio-admin cache snapshot');
	if (raw.version !== SNAPSHOT_VERSION) throw new SnapshotFormatError(`unsupported snapshot version ${String(raw.version)}`);
	if (!isTime(raw.gen)) throw new SnapshotFormatError('the snapshot has no generation');
	return {gen: raw.gen, cleanedAt: isTime(raw.cleanedAt) ? raw.cleanedAt : 0};
}

/** The entry count of a snapshot's last line, or undefined when the line is not the end marker. */
export function parseSnapshotEnd(line: string): number | undefined {
	if (!line.startsWith('{"end":')) return undefined;
	try {
		const raw: unknown = JSON.parse(line);
		return isObject(raw) && raw.end === true && isTime(raw.entries) ? raw.entries : undefined;
	} catch {
		return undefined;
	}
}

/** A journal's first line. `id` tells two journal files apart (an inode number can be reused at once). */
export function journalHead(gen: number, id: string): string {
	return `${JSON.stringify({format: JOURNAL_FORMAT, version: JOURNAL_VERSION, gen, id})}\n`;
}

export type JournalHead = {gen: number; id: string};

/** A journal's first line decoded, or undefined when it is not a journal header. */
export function parseJournalHead(line: string): JournalHead | undefined {
	try {
		const raw: unknown = JSON.parse(line);
		if (!isObject(raw) || raw.format !== JOURNAL_FORMAT || raw.version !== JOURNAL_VERSION || !isTime(raw.gen) || typeof raw.id !== 'string') return undefined;
		return {gen: raw.gen, id: raw.id};
	} catch {
		return undefined;
	}
}

/** Decodes a whole snapshot held in memory (tests, and version 1 files). Skips single malformed lines. */
export function decodeSnapshot(text: string): SnapshotData & {skipped: number; gen: number} {
	const firstEnd = text.indexOf('\n');
	const first = firstEnd < 0 ? text : text.slice(0, firstEnd);
	if (isLegacySnapshot(first) || firstEnd < 0) return {...decodeLegacySnapshot(text), gen: 0};
	const head = parseSnapshotHead(first);
	const lines = text.split('\n');
	if (lines.at(-1) === '') lines.pop();
	const end = parseSnapshotEnd(lines.at(-1) ?? '');
	if (lines.length < 2 || end === undefined) throw new SnapshotFormatError('the snapshot is cut short (no end line)');
	const data: SnapshotData = {entries: new Map(), tombstones: new Map(), rules: [], counters: new Map(), cleanedAt: head.cleanedAt};
	let skipped = 0;
	for (let i = 1; i < lines.length - 1; i++) {
		const op = parseOp(lines[i]);
		if (!op) skipped++;
		else if (op.op === 'set') data.entries.set(op.key, {json: op.json, t: op.t, e: op.e});
		else if (op.op === 'del') data.tombstones.set(op.key, op.at);
		else if (op.op === 'rule') data.rules.push(op.rule);
		else if (op.op === 'counter') data.counters.set(op.writer, op.counter);
		else data.cleanedAt = Math.max(data.cleanedAt, op.at);
	}
	return {...data, skipped, gen: head.gen};
}

/** Version 1: one JSON document whose entries hold their value as an escaped JSON string. */
export function decodeLegacySnapshot(text: string): SnapshotData & {skipped: number} {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new SnapshotFormatError(`not JSON: ${(error as Error).message}`);
	}
	if (!isObject(raw) || raw.format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError('not a frameio-admin cache snapshot');
	if (raw.version !== LEGACY_VERSION) throw new SnapshotFormatError(`unsupported snapshot version ${String(raw.version)}`);
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
		for (const item of raw.rules as unknown[]) {
			const rule = parseRule(item);
			if (rule) rules.push(rule);
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
