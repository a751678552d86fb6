// The console's one clock: a single unref'd interval drives the periodic refresh of the visible data and, only
// while something is loading, the spinner frames. No component owns a timer; when nothing is loading and the
// refresh is paused, no timer runs at all.
import type {Unsubscribe} from './ports.js';

/** The refresh intervals +/- step through, in seconds. */
export const REFRESH_STEPS_SECONDS = [1, 2, 5, 10, 15, 30, 60] as const;

export type ClockState = {
	intervalMs: number;
	paused: boolean;
	/** Spinner frame; advances only while something is loading. */
	frame: number;
	animating: boolean;
};

export type RefreshReason = 'tick' | 'manual';

const FRAME_MS = 125;

export class RefreshClock {
	private intervalMs: number;
	private paused = false;
	private frame = 0;
	private readonly animators = new Set<string>();
	private readonly refreshListeners = new Set<(reason: RefreshReason) => void>();
	private readonly changeListeners = new Set<(state: ClockState) => void>();
	private timer: NodeJS.Timeout | null = null;
	private timerPeriod = 0;
	private lastRefreshAt = 0;
	private running = false;
	private readonly frameMs: number;

	constructor(options: {intervalMs: number; frameMs?: number}) {
		this.intervalMs = Math.max(250, options.intervalMs);
		this.frameMs = options.frameMs ?? FRAME_MS;
	}

	state(): ClockState {
		return {intervalMs: this.intervalMs, paused: this.paused, frame: this.frame, animating: this.animators.size > 0};
	}

	onRefresh(listener: (reason: RefreshReason) => void): Unsubscribe {
		this.refreshListeners.add(listener);
		return () => this.refreshListeners.delete(listener);
	}

	onChange(listener: (state: ClockState) => void): Unsubscribe {
		this.changeListeners.add(listener);
		return () => this.changeListeners.delete(listener);
	}

	start(): void {
		this.running = true;
		this.lastRefreshAt = Date.now();
		this.reschedule();
	}

	stop(): void {
		this.running = false;
		this.reschedule();
	}

	/** `r`: refresh now, even when paused (the user asked for it). */
	refreshNow(): void {
		this.lastRefreshAt = Date.now();
		this.emitRefresh('manual');
	}

	togglePause(): void {
		this.paused = !this.paused;
		this.reschedule();
		this.emitChange();
	}

	setIntervalMs(ms: number): void {
		const next = Math.max(250, ms);
		if (next === this.intervalMs) return;
		this.intervalMs = next;
		this.reschedule();
		this.emitChange();
	}

	/** `-`: refresh more often. */
	faster(): void {
		const seconds = this.intervalMs / 1000;
		const step = [...REFRESH_STEPS_SECONDS].reverse().find(value => value < seconds);
		if (step !== undefined) this.setIntervalMs(step * 1000);
	}

	/** `+`: refresh less often. */
	slower(): void {
		const seconds = this.intervalMs / 1000;
		const step = REFRESH_STEPS_SECONDS.find(value => value > seconds);
		if (step !== undefined) this.setIntervalMs(step * 1000);
	}

	/** Ref-counted by key: the spinner runs while any key is animating. */
	setAnimating(key: string, on: boolean): void {
		const had = this.animators.size > 0;
		if (on) this.animators.add(key);
		else this.animators.delete(key);
		if (had !== this.animators.size > 0) {
			this.reschedule();
			this.emitChange();
		}
	}

	private reschedule(): void {
		const animating = this.animators.size > 0;
		const period = !this.running ? 0 : animating ? this.frameMs : this.paused ? 0 : this.intervalMs;
		if (period === this.timerPeriod && (this.timer !== null) === period > 0) return;
		if (this.timer !== null) clearInterval(this.timer);
		this.timer = null;
		this.timerPeriod = period;
		if (period > 0) {
			this.timer = setInterval(() => this.fire(), period);
			this.timer.unref();
		}
	}

	private fire(): void {
		if (this.animators.size > 0) {
			this.frame = (this.frame + 1) % 1_000_000;
			this.emitChange();
		}
		if (this.paused) return;
		const now = Date.now();
		// While animating the timer fires every frame; a refresh is still due only once per interval.
		if (now - this.lastRefreshAt >= this.intervalMs - this.frameMs / 2) {
			this.lastRefreshAt = now;
			this.emitRefresh('tick');
		}
	}

	private emitRefresh(reason: RefreshReason): void {
		for (const listener of this.refreshListeners) {
			try {
				listener(reason);
			} catch {
				// a failing refresher must not stop the clock
			}
		}
	}

	private emitChange(): void {
		const state = this.state();
		for (const listener of this.changeListeners) listener(state);
	}
}
