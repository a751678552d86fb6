// A name's shot and version, for version stacking: two names are versions of one shot when they matched the same
// pattern with the same fields, apart from the version (and the container: a v002.mov stacks on a v001.mp4).
// Numbers compare by value (v010 is newer than v009); the label keeps the name's own digits (v002).
import type {ParseResult} from './types.js';

export type ShotVersion = {
	/** Equal for every version of one shot (pattern and fields but version and extension, upper-cased). */
	shotKey: string;
	/** The version's number. */
	version: number;
	/** How the name writes it, for messages: `v002`. */
	label: string;
};

const IGNORED_FIELDS = new Set(['version', 'extension']);

/** The shot and version of a parsed name; undefined when it did not parse or its pattern has no version field. */
export function shotVersionOf(parsed: ParseResult): ShotVersion | undefined {
	if (!parsed.ok) return undefined;
	const text = parsed.fields.version;
	if (text === undefined || !/\d/.test(text)) return undefined;
	const digits = /\d+/.exec(text)![0];
	const key = Object.entries(parsed.fields)
		.filter(([name]) => !IGNORED_FIELDS.has(name))
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, value]) => `${name}=${numberOrText(name, value)}`)
		.join('\u0000');
	return {shotKey: `${parsed.pattern}\u0000${key}`, version: Number.parseInt(digits, 10), label: `v${text}`};
}

/** The shot number by value (00042 and 0042 are one shot, as for its folder); other fields upper-cased. */
function numberOrText(name: string, value: string): string {
	if (name === 'shot' && /^\d+$/.test(value)) return String(Number.parseInt(value, 10));
	return value.toUpperCase();
}
