// Adobe IMS access tokens are JWTs. Their payload says when they expire, which lets `whoami` and health show the
// expiry of a FRAMEIO_TOKEN too. Only the payload is decoded (never verified, never printed).

/** Epoch ms of expiry, or null when the token is not a JWT we can read. */
export function jwtExpiresAt(token: string): number | null {
	const parts = token.split('.');
	if (parts.length !== 3) return null;
	let payload: Record<string, unknown>;
	try {
		payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
	} catch {
		return null;
	}
	if (!payload || typeof payload !== 'object') return null;
	const exp = Number(payload.exp);
	if (Number.isFinite(exp) && exp > 0) return exp * 1000;
	// IMS's own claims: created_at and expires_in, both in ms, as strings.
	const createdAt = Number(payload.created_at);
	const expiresIn = Number(payload.expires_in);
	if (Number.isFinite(createdAt) && Number.isFinite(expiresIn) && createdAt > 0 && expiresIn > 0) return createdAt + expiresIn;
	return null;
}
