// `frameio-admin` with no command: parse the console's flags, refuse without a TTY (before loading Ink), build the
// runtime, then hand over to run-console (Ink and React load only from there).
import {parseArgs} from 'node:util';
import {resolvePaths} from '../config/paths.js';
import type {ConsoleRuntimeOptions} from '../store/ports.js';
import {parsePort} from '../format/port.js';
import {unknownWord} from '../format/suggest.js';

const CONSOLE_FLAGS = ['--sandbox', '--readonly', '--config', '--state-dir', '--logs-dir', '--webhook-port', '--webhook-host'];

/**
 * The runtime's options, the webhook receiver's (--webhook-port N, --webhook-host ADDR; see app/webhook-receiver.ts),
 * and --allow-insecure-http (plain http to an API or IMS host that is not loopback), and Prometheus /metrics
 * (--metrics-port N; see app/prometheus-endpoint.ts).
 */
export type ConsoleArgs = ConsoleRuntimeOptions & {webhookPort?: number; webhookHost?: string; allowInsecureHttp?: boolean; metricsPort?: number};

/** The process's streams, as cli.ts hands them over. */
export type ConsoleIo = {
	stdout: NodeJS.WritableStream & {isTTY?: boolean};
	stderr: NodeJS.WritableStream;
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
};

// The CLI's usage exit code (commands/command.ts EXIT.usage): the console does not load the commands.
const EXIT_USAGE = 2;

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
				'webhook-port': {type: 'string'},
				'webhook-host': {type: 'string'},
				'allow-insecure-http': {type: 'boolean', default: false},
				'metrics-port': {type: 'string'},
			},
		}));
	} catch (error) {
		const {code, message} = error as Error & {code?: string};
		// The same sentence as a subcommand's unknown flag, with the nearest console flag.
		const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(message)?.[1] : undefined;
		throw new ConsoleUsageError(unknown ? unknownWord('flag', unknown.split('=')[0], unknown.startsWith('--') ? CONSOLE_FLAGS : []) : String(message));
	}
	const paths = resolvePaths({config: values.config, stateDir: values['state-dir'], logsDir: values['logs-dir']}, env);
	const args: ConsoleArgs = {sandbox: values.sandbox ?? false, readonly: values.readonly ?? false, ...paths};
	if (values['allow-insecure-http']) args.allowInsecureHttp = true;
	try {
		const port = parsePort(values['webhook-port'], '--webhook-port');
		if (port !== undefined) args.webhookPort = port;
		const metricsPort = parsePort(values['metrics-port'], '--metrics-port');
		if (metricsPort !== undefined) args.metricsPort = metricsPort;
	} catch (error) {
		throw new ConsoleUsageError((error as Error).message);
	}
	const host = values['webhook-host']?.trim();
	if (host !== undefined) {
		if (args.webhookPort === undefined) throw new ConsoleUsageError('--webhook-host goes with --webhook-port');
		if (!host) throw new ConsoleUsageError('--webhook-host needs an address, e.g. 127.0.0.1 or 0.0.0.0');
		args.webhookHost = host;
	}
	return args;
}

/** `commandNames`: the subcommands, from cli.ts (the console does not load them). */
export function noTtyMessage(commandNames: readonly string[] = []): string {
	return [
		'frameio-admin: the console needs an interactive terminal (stdin and stdout must be a TTY).',
		`For scripts and cron, use the subcommands${commandNames.length > 0 ? `: ${commandNames.join(', ')}` : ''}.`,
		'Run `frameio-admin --help` for the list, or `frameio-admin <command> --help` for one.',
		'',
	].join('\n');
}

export async function startConsole(argv: string[], io: ConsoleIo, commandNames: readonly string[] = []): Promise<number> {
	let args: ConsoleArgs;
	try {
		args = parseConsoleArgs(argv);
	} catch (error) {
		io.stderr.write(`frameio-admin: ${(error as Error).message}\nRun \`frameio-admin --help\` for the options.\n`);
		return EXIT_USAGE;
	}
	if (!io.stdout.isTTY || !io.stdin.isTTY) {
		io.stderr.write(noTtyMessage(commandNames));
		return EXIT_USAGE;
	}
	// Loaded only now, after the TTY check: the console's object graph is not for a refused start.
	// Ink and React load while the runtime is built, not after it: both take hundreds of milliseconds.
	const consoleModule = import('./run-console.js');
	consoleModule.catch(() => undefined);
	const {createRuntime} = await import('../app/console-runtime.js');
	const runtime = await createRuntime(args);
	let runConsole: typeof import('./run-console.js').runConsole;
	try {
		({runConsole} = await consoleModule);
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
		renderLog: process.env.FRAMEIO_BENCH_RENDER_LOG || undefined,
	});
}
