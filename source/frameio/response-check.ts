// What makes an API answer unusable, said clearly and naming the call: larger than we read, not JSON, or not the
// shape Frame.io documents. Instead of "GET me 200: Error", or `whoami` printing "undefined <undefined>":
//   GET me 200: not JSON (text/html): "<html><head><title>Maintenance…"
//   GET me 200: the answer is not the shape Frame.io documents: data.email is missing
//   GET me 200: the answer is larger than 64 MiB (error_handling.max_response_mb): not read
// Every piece of the answer quoted here is made printable.
import type * as z from 'zod';
import {printable} from '../format/printable.js';
import {FrameioError} from './errors.js';

/** How much of a body that is not JSON the message quotes. */
const SNIPPET_CHARS = 60;

/** Which call answered (the CallInfo of http-error-mapping.ts, without its origin and timeout). */
type Call = {op: string; method: string; path: string};
const base = (call: Call) => ({op: call.op, method: call.method, path: call.path});

/** The first characters of a body, printable and quoted: enough to recognise a proxy's page or a login form. */
export function snippet(body: Buffer | string | undefined): string {
	const text = (Buffer.isBuffer(body) ? body.subarray(0, SNIPPET_CHARS * 4).toString('utf8') : (body ?? '')).replace(/\s+/g, ' ').trim();
	const cut = [...text].slice(0, SNIPPET_CHARS).join('');
	return `"${printable(cut)}${cut.length < text.length ? '…' : ''}"`;
}

function mediaType(contentType: string | string[] | undefined): string {
	const value = Array.isArray(contentType) ? contentType[0] : contentType;
	return printable(value?.split(';')[0]?.trim() || 'no content-type');
}

/** A 2xx body that does not parse as JSON. */
export function notJsonError(call: Call, status: number, contentType: string | string[] | undefined, body: Buffer | string | undefined): FrameioError {
	const empty = !body || body.length === 0;
	return new FrameioError({
		...base(call),
		status,
		code: 'response',
		title: empty ? 'an empty answer where JSON was expected' : `not JSON (${mediaType(contentType)})`,
		detail: empty ? undefined : snippet(body),
	});
}

/** What an error status's body was when it is not the v4 `{"errors":[…]}` (a proxy's page): for the message. */
export function describeForeignBody(contentType: string | string[] | undefined, body: unknown): string | undefined {
	if (typeof body === 'string' && body.trim()) return `not JSON (${mediaType(contentType)}): ${snippet(body)}`;
	if (Buffer.isBuffer(body) && body.length > 0) return `not JSON (${mediaType(contentType)}): ${snippet(body)}`;
	return undefined;
}

export function tooLargeError(call: Call, status: number, limitBytes: number): FrameioError {
	return new FrameioError({
		...base(call),
		status,
		code: 'response',
		title: `the answer is larger than ${Number((limitBytes / 1048576).toFixed(2))} MiB (error_handling.max_response_mb)`,
		detail: 'not read',
	});
}

/** Checks a parsed body against the shape we use; the FrameioError names the first thing wrong (and how many more). */
export function checkShape(schema: z.ZodType, body: unknown, call: Call, status: number): void {
	const result = schema.safeParse(body);
	if (result.success) return;
	const issues = result.error.issues;
	const first = describeIssue(issues[0], body);
	const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
	throw new FrameioError({
		...base(call),
		status,
		code: 'response',
		title: body === '' ? 'an empty answer where JSON was expected' : 'the answer is not the shape Frame.io documents',
		detail: body === '' ? undefined : `${first}${more}`,
	});
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue | undefined, body: unknown): string {
	if (!issue) return 'unknown mismatch';
	const where = pathText(issue.path);
	const value = valueAt(body, issue.path);
	if (issue.code === 'invalid_type') {
		if (value === undefined) return `${where} is missing`;
		return `${where}: expected ${issue.expected}, got ${kindOf(value)}`;
	}
	if (issue.code === 'invalid_value') return `${where}: expected ${issue.values.map(each => JSON.stringify(each)).join(' or ')}, got ${shown(value)}`;
	if (issue.code === 'invalid_union') return `${where}: ${shown(value)} is none of the documented kinds`;
	return `${where}: ${printable(issue.message)}`;
}

/** data.email, data[3].name: the path as someone reading the JSON would write it. */
function pathText(path: ReadonlyArray<PropertyKey>): string {
	let text = '';
	for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${printable(String(key))}`;
	return text || 'the answer';
}

function valueAt(body: unknown, path: ReadonlyArray<PropertyKey>): unknown {
	let value = body;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[key];
	}
	return value;
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `${typeof value} ${shown(value)}`;
}

function shown(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value);
	return printable(text);
}
