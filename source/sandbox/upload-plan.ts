import path from 'node:path';

export const MiB = 1024 * 1024;
export const DEFAULT_PART_SIZE = 16 * MiB;
export const SINGLE_PART_LIMIT = 5 * MiB;
export const MAX_FILE_SIZE = 5_000_000_000_000;
/** S3's multipart limit: larger files get larger parts. */
export const MAX_PARTS = 10_000;

const mediaTypes: Record<string, string> = {
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	mxf: 'application/mxf',
	mkv: 'video/x-matroska',
	avi: 'video/x-msvideo',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	pdf: 'application/pdf',
	wav: 'audio/wav',
};

/** The media type Frame.io would report, from the file name's extension. */
export function mediaTypeFor(name: string): string {
	return mediaTypes[path.extname(name).slice(1).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * How the sandbox splits a local upload, like Frame.io does, with sizes the client must follow:
 * - up to min(5 MiB, partSize): one part;
 * - otherwise n = ceil(size / partSize) parts of ceil(size / n) bytes, the last one taking the remainder,
 *   so the last part is usually smaller and the part size is rarely a round number. A client that
 *   slices at its own fixed chunk size instead of the given sizes gets a 400 on the first wrong part.
 * - never more than 10 000 parts (S3's limit): the part size grows for very large files.
 */
export function planParts(size: number, partSize = DEFAULT_PART_SIZE): number[] {
	if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`bad size ${size}`);
	const target = Math.max(1, Math.floor(partSize), Math.ceil(size / MAX_PARTS));
	if (size <= Math.min(SINGLE_PART_LIMIT, target)) return [size];
	const count = Math.ceil(size / target);
	const base = Math.ceil(size / count);
	const parts: number[] = [];
	let left = size;
	while (left > 0) {
		const next = Math.min(base, left);
		parts.push(next);
		left -= next;
	}
	return parts;
}
