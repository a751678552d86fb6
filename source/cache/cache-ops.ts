// The cache's operations as lines of text: the journal is a sequence of them and the snapshot is the compacted
// state written the same way, so one parser reads both. One JSON object per line:
//   {"t":1700000000000,"e":1700000900000,"k":"folder_abc","v":{…the value's JSON, as is…}}   an entry (set)
//   {"del":"folder_abc","at":1700000000001}                                                    a deletion (tombstone)
//   {"rule":{"at":1700000000002,"pattern":"folder_"}}                                          a purge
//   {"counter":"<writer>","hits":3,"misses":1,"at":1700000000003}                              one process's lookups
//   {"cleanedAt":1700000000004}                                                                the last periodic sweep
// Entries are by far the most lines: their value is written as is (not re-escaped) and read back by position,
// without JSON.parse; the value is only decoded when a lookup needs it. Values never hold a raw newline
// (JSON.stringify escapes them), so a line is an entry.
import type {Counter, PurgeRule} from './entry-types.js';

export type CacheOp =
	| {op: 'set'; key: string; t: number; e: number; json: string}
	| {op: 'del'; key: string; at: number}
	| {op: 'rule'; rule: PurgeRule}
	| {op: 'counter'; writer: string; counter: Counter}
	| {op: 'cleaned'; at: number};

export function setLine(key: string, t: number, e: number, json: string): string {
	return `{"t":${t},"e":${e},"k":${JSON.stringify(key)},"v":${json}}`;
}

export function encodeOp(op: CacheOp): string {
	switch (op.op) {
		case 'set':
			return setLine(op.key, op.t, op.e, op.json);
		case 'del':
			return JSON.stringify({del: op.key, at: op.at});
		case 'rule':
			return JSON.stringify({rule: op.rule});
		case 'counter':
			return JSON.stringify({counter: op.writer, hits: op.counter.hits, misses: op.counter.misses, at: op.counter.at});
		case 'cleaned':
			return JSON.stringify({cleanedAt: op.at});
	}
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function parseRule(raw: unknown): PurgeRule | undefined {
	if (!isObject(raw) || !isTime(raw.at)) return undefined;
	if (raw.pattern !== undefined && (typeof raw.pattern !== 'string' || raw.pattern === '')) return undefined;
	return {at: raw.at, ...(typeof raw.pattern === 'string' ? {pattern: raw.pattern} : {}), ...(raw.expired === true ? {expired: true as const} : {})};
}

const SET_T = '{"t":';
const SET_E = ',"e":';
const SET_K = ',"k":';
const SET_V = ',"v":';

/** An entry line, read by position (see the header). */
function parseSet(line: string): CacheOp | undefined {
	const eAt = line.indexOf(SET_E, SET_T.length);
	if (eAt < 0) return undefined;
	const kAt = line.indexOf(SET_K, eAt + SET_E.length);
	if (kAt < 0) return undefined;
	// Inside a JSON string every `"` is escaped, so the first `,"v":` after the key's start follows its closing quote.
	const vAt = line.indexOf(SET_V, kAt + SET_K.length);
	if (vAt < 0 || line.charCodeAt(line.length - 1) !== 125 /* } */) return undefined;
	const t = Number(line.slice(SET_T.length, eAt));
	const e = Number(line.slice(eAt + SET_E.length, kAt));
	const literal = line.slice(kAt + SET_K.length, vAt);
	const json = line.slice(vAt + SET_V.length, -1);
	if (!Number.isFinite(t) || !Number.isFinite(e) || json.length === 0) return undefined;
	if (literal.length < 2 || literal.charCodeAt(0) !== 34 || literal.charCodeAt(literal.length - 1) !== 34) return undefined;
	let key: string;
	if (literal.includes('\\')) {
		try {
			key = JSON.parse(literal) as string;
		} catch {
			return undefined;
		}
	} else key = literal.slice(1, -1);
	if (key === '') return undefined;
	return {op: 'set', key, t, e, json};
}

/** One line → its operation, or undefined when the line is not one (skipped by readers, counted). */
export function parseOp(line: string): CacheOp | undefined {
	if (line.startsWith(SET_T)) return parseSet(line);
	let raw: unknown;
	try {
		raw = JSON.parse(line);
	} catch {
		return undefined;
	}
	if (!isObject(raw)) return undefined;
	if (typeof raw.del === 'string' && isTime(raw.at)) return {op: 'del', key: raw.del, at: raw.at};
	if (raw.rule !== undefined) {
		const rule = parseRule(raw.rule);
		return rule ? {op: 'rule', rule} : undefined;
	}
	if (typeof raw.counter === 'string' && isTime(raw.hits) && isTime(raw.misses) && isTime(raw.at)) {
		return {op: 'counter', writer: raw.counter, counter: {hits: raw.hits, misses: raw.misses, at: raw.at}};
	}
	if (isTime(raw.cleanedAt)) return {op: 'cleaned', at: raw.cleanedAt};
	return undefined;
}
