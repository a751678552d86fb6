// What an upload command prints, and its exit code, when it cannot go on: setup problems (no credentials, no
// project, a bad folder name) exit 2, everything the API or the queue refused exits 1. Never a secret: the messages
// are the API's words and hosts, redacted once more on the way out.
import {TargetError} from '../../app/target.js';
import {describeFailure} from '../../frameio/describe-failure.js';
import type {TokenSource} from '../../frameio/auth/token-provider.js';
import {redactText} from '../../log/redact.js';
import {FolderMappingError} from '../../nomenclature/index.js';
import {UploadInputError} from '../add-input.js';
import {QueueLockedError} from '../queue-store.js';
import {UploadContextError} from './command-context.js';

export type CommandFailure = {message: string; exitCode: 1 | 2};

export function commandFailure(error: unknown, tokenSource?: TokenSource): CommandFailure | undefined {
	if (error instanceof UploadContextError) return commandFailure(error.cause, error.tokenSource);
	if (error instanceof TargetError) return {message: error.message, exitCode: 2};
	if (error instanceof FolderMappingError) return {message: error.message, exitCode: 2};
	if (error instanceof UploadInputError) return {message: redactText(error.message), exitCode: 2};
	if (error instanceof QueueLockedError) return {message: error.message, exitCode: 1};
	const failure = describeFailure(error, {tokenSource});
	return failure ? {message: failure.message, exitCode: failure.exitCode} : undefined;
}

/** The error to rethrow when commandFailure() has no answer for it (cli.ts reports it). */
export function originalError(error: unknown): unknown {
	return error instanceof UploadContextError ? error.cause : error;
}
