import type {UploadUrl} from '../frameio/types.js';

/** One part of a local upload: bytes [start, end] of the file (end inclusive, as createReadStream takes it). */
export type PartRange = {
	/** 1-based, as the user sees it ("part 3/7"). */
	number: number;
	start: number;
	end: number;
	size: number;
	url: string;
};

export class PartPlanError extends Error {
	override readonly name = 'PartPlanError';
}

/**
 * Slices the file at the sizes Frame.io gave, in array order. The sizes must add up to the file size: slicing
 * at any other width (the earlier implementation's fixed 8 MiB) corrupts the assembled file.
 */
export function planRanges(urls: UploadUrl[], fileSize: number): PartRange[] {
	if (!Array.isArray(urls) || urls.length === 0) throw new PartPlanError('the API returned no upload_urls');
	const ranges: PartRange[] = [];
	let offset = 0;
	urls.forEach((item, index) => {
		if (!Number.isSafeInteger(item.size) || item.size < 1) {
			throw new PartPlanError(`upload_urls[${index}].size is ${String(item.size)}, not a positive integer`);
		}
		if (typeof item.url !== 'string' || item.url.length === 0) throw new PartPlanError(`upload_urls[${index}] has no url`);
		ranges.push({number: index + 1, start: offset, end: offset + item.size - 1, size: item.size, url: item.url});
		offset += item.size;
	});
	if (offset !== fileSize) {
		throw new PartPlanError(`the ${urls.length} part sizes add up to ${offset} bytes, but the file has ${fileSize}`);
	}
	return ranges;
}
