// What a command prints, and its exit code, when a call to Frame.io fails. Shared by every command that talks to
// the API so that the same failure reads the same everywhere: missing credentials exit 2 (fix your setup), an API or
// network failure exits 1 with the API's own words or the host that could not be reached. The message is made
// printable: it quotes servers (IMS's error_description, the API's detail) and files.
import {CredentialsError} from '../config/credentials.js';
import {InsecureTransportError} from './api-url.js';
import {printable} from '../format/printable.js';
import {redactText} from '../log/redact.js';
import {ImsError} from './auth/ims-client.js';
import {RedirectError} from './auth/pkce.js';
import {AuthError, NoCredentialsError, type TokenSource} from './auth/token-provider.js';
import {FrameioError} from './errors.js';

export type Failure = {message: string; exitCode: 1 | 2; kind: string};

/** What to do about a 401, by where the token came from. */
export function refusedTokenHint(source: TokenSource | undefined): string {
	if (source === 'env') return ' (FRAMEIO_TOKEN was refused: set a fresh token, or unset it to use `frameio-admin login` credentials)';
	if (source === 'stored') return ' (the stored credentials were refused even after a refresh: run `frameio-admin login` again)';
	return '';
}

export function describeFailure(error: unknown, context: {tokenSource?: TokenSource; baseUrl?: string} = {}): Failure | undefined {
	const failure = describeRaw(error, context);
	return failure && {...failure, message: printable(failure.message)};
}

function describeRaw(error: unknown, context: {tokenSource?: TokenSource; baseUrl?: string}): Failure | undefined {
	if (error instanceof NoCredentialsError) return {message: error.message, exitCode: 2, kind: 'no_credentials'};
	if (error instanceof CredentialsError) return {message: error.message, exitCode: 2, kind: 'credentials'};
	if (error instanceof InsecureTransportError) return {message: error.message, exitCode: 2, kind: 'insecure_transport'};
	if (error instanceof RedirectError) return {message: error.message, exitCode: 2, kind: 'login'};
	if (error instanceof AuthError) return {message: redactText(error.message), exitCode: 1, kind: 'auth'};
	if (error instanceof ImsError) return {message: redactText(error.message), exitCode: 1, kind: 'ims'};
	if (!(error instanceof FrameioError)) return undefined;
	let message = error.message;
	if (error.status === 401) message += refusedTokenHint(context.tokenSource);
	if (error.status === 403) message += ' (the token works, but this user lacks the permission, or the account is locked)';
	if (error.retries > 0) message += ` [after ${error.retries} ${error.retries === 1 ? 'retry' : 'retries'}]`;
	if (error.advice) message += error.advice.startsWith(' (') ? error.advice : `: ${error.advice}`;
	return {message: redactText(message), exitCode: 1, kind: error.errorKind};
}
