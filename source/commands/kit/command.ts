import {plain, type Paint} from '../../format/colour.js';
import type {CommandLine, FlagSpecs} from './command-line.js';
import {EXIT, UsageError} from './usage-error.js';

export {EXIT, UsageError};


/** Flags every command accepts. */
export const globalFlags = {
	json: {type: 'boolean', default: false},
	config: {type: 'string'},
	stateDir: {type: 'string'},
	logsDir: {type: 'string'},
	sandbox: {type: 'boolean', default: false},
	allowInsecureHttp: {type: 'boolean', default: false},
	quiet: {type: 'boolean', default: false, shortFlag: 'q'},
	verbose: {type: 'boolean', default: false},
} as const satisfies FlagSpecs;

export const globalHelp = `
Global options
  --json             Machine-readable output
  --config DIR       Config directory (default ./config, or FRAMEIO_CONFIG_DIR)
  --state-dir DIR    State directory: cache snapshot, upload queue, credentials
                     (default $XDG_STATE_HOME/frameio-admin, or FRAMEIO_STATE_DIR)
  --logs-dir DIR     Logs directory (default ./logs, or FRAMEIO_LOGS_DIR)
  --sandbox          Use the built-in Frame.io sandbox instead of the real API
  --allow-insecure-http
                     Accept FRAMEIO_API_URL / FRAMEIO_IMS_URL on plain http:// to a host other than this
                     machine (refused otherwise: the token would travel in clear)
  -q, --quiet        Only the result and the errors: no notes, no progress (health: only what does not pass)
  --verbose          Also print the command's log lines on stderr as they are written (human form)

Environment
  FRAMEIO_TOKEN      An access token (otherwise the credentials stored by 'login')
  FRAMEIO_API_URL    API host (default https://api.frame.io)
  FRAMEIO_IMS_URL    Adobe IMS host (default https://ims-na1.adobelogin.com)
  FRAMEIO_DEBUG=1    Debug lines in logs/frameio_admin.log

Exit codes: 0 ok, 1 a check or an operation failed, 2 usage or configuration error`;

export type Io = {
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
	stderr: NodeJS.WritableStream;
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	/** --quiet: notes and progress are left out (see note()). */
	quiet?: boolean;
	/** --verbose: the log lines are echoed on stderr. */
	verbose?: boolean;
	/** Colour for the human output on stdout: plain when piped or with NO_COLOR. */
	paint?: Paint;
};

/** A line that informs but is not the result (a note, a count of skipped lines): on stderr, and not with --quiet. */
export function note(io: Io, text: string): void {
	if (!io.quiet) io.stderr.write(`${text}\n`);
}

export function paintOf(io: Io): Paint {
	return io.paint ?? plain;
}

export type CommandModule<F extends FlagSpecs = FlagSpecs> = {
	/** Usage and description shown by --help, without the global options. */
	help: string;
	flags: F;
	run(cli: CommandLine<F & typeof globalFlags>, io: Io): Promise<number>;
};

export function defineCommand<F extends FlagSpecs>(module: CommandModule<F>): CommandModule<F> {
	return module;
}
