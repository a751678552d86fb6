/**
 * A fixed-capacity ring of (time, value) pairs in two typed arrays: memory is allocated once and
 * never grows, however many values are pushed. The oldest pair is overwritten when it is full.
 */
export class TimedRing {
	private readonly times: Float64Array;
	private readonly values: Float64Array;
	private head = 0; // next write position
	private count = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
		this.times = new Float64Array(capacity);
		this.values = new Float64Array(capacity);
	}

	get size(): number {
		return this.count;
	}

	push(at: number, value: number): void {
		this.times[this.head] = at;
		this.values[this.head] = value;
		this.head = (this.head + 1) % this.capacity;
		if (this.count < this.capacity) this.count++;
	}

	/** Values whose time satisfies `keep`, oldest first. */
	valuesWhere(keep: (at: number) => boolean): number[] {
		const out: number[] = [];
		const start = (this.head - this.count + this.capacity) % this.capacity;
		for (let i = 0; i < this.count; i++) {
			const index = (start + i) % this.capacity;
			if (keep(this.times[index])) out.push(this.values[index]);
		}
		return out;
	}

	/** Each pair at or after `from`, oldest first. */
	forEachSince(from: number, visit: (at: number, value: number) => void): void {
		const start = (this.head - this.count + this.capacity) % this.capacity;
		for (let i = 0; i < this.count; i++) {
			const index = (start + i) % this.capacity;
			if (this.times[index] >= from) visit(this.times[index], this.values[index]);
		}
	}

	/** The newest n values, oldest first. */
	last(n: number): number[] {
		const take = Math.max(0, Math.min(n, this.count));
		const out: number[] = [];
		for (let i = take; i >= 1; i--) out.push(this.values[(this.head - i + this.capacity) % this.capacity]);
		return out;
	}

	/** The newest pair, or null when empty. */
	newest(): {at: number; value: number} | null {
		if (this.count === 0) return null;
		const index = (this.head - 1 + this.capacity) % this.capacity;
		return {at: this.times[index], value: this.values[index]};
	}
}
