// Remote upload: Frame.io fetches source_url itself. The sandbox only fetches from loopback (it must never
// reach the internet); any other host fails the upload, as an unreachable URL would.
import {createWriteStream} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import type {UploadLifecycle} from './lifecycle.js';
import {partPath, type FileRecord, type SandboxStore} from './store.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackUrl(raw: string): boolean {
	try {
		const url = new URL(raw);
		return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.test(url.hostname);
	} catch {
		return false;
	}
}

export async function fetchRemote(
	record: FileRecord,
	sourceUrl: string,
	context: {store: SandboxStore; lifecycle: UploadLifecycle; dataDir: string; signal: AbortSignal},
): Promise<void> {
	if (!isLoopbackUrl(sourceUrl)) {
		context.lifecycle.failed(record);
		return;
	}
	try {
		const dir = `${context.dataDir}/${record.file.id}`;
		await mkdir(dir, {recursive: true});
		const response = await fetch(sourceUrl, {signal: AbortSignal.any([context.signal, AbortSignal.timeout(120_000)])});
		if (!response.ok || !response.body) throw new Error(`source answered ${response.status}`);
		record.uploadedAt = new Date().toISOString();
		const parts = {sizes: [0], signatures: [''], received: new Set<number>(), dir, generation: 0};
		let size = 0;
		await pipeline(
			Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
			async function* (source: AsyncIterable<Buffer>) {
				for await (const chunk of source) {
					size += chunk.length;
					yield chunk;
				}
			},
			createWriteStream(partPath(parts, 1)),
		);
		if (context.store.fileRecord(record.file.id) !== record) return;
		if (size === 0) throw new Error('empty source');
		parts.sizes[0] = size;
		parts.received.add(1);
		record.parts = parts;
		record.file.file_size = size;
		context.lifecycle.partLanded(record);
	} catch {
		if (context.store.fileRecord(record.file.id) === record) context.lifecycle.failed(record);
	}
}
