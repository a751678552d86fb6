/**
 * Secret scrubbing for every line we write: logs, reports, alerts and command output.
 * Two nets: the exact secret values this process knows (tokens, client secrets, webhook URLs),
 * and patterns for things that look secret whatever their value (Bearer headers, presigned signatures).
 */

const knownSecrets = new Set<string>();
export const REDACTED = '[REDACTED]';

/** Remembers a secret value so that it is scrubbed from everything written afterwards. */
export function registerSecret(value: string | undefined | null): void {
	// Very short values would scrub ordinary words; real secrets are long.
	if (value && value.length >= 8) knownSecrets.add(value);
}

export function knownSecretCount(): number {
	return knownSecrets.size;
}

const patterns: Array<[RegExp, string]> = [
	[/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
	// Presigned S3 URLs: keep the path, drop the signature and credential parameters.
	[/([?&](?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|Signature|sig)=)[^&\s"']+/gi, `$1${REDACTED}`],
	// Form or query encoded OAuth secrets.
	[/((?:access_token|refresh_token|client_secret|id_token|code_verifier)=)[^&\s"']+/gi, `$1${REDACTED}`],
	// JSON encoded OAuth secrets, in case an object slipped through as a string.
	[/("(?:access_token|refresh_token|client_secret|id_token|authorization|token|webhook_url)"\s*:\s*")[^"]*(")/gi, `$1${REDACTED}$2`],
	// Discord webhook URLs carry their secret in the path.
	[/(https?:\/\/[^\s"']*\/api\/webhooks\/)[^\s"']+/gi, `$1${REDACTED}`],
];

export function redactText(text: string): string {
	let out = text;
	for (const secret of knownSecrets) {
		if (out.includes(secret)) out = out.split(secret).join(REDACTED);
	}
	for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
	return out;
}

const secretKey = /^(authorization|access_token|refresh_token|client_secret|id_token|token|password|secret|webhook_url|code_verifier|x-amz-signature)$/i;

/** Deep copy with secret-named keys blanked and every string scrubbed. */
export function redactValue<T>(value: T, depth = 0): T {
	if (depth > 8) return value;
	if (typeof value === 'string') return redactText(value) as T;
	if (Array.isArray(value)) return value.map(item => redactValue(item, depth + 1)) as T;
	if (value instanceof Error) {
		// Error fields are not enumerable; spell them out so a logged error keeps its message.
		const {message, stack, name, ...rest} = value as Error & Record<string, unknown>;
		return redactValue({type: name, message, stack, ...rest}, depth + 1) as T;
	}
	if (value && typeof value === 'object' && !(value instanceof Date)) {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			out[key] = secretKey.test(key) && item ? REDACTED : redactValue(item, depth + 1);
		}
		return out as T;
	}
	return value;
}
