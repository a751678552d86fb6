// What add() accepts: a readable, non-empty local file, or an http(s) URL, and a name Frame.io takes.
import {statSync} from 'node:fs';
import {registerSecret} from '../log/redact.js';
import {errorMessage} from './upload-api.js';

/** A job the queue refuses at add(): a missing or empty file, a bad URL, no way to find a folder. */
export class UploadInputError extends Error {
	override readonly name = 'UploadInputError';
}

export function checkName(name: string): string {
	if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
		throw new UploadInputError(`a file name must have 1 to 255 characters, got ${JSON.stringify(name)}`);
	}
	return name;
}

export function checkLocalFile(file: string): number {
	let info;
	try {
		info = statSync(file);
	} catch (error) {
		throw new UploadInputError(`cannot upload ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
	}
	if (!info.isFile()) throw new UploadInputError(`cannot upload ${file}: not a regular file`);
	if (info.size < 1) throw new UploadInputError(`cannot upload ${file}: the file is empty (Frame.io needs at least 1 byte)`);
	return info.size;
}

export function checkSourceUrl(sourceUrl: string): string {
	let url: URL;
	try {
		url = new URL(sourceUrl);
	} catch {
		throw new UploadInputError('the source URL is not a valid URL');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UploadInputError(`the source URL must be http(s), got ${url.protocol}`);
	// A source URL often carries its own credentials (a presigned query): keep them out of every log line.
	if (url.search.length > 1) registerSecret(url.search.slice(1));
	if (url.username || url.password) registerSecret(`${url.username}:${url.password}`);
	return sourceUrl;
}
