// The one small syntax of the nomenclature config: literal text with `{name}` or `{name:N}` placeholders.
// File templates use `{field}`; folder formats may add `:N`, "the number in this value, zero-padded to N digits".
// `{{` and `}}` stand for literal braces.

export type Placeholder = {type: 'field'; name: string; width?: number};
export type TemplatePart = {type: 'literal'; text: string} | Placeholder;
export type Parsed = {ok: true; parts: TemplatePart[]} | {ok: false; error: string};

const NAME = /^[a-z][a-z0-9_]*$/;

export function isPlaceholderName(name: string): boolean {
	return NAME.test(name);
}

export function parsePlaceholders(text: string): Parsed {
	const parts: TemplatePart[] = [];
	let literal = '';
	const flush = () => {
		if (literal) parts.push({type: 'literal', text: literal});
		literal = '';
	};
	for (let i = 0; i < text.length; i++) {
		const char = text[i]!;
		if (char === '}') {
			if (text[i + 1] !== '}') return {ok: false, error: `unexpected \`}\` at position ${i} (write \`}}\` for a literal brace)`};
			literal += '}';
			i++;
			continue;
		}
		if (char !== '{') {
			literal += char;
			continue;
		}
		if (text[i + 1] === '{') {
			literal += '{';
			i++;
			continue;
		}
		const close = text.indexOf('}', i);
		if (close < 0) return {ok: false, error: `unclosed \`{\` at position ${i}`};
		const inner = text.slice(i + 1, close);
		const [name = '', width, ...extra] = inner.split(':');
		if (!isPlaceholderName(name) || extra.length > 0 || (width !== undefined && !/^[1-9][0-9]?$/.test(width))) {
			return {ok: false, error: `bad placeholder \`{${inner}}\`: expected {name} or {name:N} with a lower-case name and N from 1 to 99`};
		}
		flush();
		parts.push(width === undefined ? {type: 'field', name} : {type: 'field', name, width: Number(width)});
		i = close;
	}
	flush();
	return {ok: true, parts};
}

export function placeholderNames(parts: TemplatePart[]): string[] {
	return parts.flatMap(part => (part.type === 'field' ? [part.name] : []));
}

/** The last run of digits in value, without leading zeros, padded to width; undefined when there is none. */
export function paddedNumber(value: string, width: number): string | undefined {
	const runs = value.match(/[0-9]+/g);
	if (!runs) return undefined;
	const digits = runs[runs.length - 1]!.replace(/^0+(?=[0-9])/, '');
	return digits.padStart(width, '0');
}

export type Formatted = {ok: true; text: string} | {ok: false; error: string};

/** Fills a parsed folder format from values; a missing value or a `:N` on a value without digits is an error. */
export function fillPlaceholders(parts: TemplatePart[], values: Readonly<Record<string, string | undefined>>): Formatted {
	let text = '';
	for (const part of parts) {
		if (part.type === 'literal') {
			text += part.text;
			continue;
		}
		const value = values[part.name];
		if (value === undefined) return {ok: false, error: `no value for {${part.name}}`};
		if (part.width === undefined) {
			text += value;
			continue;
		}
		const number = paddedNumber(value, part.width);
		if (number === undefined) return {ok: false, error: `{${part.name}:${part.width}} needs a number, but ${part.name} is ${value}`};
		text += number;
	}
	return {ok: true, text};
}
