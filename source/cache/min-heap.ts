// A binary min-heap over a numeric key, for the cache's "what expires next" and "what is oldest" bookkeeping.
// Items are never removed from the middle: callers mark them dead and skip them when they reach the top.

export class MinHeap<T> {
	private items: T[] = [];

	constructor(private readonly keyOf: (item: T) => number) {}

	get length(): number {
		return this.items.length;
	}

	peek(): T | undefined {
		return this.items[0];
	}

	push(item: T): void {
		const items = this.items;
		items.push(item);
		let at = items.length - 1;
		const key = this.keyOf(item);
		while (at > 0) {
			const parent = (at - 1) >> 1;
			if (this.keyOf(items[parent]) <= key) break;
			items[at] = items[parent];
			at = parent;
		}
		items[at] = item;
	}

	pop(): T | undefined {
		const items = this.items;
		const top = items[0];
		const last = items.pop();
		if (items.length > 0 && last !== undefined) {
			items[0] = last;
			this.siftDown(0);
		}
		return top;
	}

	/** Replaces the content with `items` (taken over, not copied), in O(n). */
	rebuild(items: T[]): void {
		this.items = items;
		for (let at = (items.length >> 1) - 1; at >= 0; at--) this.siftDown(at);
	}

	private siftDown(start: number): void {
		const items = this.items;
		const n = items.length;
		const item = items[start];
		const key = this.keyOf(item);
		let at = start;
		for (;;) {
			const left = 2 * at + 1;
			if (left >= n) break;
			const right = left + 1;
			const child = right < n && this.keyOf(items[right]) < this.keyOf(items[left]) ? right : left;
			if (this.keyOf(items[child]) >= key) break;
			items[at] = items[child];
			at = child;
		}
		items[at] = item;
	}
}
