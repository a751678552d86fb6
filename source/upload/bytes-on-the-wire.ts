// Bytes sent, on the bus a few times a second, so that a throughput figure counts bytes as they go and not only the
// files that finished (a 50 GB file would otherwise count nothing for an hour, then everything at once).
import type {EventBus} from '../events/index.js';

export class BytesOnTheWire {
	private pending = 0;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly bus: EventBus | undefined,
		private readonly intervalMs = 250,
		private readonly now: () => number = Date.now,
	) {}

	/** A part's progress; a negative delta (a part sent again after a failure) takes nothing back from the wire. */
	add(delta: number): void {
		if (!this.bus || delta <= 0) return;
		this.pending += delta;
		if (!this.timer) {
			this.timer = setTimeout(() => this.flush(), this.intervalMs);
			this.timer.unref();
		}
	}

	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.pending === 0) return;
		this.bus?.emit({type: 'upload-bytes', at: this.now(), bytes: this.pending});
		this.pending = 0;
	}
}
