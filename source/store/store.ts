// A store of named slices that publishes coalesced snapshots. Services push into it as often as they like; the
// console sees at most one snapshot per `minIntervalMs`, and none at all when a push did not change anything, so
// that an idle console renders (and writes) nothing.
import type {Unsubscribe} from './ports.js';

export type Equality<T> = (a: T, b: T) => boolean;

export type StoreTimers = {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
};

const realTimers: StoreTimers = {
	now: () => Date.now(),
	setTimeout(callback, ms) {
		const handle = setTimeout(callback, ms);
		// A pending publish must never keep the process alive.
		handle.unref();
		return handle;
	},
	clearTimeout: handle => clearTimeout(handle as NodeJS.Timeout),
};

export type StoreOptions<S> = {
	/** Per-slice equality (default Object.is): a push equal to the published value is not a change. */
	equality?: {[K in keyof S]?: Equality<S[K]>};
	/** Default 100 ms; the design allows 100-250. */
	minIntervalMs?: number;
	timers?: StoreTimers;
};

export class Store<S extends Record<string, unknown>> {
	private snapshot: S;
	private readonly pending = new Map<keyof S, unknown>();
	private readonly listeners = new Set<(snapshot: S) => void>();
	private readonly equality: {[K in keyof S]?: Equality<S[K]>};
	private readonly minIntervalMs: number;
	private readonly timers: StoreTimers;
	private timer: unknown = null;
	private lastPublishAt = -Infinity;
	private published = 0;
	private disposed = false;

	constructor(initial: S, options: StoreOptions<S> = {}) {
		this.snapshot = Object.freeze({...initial});
		this.equality = options.equality ?? {};
		this.minIntervalMs = options.minIntervalMs ?? 100;
		this.timers = options.timers ?? realTimers;
	}

	/** The latest published snapshot (pending pushes are not visible until published). */
	get = (): S => this.snapshot;

	/** How many snapshots were published so far. */
	get publishCount(): number {
		return this.published;
	}

	subscribe = (listener: (snapshot: S) => void): Unsubscribe => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	/**
	 * Pushes a slice's new value. Equal to what is published: nothing happens (and a pending change is dropped).
	 * Returns whether the slice will change at the next publish.
	 */
	set<K extends keyof S>(name: K, value: S[K]): boolean {
		if (this.disposed) return false;
		const equal = (this.equality[name] ?? Object.is) as Equality<S[K]>;
		if (equal(this.snapshot[name], value)) {
			this.pending.delete(name);
			return false;
		}
		this.pending.set(name, value);
		this.schedule();
		return true;
	}

	/** Updates a slice from its latest value, pending included. */
	update<K extends keyof S>(name: K, updater: (current: S[K]) => S[K]): boolean {
		return this.set(name, updater(this.peek(name)));
	}

	/** The latest value of a slice, pending included: what a producer builds on. */
	peek<K extends keyof S>(name: K): S[K] {
		return (this.pending.has(name) ? this.pending.get(name) : this.snapshot[name]) as S[K];
	}

	/** Publishes pending changes now (tests, and the final frame before exit). */
	flush = (): void => {
		if (this.timer !== null) {
			this.timers.clearTimeout(this.timer);
			this.timer = null;
		}
		if (this.pending.size === 0 || this.disposed) return;
		const next = {...this.snapshot};
		for (const [name, value] of this.pending) (next as Record<keyof S, unknown>)[name] = value;
		this.pending.clear();
		this.snapshot = Object.freeze(next);
		this.lastPublishAt = this.timers.now();
		this.published++;
		for (const listener of this.listeners) {
			try {
				listener(this.snapshot);
			} catch {
				// one broken subscriber must not starve the others
			}
		}
	};

	dispose(): void {
		this.disposed = true;
		if (this.timer !== null) this.timers.clearTimeout(this.timer);
		this.timer = null;
		this.pending.clear();
		this.listeners.clear();
	}

	private schedule(): void {
		if (this.timer !== null) return;
		// Leading edge when the last publish is old enough (a burst of synchronous pushes still makes one snapshot),
		// otherwise at the end of the current window.
		const wait = Math.max(0, this.lastPublishAt + this.minIntervalMs - this.timers.now());
		this.timer = this.timers.setTimeout(() => {
			this.timer = null;
			this.flush();
		}, wait);
	}
}
