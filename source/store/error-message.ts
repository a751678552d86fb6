import {redactText} from '../log/redact.js';

/** A service error as one line for the screen, with any registered secret redacted. */
export function errorMessage(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return redactText(text.split('\n')[0] ?? '');
}
