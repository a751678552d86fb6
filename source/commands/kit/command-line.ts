// A subcommand's argv → {input, flags}, on node:util parseArgs. It replaced meow: meow and the packages it bundles
// cost ~50 ms of a subcommand's 250 ms start budget (bench/startup.mjs), for the few features we use: typed flags
// with defaults, short flags, repeatable flags, --no-<flag>, kebab-case on the command line and camelCase in code.
import {parseArgs} from 'node:util';
import {unknownWord} from '../../format/suggest.js';
import {UsageError} from './usage-error.js';

type FlagType = 'string' | 'boolean' | 'number';
type ValueOf<T extends FlagType> = T extends 'string' ? string : T extends 'number' ? number : boolean;

export type FlagSpec = {
	type: FlagType;
	default?: string | number | boolean;
	shortFlag?: string;
	isMultiple?: boolean;
};

export type FlagSpecs = Record<string, FlagSpec>;

type FlagValue<S extends FlagSpec> = S extends {isMultiple: true}
	? Array<ValueOf<S['type']>>
	: S extends {default: unknown}
		? ValueOf<S['type']>
		: ValueOf<S['type']> | undefined;

export type ParsedFlags<F extends FlagSpecs> = {[K in keyof F]: FlagValue<F[K]>};

export type CommandLine<F extends FlagSpecs> = {input: string[]; flags: ParsedFlags<F>};

/** Bad argv (exit 2); cli.ts adds a pointer to the command's --help. */
export class CommandLineError extends UsageError {
	override name = 'CommandLineError';
}

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

export function parseCommandLine<F extends FlagSpecs>(argv: string[], specs: F): CommandLine<F> {
	const byOption = new Map<string, [string, FlagSpec]>();
	const options: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = {};
	for (const [name, spec] of Object.entries(specs)) {
		const option = kebab(name);
		byOption.set(option, [name, spec]);
		options[option] = {
			type: spec.type === 'boolean' ? 'boolean' : 'string',
			...(spec.shortFlag ? {short: spec.shortFlag} : {}),
			...(spec.isMultiple ? {multiple: true} : {}),
		};
	}
	let parsed: ReturnType<typeof parseArgs>;
	try {
		parsed = parseArgs({args: joinNegativeValues(argv, byOption), options, allowPositionals: true, allowNegative: true, strict: true, tokens: true});
	} catch (error) {
		const {code, message} = error as Error & {code?: string};
		// parseArgs's own text for this case tells the user to quote the flag as a positional, which is never meant here.
		const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(message)?.[1] : undefined;
		if (!unknown) throw new CommandLineError(message);
		const known = [...byOption.keys()].map(option => `--${option}`);
		throw new CommandLineError(unknownWord('flag', unknown.split('=')[0], unknown.startsWith('--') ? known : []));
	}
	// parseArgs keeps the last of a repeated option silently; a flag given twice is a mistake the user should hear about.
	const seen = new Set<string>();
	for (const token of parsed.tokens ?? []) {
		if (token.kind !== 'option') continue;
		const [, spec] = byOption.get(token.name) ?? [];
		if (spec?.isMultiple) continue;
		if (seen.has(token.name)) throw new CommandLineError(`The flag --${token.name} can only be set once.`);
		seen.add(token.name);
	}
	const flags: Record<string, unknown> = {};
	for (const [option, [name, spec]] of byOption) {
		const raw = parsed.values[option];
		if (raw === undefined) {
			flags[name] = spec.isMultiple ? [] : spec.default;
		} else if (spec.type === 'number') {
			flags[name] = Array.isArray(raw) ? raw.map(value => toNumber(option, value)) : toNumber(option, raw);
		} else {
			flags[name] = raw;
		}
	}
	return {input: parsed.positionals, flags: flags as ParsedFlags<F>};
}

// parseArgs refuses `--depth -1` as ambiguous (the value looks like a flag); the command should say what is wrong
// with -1 instead, so a negative number after a flag that takes a value is passed as `--depth=-1`.
function joinNegativeValues(argv: string[], byOption: ReadonlyMap<string, [string, FlagSpec]>): string[] {
	const joined: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const spec = arg.startsWith('--') ? byOption.get(arg.slice(2))?.[1] : undefined;
		const next = argv[i + 1];
		if (spec && spec.type !== 'boolean' && next !== undefined && /^-\d/.test(next)) {
			joined.push(`${arg}=${next}`);
			i++;
		} else {
			joined.push(arg);
		}
	}
	return joined;
}

function toNumber(option: string, value: string | boolean): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
	if (!Number.isFinite(number)) throw new CommandLineError(`The flag --${option} expects a number, got "${String(value)}".`);
	return number;
}

/**
 * A help text as every command's --help shows it: the common indentation replaced by two spaces. A first line
 * written right after the opening backtick has no indentation of its own, so it does not count.
 */
export function indentHelp(text: string): string {
	const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
	const indents = lines.slice(1).filter(line => line.trim()).map(line => /^[ \t]*/.exec(line)![0].length);
	const common = indents.length ? Math.min(...indents) : 0;
	return lines.map((line, index) => (!line.trim() ? '' : `  ${index === 0 ? line.trimStart() : line.slice(common)}`)).join('\n');
}
