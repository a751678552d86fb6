import {createHash, randomBytes, randomUUID} from 'node:crypto';

/** A UUID (v5 layout) derived from a name, so that the demo seed has the same ids on every start. */
export function uuidFromName(name: string): string {
	const hash = createHash('sha1').update(`frameio-admin-sandbox:${name}`).digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function newId(): string {
	return randomUUID();
}

/** An opaque random token with a recognisable prefix. */
export function randomToken(prefix: string, bytes = 24): string {
	return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

/** Small seeded PRNG (mulberry32) so that the seed's sizes and version counts are stable. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
