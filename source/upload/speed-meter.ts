/**
 * Exponentially weighted moving average of a byte rate, time-based so that irregular samples weigh by how much
 * time they cover (tau ≈ how many ms of history matter). Idle time counts: sampling with no new bytes decays it.
 */
export class SpeedMeter {
	private rate = 0;
	private primed = false;
	private lastAt: number | undefined;
	private pending = 0;

	constructor(
		private readonly tauMs = 3000,
		private readonly minSampleMs = 200,
		private readonly now: () => number = Date.now,
	) {}

	add(bytes: number): void {
		this.pending += bytes;
		this.sample();
	}

	sample(at = this.now()): void {
		if (this.lastAt === undefined) {
			this.lastAt = at;
			return;
		}
		const dt = at - this.lastAt;
		if (dt < this.minSampleMs) return;
		const instant = Math.max(0, (this.pending * 1000) / dt);
		if (this.primed) this.rate += (1 - Math.exp(-dt / this.tauMs)) * (instant - this.rate);
		else {
			this.rate = instant;
			this.primed = true;
		}
		this.pending = 0;
		this.lastAt = at;
	}

	/** Bytes per second. */
	get value(): number {
		return this.rate;
	}

	reset(): void {
		this.rate = 0;
		this.primed = false;
		this.lastAt = undefined;
		this.pending = 0;
	}
}

/** Seconds left at the current speed; null when unknown (no speed yet). */
export function etaSeconds(remainingBytes: number, bytesPerSecond: number): number | null {
	if (remainingBytes <= 0) return 0;
	if (!(bytesPerSecond > 0)) return null;
	return remainingBytes / bytesPerSecond;
}
