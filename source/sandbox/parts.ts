// The S3-like part endpoint: PUT /s3/parts/<fileId>/<partNo>?X-Amz-Expires=…&X-Amz-Signature=…
// It checks what a presigned S3 PUT checks (signature, the signed Content-Type and x-amz-acl headers) and
// streams each part to disk, never into memory.
import {createWriteStream} from 'node:fs';
import {cp, mkdir, rename, rm} from 'node:fs/promises';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {finished, pipeline} from 'node:stream/promises';
import {sendS3Error} from './http-io.js';
import {randomHex} from './ids.js';
import type {UploadLifecycle} from './lifecycle.js';
import {partPath, type FileRecord, type SandboxStore} from './store.js';
import {throttle} from './throttle.js';

export const PART_PATH = /^\/s3\/parts\/([^/]+)\/(\d+)$/;
export const URL_EXPIRES_SECONDS = 86_400;

/** Gives a new file its parts and presigned-like URLs. */
export async function preparePartUpload(record: FileRecord, sizes: number[], baseUrl: string, dataDir: string): Promise<Array<{size: number; url: string}>> {
	const dir = `${dataDir}/${record.file.id}`;
	await mkdir(dir, {recursive: true});
	const signatures = sizes.map(() => randomHex(32));
	record.parts = {sizes, signatures, received: new Set(), dir, generation: 0};
	return sizes.map((size, index) => ({
		size,
		url: `${baseUrl}/s3/parts/${record.file.id}/${index + 1}?X-Amz-Expires=${URL_EXPIRES_SECONDS}&X-Amz-Signature=${signatures[index]}`,
	}));
}

/** Gives a copied file its own copy of the source's landed parts (so deleting either leaves the other whole). */
export async function copyStoredParts(source: FileRecord, copy: FileRecord, dataDir: string): Promise<void> {
	const parts = source.parts;
	if (!parts) return;
	const dir = `${dataDir}/${copy.file.id}`;
	await cp(parts.dir, dir, {recursive: true, filter: file => !file.endsWith('.tmp')});
	copy.parts = {sizes: [...parts.sizes], signatures: parts.sizes.map(() => randomHex(32)), received: new Set(parts.received), dir, generation: 0};
}

export type PartContext = {
	store: SandboxStore;
	lifecycle: UploadLifecycle;
	/** True when this PUT must fail with a 500 (partFailureRate). */
	injectFailure: () => boolean;
	markFaulted: (kind: string) => void;
	/** Bandwidth of one part PUT (the console demo); unlimited when absent. */
	partBytesPerSecond?: number;
};

export async function handlePartPut(req: IncomingMessage, res: ServerResponse, url: URL, context: PartContext): Promise<void> {
	const match = PART_PATH.exec(url.pathname);
	if (req.method !== 'PUT' || !match) {
		req.resume();
		return sendS3Error(res, 405, 'MethodNotAllowed', 'Only PUT of a part is supported');
	}
	const [, fileId, partText] = match;
	const record = context.store.fileRecord(fileId);
	const parts = record?.parts;
	const partNo = Number(partText);
	if (!record || !parts) {
		req.resume();
		return sendS3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist');
	}
	if (!(partNo >= 1 && partNo <= parts.sizes.length)) {
		req.resume();
		return sendS3Error(res, 400, 'InvalidArgument', `Part number must be between 1 and ${parts.sizes.length}`);
	}
	if (url.searchParams.get('X-Amz-Signature') !== parts.signatures[partNo - 1] || !url.searchParams.get('X-Amz-Expires')) {
		req.resume();
		return sendS3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided');
	}
	const contentType = req.headers['content-type'];
	if (contentType !== record.file.media_type) {
		req.resume();
		return sendS3Error(
			res,
			403,
			'SignatureDoesNotMatch',
			`The request signature we calculated does not match: signed Content-Type is ${record.file.media_type}, got ${contentType ?? 'none'}`,
		);
	}
	if (req.headers['x-amz-acl'] !== 'private') {
		req.resume();
		return sendS3Error(res, 403, 'AccessDenied', 'x-amz-acl: private is a signed header of this URL and is missing or different');
	}

	const expected = parts.sizes[partNo - 1];
	const failing = context.injectFailure();
	const temp = `${partPath(parts, partNo)}.${randomHex(6)}.tmp`;
	let received = 0;
	try {
		req.on('data', (chunk: Buffer) => {
			received += chunk.length;
		});
		if (failing) {
			req.resume();
			await finished(req);
		} else {
			const sink = createWriteStream(temp, {highWaterMark: 1024 * 1024});
			if (context.partBytesPerSecond) await pipeline(req, throttle(context.partBytesPerSecond), sink);
			else await pipeline(req, sink);
		}
	} catch {
		await rm(temp, {force: true});
		return; // the client went away mid-part
	}
	if (failing) {
		context.markFaulted('part_failure');
		return sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
	}
	if (received !== expected) {
		await rm(temp, {force: true});
		return sendS3Error(
			res,
			400,
			received < expected ? 'IncompleteBody' : 'EntityTooLarge',
			`Part ${partNo} must be exactly ${expected} bytes, got ${received}`,
		);
	}
	if (context.store.fileRecord(fileId) !== record) {
		await rm(temp, {force: true});
		return sendS3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist');
	}
	try {
		await rename(temp, partPath(parts, partNo));
	} catch {
		await rm(temp, {force: true});
		return sendS3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist');
	}
	if (parts.received.has(partNo)) {
		// A re-PUT replaces the part: the running checksum must start over.
		parts.generation++;
		record.sha256 = null;
	}
	parts.received.add(partNo);
	context.lifecycle.partLanded(record);
	res.writeHead(200, {etag: `"${randomHex(16)}"`, 'content-length': '0'});
	res.end();
}
