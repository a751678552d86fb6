// The end of an upload command that cannot go on: the live view stops before the failure is printed
// (commands/kit/failure.ts says what is printed and with which exit code).
import type {TokenSource} from '../../frameio/auth/token-provider.js';
import {commandFailure} from '../kit/failure.js';

/**
 * The end of every upload command that could not go on: stop the live view, print what went wrong and return its
 * exit code. An error with no such answer is a bug, rethrown for cli.ts to report.
 */
export function reportCommandFailure(error: unknown, tokenSource: TokenSource | undefined, reporter: {stop(): void}, stderr: NodeJS.WritableStream): number {
	const failure = commandFailure(error, tokenSource);
	if (!failure) throw error;
	reporter.stop();
	stderr.write(`frameio-admin: ${failure.message}\n`);
	return failure.exitCode;
}
