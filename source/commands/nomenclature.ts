// `nomenclature NAME...`: parse file names with the configured patterns. Offline and light on purpose: it loads
// only config/nomenclature.json and the engine, never Ink, React or the HTTP client (startup budget 250 ms).
import path from 'node:path';
import {loadConfigFile} from '../config/load-config-file.js';
import {nomenclatureDefaults} from '../nomenclature/config-shape.js';
import {nomenclatureSchema} from '../nomenclature/schema.js';
import {resolvePaths} from '../config/paths.js';
import {formatPatternList, formatResult} from '../nomenclature/format.js';
import {compile, UnknownPatternError, type ParseResult} from '../nomenclature/index.js';
import {defineCommand, EXIT, UsageError} from './kit/command.js';

export default defineCommand({
	help: `
Usage
  $ frameio-admin nomenclature NAME...
  $ frameio-admin nomenclature --list

Parses each file NAME with the naming patterns of config/nomenclature.json (the active pattern first, then the
others) and prints the matched pattern, its fields and the folder the file belongs in; or exactly which part of
the name is wrong, with valid examples. A path is parsed by its file name.

Options
  --pattern KEY   Match only this pattern
  --list          List the patterns, their fields and examples

Exit codes: 0 every name is valid, 1 a name is invalid, 2 usage or configuration error

Examples
  $ frameio-admin nomenclature UNDLM_SEQ01_00042_v002.mp4
  $ frameio-admin nomenclature renders/*.mov --json`,
	flags: {
		pattern: {type: 'string'},
		list: {type: 'boolean', default: false},
	},
	async run(cli, io) {
		const {configDir} = resolvePaths(cli.flags);
		const loaded = loadConfigFile(path.join(configDir, 'nomenclature.json'), nomenclatureSchema, nomenclatureDefaults);
		const nomenclature = compile(loaded.value);
		const names = cli.input;

		if (cli.flags.list) {
			if (names.length > 0) throw new UsageError('give either NAME... or --list, not both');
			if (cli.flags.json) io.stdout.write(`${JSON.stringify(listing(nomenclature), null, 2)}\n`);
			else io.stdout.write(`${formatPatternList(nomenclature)}\n`);
			const broken = nomenclature.patternErrors().length > 0 || nomenclature.validateExamples().length > 0;
			return broken ? EXIT.failed : EXIT.ok;
		}
		if (names.length === 0) throw new UsageError('give at least one file NAME to check (or --list to see the patterns)');

		let results: Array<{input: string; result: ParseResult}>;
		try {
			results = names.map(input => ({input, result: nomenclature.parse(path.basename(input), {pattern: cli.flags.pattern})}));
		} catch (error) {
			if (error instanceof UnknownPatternError) throw new UsageError(error.message);
			throw error;
		}

		if (cli.flags.json) {
			const json = results.map(({input, result}) => (input === result.name ? result : {...result, input}));
			io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
		} else {
			io.stdout.write(`${results.map(({input, result}) => formatResult(result, nomenclature, input)).join('\n\n')}\n`);
		}
		return results.every(({result}) => result.ok) ? EXIT.ok : EXIT.failed;
	},
});

function listing(nomenclature: ReturnType<typeof compile>) {
	return nomenclature.patterns.map(info => ({
		...info,
		examples: info.examples.map(example => {
			if (info.errors.length > 0) return {name: example, ok: false};
			const result = nomenclature.parse(example, {pattern: info.key});
			return result.ok
				? {name: example, ok: true, folderPath: result.folderPath, ...(result.folderNote ? {folderNote: result.folderNote} : {})}
				: {name: example, ok: false, diagnostics: result.diagnostics};
		}),
	}));
}
