// What an upload command prints, and its exit code, when it cannot go on: setup problems (no credentials, no
// project, a bad folder name) exit 2, everything the API or the queue refused exits 1. Never a secret: the messages
// are the API's words and hosts, redacted once more on the way out.
import {TargetError} from '../../structure/target.js';
import {describeFailure} from '../../frameio/describe-failure.js';
import type {TokenSource} from '../../frameio/auth/token-provider.js';
import {redactText} from '../../log/redact.js';
import {printable} from '../../format/printable.js';
import {FolderMappingError} from '../../nomenclature/index.js';
import {UploadInputError} from '../../upload/add-input.js';
import {QueueLockedError} from '../../upload/queue-store.js';
import {WebhookReceiverError} from '../../frameio/webhook-receiver.js';

export type CommandFailure = {message: string; exitCode: 1 | 2};

export function commandFailure(error: unknown, tokenSource?: TokenSource): CommandFailure | undefined {
	const failure = rawFailure(error, tokenSource);
	return failure && {...failure, message: printable(failure.message)};
}

function rawFailure(error: unknown, tokenSource?: TokenSource): CommandFailure | undefined {
	if (error instanceof TargetError) return {message: error.message, exitCode: 2};
	if (error instanceof FolderMappingError) return {message: error.message, exitCode: 2};
	if (error instanceof UploadInputError) return {message: redactText(error.message), exitCode: 2};
	if (error instanceof QueueLockedError) return {message: error.message, exitCode: 1};
	// --webhook-port on a port in use (or not ours to take): a setup problem.
	if (error instanceof WebhookReceiverError) return {message: error.message, exitCode: 2};
	const failure = describeFailure(error, {tokenSource});
	return failure ? {message: failure.message, exitCode: failure.exitCode} : undefined;
}

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
