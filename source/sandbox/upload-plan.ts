import path from 'node:path';

export const MiB = 1024 * 1024;
export const DEFAULT_PART_SIZE = 16 * MiB;
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
 * How the sandbox splits a local upload, consistent with Frame.io's published example (50 645 990 bytes → 3 parts of
 * 16 881 997 / 16 881 997 / 16 881 996 with the default 16 MiB target):
 * - n = round(size / partSize) parts, at least 1: the count whose parts come nearest the target, so a part is between
 *   0.75 and 1.5 targets (a single part can be anything up to 1.5 targets);
 * - the size is spread evenly: every part is floor(size / n) bytes, and the first (size mod n) parts one byte more,
 *   so part sizes are rarely round numbers. A client that slices at its own fixed chunk size instead of the given
 *   sizes gets a 400 on the first wrong part.
 * - never more than 10 000 parts (S3's limit): the target grows for very large files.
 */
export function planParts(size: number, partSize = DEFAULT_PART_SIZE): number[] {
	if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`bad size ${size}`);
	const target = Math.max(1, Math.floor(partSize), Math.ceil(size / MAX_PARTS));
	const count = Math.min(MAX_PARTS, Math.max(1, Math.round(size / target)));
	const base = Math.floor(size / count);
	const larger = size - base * count;
	return Array.from({length: count}, (_, index) => (index < larger ? base + 1 : base));
}
