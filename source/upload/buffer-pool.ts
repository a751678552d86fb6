// Read buffers for part bodies, reused from part to part. Streaming with createReadStream allocated a fresh
// chunk_size buffer for every read: about one buffer per MiB sent, and the garbage collector then spent about a
// quarter of the uploader's CPU on them (a CPU profile of 20 × 50 MiB), CPU the box's other work needed.

export class BufferPool {
	private readonly free = new Map<number, Buffer[]>();
	private kept = 0;

	/** `maxKept`: free buffers held at most (others are left to the GC), so a burst does not pin memory for good. */
	constructor(private readonly maxKept = 64) {}

	/** A buffer of exactly `size` bytes, with arbitrary contents. */
	take(size: number): Buffer {
		const list = this.free.get(size);
		const buffer = list?.pop();
		if (buffer) {
			this.kept--;
			return buffer;
		}
		return Buffer.allocUnsafeSlow(size);
	}

	/** Hands a buffer back; only once nothing (no pending socket write) still reads it. */
	give(buffer: Buffer): void {
		if (this.kept >= this.maxKept) return;
		const list = this.free.get(buffer.length) ?? [];
		list.push(buffer);
		this.free.set(buffer.length, list);
		this.kept++;
	}

	get size(): number {
		return this.kept;
	}

	clear(): void {
		this.free.clear();
		this.kept = 0;
	}
}
