// A counting semaphore whose waiters can give up (an aborted job must leave the line, not hold a place in it).
// The upload queue bounds its verifying jobs with one, apart from the transfer slots of max_concurrent_uploads.

export class SlotPool {
	private active = 0;
	private readonly waiters: Array<{grant: () => void}> = [];

	constructor(readonly size: number) {
		if (!(size >= 1)) throw new Error(`a slot pool needs at least 1 slot, got ${size}`);
	}

	get inUse(): number {
		return this.active;
	}

	get waiting(): number {
		return this.waiters.length;
	}

	/** Resolves with the slot's release function (idempotent); rejects with the signal's reason if aborted first. */
	acquire(signal?: AbortSignal): Promise<() => void> {
		if (signal?.aborted) return Promise.reject(signal.reason);
		if (this.active < this.size) {
			this.active++;
			return Promise.resolve(this.releaser());
		}
		return new Promise((resolve, reject) => {
			const waiter = {
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve(this.releaser());
				},
			};
			const onAbort = () => {
				const index = this.waiters.indexOf(waiter);
				if (index >= 0) this.waiters.splice(index, 1);
				reject(signal!.reason);
			};
			signal?.addEventListener('abort', onAbort, {once: true});
			this.waiters.push(waiter);
		});
	}

	private releaser(): () => void {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			// The slot passes straight to the next waiter: `active` stays the same.
			const next = this.waiters.shift();
			if (next) next.grant();
			else this.active--;
		};
	}
}
