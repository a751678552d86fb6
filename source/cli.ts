#!/usr/bin/env node
// The entry point: argv → a subcommand in commands/, or the console in ui/.
// Plain .ts, not .tsx: subcommands must start without loading Ink or React (bench: startup).
// ConfigError from its own module: config/index.js would load every zod schema, and load-config-file.js
// jsonc-parser, even for --help.
import {ConfigError} from './config/config-error.js';
import {FarmConfigError} from './config/farm-settings.js';
import {EXIT, globalFlags, globalHelp, UsageError, type Io} from './commands/kit/command.js';
import {commands} from './commands/registry.js';
import {CommandLineError, indentHelp, parseCommandLine} from './commands/kit/command-line.js';
import {paintFor} from './format/colour.js';
import {unknownWord} from './format/suggest.js';
import {redactText} from './log/redact.js';
import {InsecureTransportError} from './frameio/api-url.js';
import {printable, printableLines} from './format/printable.js';

const io: Io = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};

function topLevelHelp(): string {
	const width = Math.max(...Object.keys(commands).map(name => name.length));
	const list = Object.entries(commands)
		.map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
		.join('\n');
	return `
  Terminal console and CLI for a Frame.io (API v4) integration.

  Usage
    $ frameio-admin                 open the console (the built-in sandbox when no credentials are set)
    $ frameio-admin <command> [options]
    $ frameio-admin <command> --help

  Commands
${list
	.split('\n')
	.map(line => `  ${line}`)
	.join('\n')}

  Console options
    --sandbox          Force the built-in sandbox
    --readonly         Disable every destructive key
    --webhook-port N   Receive Frame.io webhooks on 127.0.0.1:N (see \`webhook --help\`): a file or folder
                       changed by anyone drops its cached listings at once instead of after the TTL
    --webhook-host A   Bind the receiver to address A instead (e.g. 0.0.0.0 behind a reverse proxy)
    --allow-insecure-http
                       Accept FRAMEIO_API_URL / FRAMEIO_IMS_URL on plain http:// to another machine
    --metrics-port N   Serve Prometheus metrics on http://127.0.0.1:N/metrics (or metrics.port and
                       metrics.host in config/optimization.json; see docs/farm.md)
${globalHelp
	.split('\n')
	.map(line => (line ? `  ${line}` : line))
	.join('\n')}
`;
}

/** "frameio-admin:", in red on a terminal: what went wrong stands out from what a command printed before it. */
function errorPrefix(): string {
	return paintFor(process.stderr)('frameio-admin:', 'fail');
}

/** Every error that reaches the top is printed printable: its message may quote a server, a file or an argument. */
export function reportError(error: unknown): number {
	if (error instanceof UsageError) {
		io.stderr.write(`${errorPrefix()} ${printableLines(redactText(error.message))}\n`);
		return error.exitCode;
	}
	if (error instanceof ConfigError || error instanceof InsecureTransportError) {
		io.stderr.write(`${errorPrefix()} ${printableLines(error.message)}\n`);
		return EXIT.usage;
	}
	// FRAMEIO_REDIS_URL or FRAMEIO_NODE_NAME cannot be used: a setup error, said without the URL.
	if (error instanceof FarmConfigError) {
		io.stderr.write(`${errorPrefix()} ${redactText(error.message)}\n`);
		return EXIT.usage;
	}
	const message = error instanceof Error ? error.message : String(error);
	io.stderr.write(`${errorPrefix()} ${printable(redactText(message))}\n`);
	// The stack keeps its lines (one frame each), each made printable.
	if (process.env.FRAMEIO_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${printableLines(redactText(error.stack))}\n`);
	return EXIT.failed;
}

async function main(argv: string[]): Promise<number> {
	const [first, ...rest] = argv;
	if (first === '--version' || first === '-v') {
		const {createRequire} = await import('node:module');
		io.stdout.write(`${createRequire(import.meta.url)('../package.json').version}\n`);
		return EXIT.ok;
	}
	if (first === '--help' || first === '-h' || first === 'help') {
		io.stdout.write(topLevelHelp());
		return EXIT.ok;
	}
	if (first && !first.startsWith('-')) {
		const entry = commands[first];
		if (!entry) {
			io.stderr.write(`${errorPrefix()} ${unknownWord('command', first, Object.keys(commands))}\nCommands: ${Object.keys(commands).join(', ')}\n`);
			return EXIT.usage;
		}
		const {default: module} = await entry.load();
		if (rest.includes('--help') || rest.includes('-h')) {
			io.stdout.write(`\n${indentHelp(module.help)}\n\n${indentHelp(globalHelp)}\n\n`);
			return EXIT.ok;
		}
		let cli;
		try {
			cli = parseCommandLine(rest, {...globalFlags, ...module.flags});
		} catch (error) {
			if (!(error instanceof CommandLineError)) throw error;
			throw new UsageError(`${error.message}\nRun \`frameio-admin ${first} --help\` for the options.`);
		}
		const {quiet, verbose} = cli.flags as {quiet: boolean; verbose: boolean};
		if (quiet && verbose) throw new UsageError(`--quiet and --verbose ask for opposite things: give one of them\nRun \`frameio-admin ${first} --help\` for the options.`);
		// --verbose: the command's log lines are echoed to stderr as they are written (open-app reads it).
		if (verbose) process.env.FRAMEIO_VERBOSE = '1';
		return module.run(cli as never, {...io, quiet, verbose, paint: paintFor(process.stdout)});
	}
	const {startConsole} = await import('./ui/start-console.js');
	return startConsole(argv, io, Object.keys(commands));
}

main(process.argv.slice(2)).then(
	code => {
		process.exitCode = code;
		// Keep-alive sockets and timers must not hold a finished command open.
		setImmediate(() => process.exit(code));
	},
	error => {
		const code = reportError(error);
		setImmediate(() => process.exit(code));
	},
);
