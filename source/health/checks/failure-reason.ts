import type {TokenSource} from '../../frameio/auth/token-provider.js';
import {describeFailure} from '../../frameio/describe-failure.js';
import {redactText} from '../../log/redact.js';

/** The API's own words for a failed call (or the error's message), never a secret. */
export function failureReason(error: unknown, tokenSource?: TokenSource): string {
	const failure = describeFailure(error, {tokenSource});
	if (failure) return failure.message;
	return redactText(error instanceof Error ? error.message : String(error));
}
