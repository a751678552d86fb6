/** Every timer the sandbox starts, so that close() can stop them all. Timers are unref'd: a sandbox never keeps a process alive. */
export class Timers {
	private readonly handles = new Set<NodeJS.Timeout>();
	private closed = false;

	after(ms: number, fn: () => void): void {
		if (this.closed) return;
		const handle = setTimeout(() => {
			this.handles.delete(handle);
			fn();
		}, ms);
		handle.unref();
		this.handles.add(handle);
	}

	every(ms: number, fn: () => void): void {
		if (this.closed) return;
		const handle = setInterval(fn, ms);
		handle.unref();
		this.handles.add(handle);
	}

	sleep(ms: number): Promise<void> {
		return new Promise(resolve => {
			if (ms <= 0 || this.closed) return resolve();
			this.after(ms, resolve);
		});
	}

	clear(): void {
		this.closed = true;
		for (const handle of this.handles) clearTimeout(handle);
		this.handles.clear();
	}
}
