// Media links (`include=media_links.*`) and the signed downloads they point at:
// GET /media/<fileId>/<rendition>/<download|inline|stream>?Expires=<unix s>&Signature=<hex>
// The sandbox does not transcode: a rendition serves the original bytes. A link's URLs are null when the sandbox
// holds no bytes for the file (seeded files, uploads not finished) or when the rendition would not exist: renditions
// wait for status `transcoded`, video ones (video_h264_180, high_quality, efficient, scrub_sheet) are for video only,
// thumbnails for video, images and PDFs.
import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto';
import {createReadStream} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {MediaLink, MediaLinkName, MediaLinks} from '../frameio/types.js';
import {sendS3Error} from './http-io.js';
import {partPath, type FileRecord, type SandboxStore} from './store.js';

export const MEDIA_PATH = /^\/media\/([^/]+)\/([a-z0-9_]+)\/(download|inline|stream)$/;
const LINK_TTL_SECONDS = 24 * 3600;
const VIDEO_ONLY: MediaLinkName[] = ['video_h264_180', 'high_quality', 'efficient', 'scrub_sheet'];

type Disposition = 'download' | 'inline' | 'stream';

export class MediaServer {
	private readonly key = randomBytes(32);

	constructor(
		private readonly store: SandboxStore,
		private readonly baseUrl: () => string,
		private readonly now: () => number = Date.now,
	) {}

	links(fileId: string, names: MediaLinkName[]): MediaLinks {
		const record = this.store.fileRecord(fileId);
		const out: MediaLinks = {};
		for (const name of names) {
			const available = record !== undefined && hasBytes(record) && renditionExists(record, name);
			const url = (disposition: Disposition) => (available ? this.signedUrl(fileId, name, disposition) : null);
			const link: MediaLink = {download_url: url('download')};
			if (name === 'original') link.inline_url = url('inline');
			else if (name !== 'high_quality' && name !== 'efficient') link.url = url('stream');
			out[name] = link;
		}
		return out;
	}

	async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		req.resume();
		const match = MEDIA_PATH.exec(url.pathname);
		if ((req.method !== 'GET' && req.method !== 'HEAD') || !match) return sendS3Error(res, 405, 'MethodNotAllowed', 'Only GET or HEAD of a media link is supported');
		const [, fileId, name, disposition] = match;
		const expires = Number(url.searchParams.get('Expires'));
		if (!this.signatureMatches(url.pathname, url.searchParams.get('Expires') ?? '', url.searchParams.get('Signature') ?? '')) {
			return sendS3Error(res, 403, 'AccessDenied', 'Request signature does not match');
		}
		if (!(expires * 1000 > this.now())) return sendS3Error(res, 403, 'AccessDenied', 'Request has expired');
		const record = this.store.fileRecord(fileId);
		if (!record || !hasBytes(record) || !renditionExists(record, name as MediaLinkName)) return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
		const headers: Record<string, string> = {'content-type': record.file.media_type, 'content-length': String(record.file.file_size)};
		if (disposition !== 'stream') headers['content-disposition'] = `${disposition === 'download' ? 'attachment' : 'inline'}; filename="${record.file.name.replace(/["\\\r\n]/g, '_')}"`;
		res.writeHead(200, headers);
		if (req.method === 'HEAD') return void res.end();
		const parts = record.parts!;
		try {
			for (let partNo = 1; partNo <= parts.sizes.length; partNo++) {
				if (res.destroyed) return;
				await pipePart(partPath(parts, partNo), res);
			}
			res.end();
		} catch {
			res.destroy(); // the file was deleted mid-download: a cut body, as S3 would give
		}
	}

	private signedUrl(fileId: string, name: MediaLinkName, disposition: Disposition): string {
		const path = `/media/${fileId}/${name}/${disposition}`;
		const expires = String(Math.floor(this.now() / 1000) + LINK_TTL_SECONDS);
		return `${this.baseUrl()}${path}?Expires=${expires}&Signature=${this.sign(path, expires)}`;
	}

	private sign(path: string, expires: string): string {
		return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('hex');
	}

	private signatureMatches(path: string, expires: string, signature: string): boolean {
		const expected = Buffer.from(this.sign(path, expires));
		const given = Buffer.from(signature);
		return given.length === expected.length && timingSafeEqual(given, expected);
	}
}

function hasBytes(record: FileRecord): boolean {
	return record.complete && record.parts !== null && record.parts.received.size === record.parts.sizes.length;
}

function renditionExists(record: FileRecord, name: MediaLinkName): boolean {
	if (name === 'original') return true;
	if (record.file.status !== 'transcoded') return false;
	const type = record.file.media_type;
	if (VIDEO_ONLY.includes(name)) return type.startsWith('video/');
	return type.startsWith('video/') || type.startsWith('image/') || type === 'application/pdf';
}

function pipePart(file: string, res: ServerResponse): Promise<void> {
	return new Promise((resolve, reject) => {
		const stream = createReadStream(file);
		stream.on('error', reject);
		stream.on('end', resolve);
		stream.pipe(res, {end: false});
	});
}
