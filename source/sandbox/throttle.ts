import {Transform} from 'node:stream';

/**
 * Holds a part's bytes to a bandwidth, so that the console's demo shows uploads in progress (loopback is
 * otherwise too fast to watch) and so that benches can model a real link.
 */
export function throttle(bytesPerSecond: number): Transform {
	const started = Date.now();
	let passed = 0;
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			passed += chunk.length;
			const due = started + (passed / bytesPerSecond) * 1000;
			const wait = due - Date.now();
			if (wait > 0) setTimeout(() => callback(null, chunk), wait);
			else callback(null, chunk);
		},
	});
}
