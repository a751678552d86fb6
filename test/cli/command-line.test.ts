import {describe, expect, it} from 'vitest';
import {CommandLineError, indentHelp, parseCommandLine} from '../../source/commands/kit/command-line.js';
import {UsageError} from '../../source/commands/kit/command.js';

const specs = {
	json: {type: 'boolean', default: false},
	progress: {type: 'boolean', default: true},
	stateDir: {type: 'string'},
	parallel: {type: 'number', default: 3},
	depth: {type: 'number'},
	yes: {type: 'boolean', default: false, shortFlag: 'y'},
	exclude: {type: 'string', isMultiple: true},
} as const;

describe('parseCommandLine', () => {
	it('maps kebab-case flags to camelCase, keeps positionals and fills defaults', () => {
		const {input, flags} = parseCommandLine(['a.mp4', '--state-dir', '/s', 'b.mp4', '--json'], specs);
		expect(input).toEqual(['a.mp4', 'b.mp4']);
		expect(flags).toEqual({json: true, progress: true, stateDir: '/s', parallel: 3, depth: undefined, yes: false, exclude: []});
	});

	it('parses numbers (negative ones too), --no-<flag>, short flags, repeated flags and --flag=value', () => {
		const {flags} = parseCommandLine(['--parallel=5', '--depth', '-1', '--no-progress', '-y', '--exclude', 'a', '--exclude', 'b'], specs);
		expect(flags).toMatchObject({parallel: 5, depth: -1, progress: false, yes: true, exclude: ['a', 'b']});
	});

	it.each([
		[['--bogus'], 'unknown flag "--bogus"'],
		[['--json', '--json'], 'The flag --json can only be set once.'],
		[['--state-dir', 'a', '--state-dir=b'], 'The flag --state-dir can only be set once.'],
		[['--parallel', 'three'], 'The flag --parallel expects a number, got "three".'],
		[['--parallel='], 'The flag --parallel expects a number, got "".'],
	])('refuses %j with a usage error', (argv, message) => {
		let caught: unknown;
		try {
			parseCommandLine(argv, specs);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(CommandLineError);
		expect(caught).toBeInstanceOf(UsageError);
		expect((caught as Error).message).toBe(message);
	});

	it('says a value is missing', () => {
		expect(() => parseCommandLine(['--state-dir'], specs)).toThrow(/--state-dir/);
	});
});

describe('indentHelp', () => {
	it('replaces the common indentation with two spaces and keeps relative indentation', () => {
		expect(indentHelp('\n    Usage\n      $ x\n\n    Options\n')).toBe('  Usage\n    $ x\n\n  Options');
	});

	it('does not count a first line written right after the opening backtick', () => {
		expect(indentHelp('frameio-admin cache: the cache\n\n\tUsage\n\t  $ x\n')).toBe('  frameio-admin cache: the cache\n\n  Usage\n    $ x');
	});
});
