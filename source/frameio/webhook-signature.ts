// Frame.io's webhook signature (frameio-v4.md §7): X-Frameio-Request-Timestamp is the unix time in seconds, and
// X-Frameio-Signature is `v0=` + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)). A delivery whose
// timestamp is more than 5 minutes from our clock is refused even when signed right: a replayed old delivery.
import {createHmac, timingSafeEqual} from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-frameio-request-timestamp';
export const SIGNATURE_HEADER = 'x-frameio-signature';
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureRefusal = 'missing_signature' | 'malformed_signature' | 'stale' | 'bad_signature' | 'no_secret';

export type SignatureCheck = {ok: true; secretIndex: number} | {ok: false; reason: SignatureRefusal; detail: string};

export function signWebhookBody(secret: string, timestamp: string, rawBody: string | Buffer): string {
	return `v0=${digest(secret, timestamp, rawBody).toString('hex')}`;
}

function digest(secret: string, timestamp: string, rawBody: string | Buffer): Buffer {
	return createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest();
}

/**
 * Checks one delivery against every secret we hold (a workspace may have several webhooks pointing here). The
 * comparison is constant-time, and the timestamp must be the signed one: a signature over another time fails.
 */
export function verifyWebhookSignature(input: {
	secrets: readonly string[];
	timestamp: string | undefined;
	signature: string | undefined;
	rawBody: Buffer;
	nowMs?: number;
}): SignatureCheck {
	const {timestamp, signature} = input;
	if (!timestamp || !signature) return {ok: false, reason: 'missing_signature', detail: `no ${timestamp ? SIGNATURE_HEADER : TIMESTAMP_HEADER} header`};
	if (!/^\d{1,12}$/.test(timestamp)) return {ok: false, reason: 'malformed_signature', detail: 'the timestamp is not a unix time in seconds'};
	const match = /^v0=([0-9a-f]{64})$/i.exec(signature.trim());
	if (!match) return {ok: false, reason: 'malformed_signature', detail: 'the signature is not v0=<64 hex digits>'};
	const skew = Math.abs((input.nowMs ?? Date.now()) / 1000 - Number(timestamp));
	if (skew > MAX_SKEW_SECONDS) return {ok: false, reason: 'stale', detail: `the timestamp is ${Math.round(skew)} s away from this clock (at most ${MAX_SKEW_SECONDS} s)`};
	if (input.secrets.length === 0) return {ok: false, reason: 'no_secret', detail: 'no webhook secret is stored here: create the webhook with `frameio-admin webhook create`'};
	const given = Buffer.from(match[1], 'hex');
	for (const [index, secret] of input.secrets.entries()) {
		if (timingSafeEqual(digest(secret, timestamp, input.rawBody), given)) return {ok: true, secretIndex: index};
	}
	return {ok: false, reason: 'bad_signature', detail: 'the signature matches none of the stored webhook secrets'};
}
