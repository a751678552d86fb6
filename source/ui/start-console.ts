// `frameio-admin` with no command: parse the console's flags, refuse without a TTY (before loading Ink), build the
// runtime, then hand over to run-console (Ink and React load only from there).
import {parseArgs} from 'node:util';
import {EXIT, type Io} from '../commands/command.js';
import {commands} from '../commands/registry.js';
import {resolvePaths} from '../config/paths.js';
import type {ConsoleRuntimeOptions, CreateRuntime} from '../store/ports.js';

export type ConsoleArgs = ConsoleRuntimeOptions;

export class ConsoleUsageError extends Error {}

export function parseConsoleArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ConsoleArgs {
	let values;
	try {
		({values} = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				sandbox: {type: 'boolean', default: false},
				readonly: {type: 'boolean', default: false},
				config: {type: 'string'},
				'state-dir': {type: 'string'},
				'logs-dir': {type: 'string'},
			},
		}));
	} catch (error) {
		throw new ConsoleUsageError(error instanceof Error ? error.message : String(error));
	}
	const paths = resolvePaths({config: values.config, stateDir: values['state-dir'], logsDir: values['logs-dir']}, env);
	return {sandbox: values.sandbox ?? false, readonly: values.readonly ?? false, ...paths};
}

export function noTtyMessage(): string {
	return [
		'frameio-admin: the console needs an interactive terminal (stdin and stdout must be a TTY).',
		`For scripts and cron, use the subcommands: ${Object.keys(commands).join(', ')}.`,
		'Run `frameio-admin --help` for the list, or `frameio-admin <command> --help` for one.',
		'',
	].join('\n');
}

async function loadCreateRuntime(): Promise<CreateRuntime | null> {
	// A variable specifier: the runtime is the lead's module and may not exist in a partial build.
	const specifier = '../app/runtime.js';
	try {
		const module = (await import(specifier)) as {createRuntime?: unknown};
		return typeof module.createRuntime === 'function' ? (module.createRuntime as CreateRuntime) : null;
	} catch (error) {
		const code = (error as {code?: string}).code;
		if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('runtime.js')) return null;
		throw error;
	}
}

export async function startConsole(argv: string[], io: Io): Promise<number> {
	let args: ConsoleArgs;
	try {
		args = parseConsoleArgs(argv);
	} catch (error) {
		io.stderr.write(`frameio-admin: ${(error as Error).message}\nRun \`frameio-admin --help\` for the options.\n`);
		return EXIT.usage;
	}
	if (!io.stdout.isTTY || !io.stdin.isTTY) {
		io.stderr.write(noTtyMessage());
		return EXIT.usage;
	}
	const createRuntime = await loadCreateRuntime();
	if (!createRuntime) {
		io.stderr.write(
			'frameio-admin: the console runtime (source/app/runtime.ts, createRuntime) is not built yet. The subcommands work: run `frameio-admin --help`.\n',
		);
		return EXIT.failed;
	}
	const runtime = await createRuntime(args);
	let runConsole: typeof import('./run-console.js').runConsole;
	try {
		({runConsole} = await import('./run-console.js'));
	} catch (error) {
		await runtime.shutdown('crash').catch(() => {});
		throw error;
	}
	return runConsole(runtime, {
		readonly: args.readonly,
		stdout: io.stdout as NodeJS.WriteStream,
		stdin: io.stdin as NodeJS.ReadStream,
		stderr: io.stderr as NodeJS.WriteStream,
		consoleSink: runtime.onConsoleOutput?.bind(runtime),
	});
}
