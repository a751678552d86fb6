/** Lets work wait while the queue is paused: in-flight parts finish, new ones wait here. */
export class PauseGate {
	private paused = false;
	private waiters: Array<() => void> = [];

	get isPaused(): boolean {
		return this.paused;
	}

	pause(): void {
		this.paused = true;
	}

	resume(): void {
		this.paused = false;
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	/** Resolves at once when running, else on resume; rejects when the signal aborts first. */
	wait(signal?: AbortSignal): Promise<void> {
		if (!this.paused) return Promise.resolve();
		if (signal?.aborted) return Promise.reject(signal.reason);
		return new Promise((resolve, reject) => {
			const wake = () => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			};
			const onAbort = () => {
				this.waiters = this.waiters.filter(item => item !== wake);
				reject(signal!.reason);
			};
			this.waiters.push(wake);
			signal?.addEventListener('abort', onAbort, {once: true});
		});
	}
}
