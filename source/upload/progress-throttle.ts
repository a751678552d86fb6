/**
 * Per-key coalescing of progress: at most one emit per key per interval (the latest state wins, a trailing emit
 * makes sure the last change is seen). State changes are emitted by the caller at once; markEmitted() restarts
 * the interval after one.
 */
export class ProgressThrottle<K> {
	private readonly last = new Map<K, number>();
	private readonly timers = new Map<K, NodeJS.Timeout>();

	constructor(
		private readonly intervalMs: number,
		private readonly emit: (key: K) => void,
		private readonly clock: () => number = Date.now,
	) {}

	/** A progress change: emitted now if the interval has passed, else once at its end. */
	touch(key: K): void {
		if (this.timers.has(key)) return;
		const wait = (this.last.get(key) ?? -Infinity) + this.intervalMs - this.clock();
		if (wait <= 0) {
			this.fire(key);
			return;
		}
		const timer = setTimeout(() => {
			this.timers.delete(key);
			this.fire(key);
		}, wait);
		timer.unref?.();
		this.timers.set(key, timer);
	}

	/** The caller just emitted a state change for key: drop a pending progress emit and restart the interval. */
	markEmitted(key: K): void {
		this.cancel(key);
		this.last.set(key, this.clock());
	}

	cancel(key: K): void {
		const timer = this.timers.get(key);
		if (timer) clearTimeout(timer);
		this.timers.delete(key);
	}

	forget(key: K): void {
		this.cancel(key);
		this.last.delete(key);
	}

	stop(): void {
		for (const timer of this.timers.values()) clearTimeout(timer);
		this.timers.clear();
	}

	private fire(key: K): void {
		this.last.set(key, this.clock());
		this.emit(key);
	}
}
