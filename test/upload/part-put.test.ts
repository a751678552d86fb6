// One part PUT against a real loopback server that reads its body slowly: the bytes are counted slice by slice as
// the socket takes them (256 KiB each), and every byte arrives in order although two read buffers are in flight.
import {createHash, randomBytes} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createPartTransport, destroyPartTransport, putPart} from '../../source/upload/part-put.js';
import {testDir} from '../helpers/secret-scan.js';

let server: Server | undefined;
afterEach(() => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve())));

const KiB = 1024;
const MiB = 1024 * KiB;

describe('putPart', () => {
	it('counts each 256 KiB slice when the socket takes it, and sends the bytes in order', async () => {
		let received = 0;
		const hash = createHash('sha256');
		server = createServer((request, response) => {
			// About 16 MiB/s: 64 KiB, then a pause of 4 ms.
			request.on('data', (chunk: Buffer) => {
				received += chunk.length;
				hash.update(chunk);
				request.pause();
				setTimeout(() => request.resume(), 4 * (chunk.length / (64 * KiB)));
			});
			request.on('end', () => response.end());
		});
		await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		const size = 32 * MiB;
		const file = path.join(testDir('part-put-slices'), 'part.bin');
		const content = randomBytes(size);
		writeFileSync(file, content);
		const transport = createPartTransport();
		const counted: Array<{at: bigint; bytes: number}> = [];
		try {
			await putPart(
				{number: 1, start: 0, end: size - 1, size, url: `http://127.0.0.1:${port}/part/1`},
				{
					path: file,
					mediaType: 'application/octet-stream',
					transport,
					timeoutMs: 60_000,
					readBufferBytes: 1 * MiB,
					signal: new AbortController().signal,
					onBytes: bytes => counted.push({at: process.hrtime.bigint(), bytes}),
				},
			);
		} finally {
			destroyPartTransport(transport);
		}
		expect(received).toBe(size);
		// Every byte in its place: two read buffers are in flight, and their slices must never interleave.
		expect(hash.digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));
		expect(counted.reduce((sum, each) => sum + each.bytes, 0)).toBe(size);
		expect(counted.every(each => each.bytes === 256 * KiB)).toBe(true);
	}, 30_000);
});
