// What a command prints, and its exit code, when it cannot go on: setup problems (no credentials, no project, a bad
// folder name, a port in use) exit 2, everything the API or the queue refused exits 1. Never a secret: the messages
// are the API's words and hosts, redacted once more on the way out.
import {describeFailure} from '../../frameio/describe-failure.js';
import type {TokenSource} from '../../frameio/auth/token-provider.js';
import {WebhookReceiverError} from '../../frameio/webhook-receiver.js';
import {printable} from '../../format/printable.js';
import {redactText} from '../../log/redact.js';
import {FolderMappingError} from '../../nomenclature/index.js';
import {TargetError} from '../../structure/target.js';
import {UploadInputError} from '../../upload/add-input.js';
import {QueueLockedError} from '../../upload/queue-store.js';
import type {Io} from './command.js';

export type CommandFailure = {message: string; exitCode: 1 | 2};

export function commandFailure(error: unknown, tokenSource?: TokenSource): CommandFailure | undefined {
	// The API's words and hosts reach the terminal: made printable once, here, for every command.
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

/** Prints why the command stopped and returns its exit code; an error with no such answer is a bug, rethrown. */
export function printFailure(io: Pick<Io, 'stderr'>, error: unknown, tokenSource?: TokenSource): 1 | 2 {
	const failure = commandFailure(error, tokenSource);
	if (!failure) throw error;
	io.stderr.write(`frameio-admin: ${failure.message}\n`);
	return failure.exitCode;
}
