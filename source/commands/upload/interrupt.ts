// Ctrl-C, SIGTERM and SIGHUP (what an SSH drop sends) for the upload commands: the first asks for a graceful stop
// (no new part starts, the queue is saved; a test upload is cancelled), the second for an immediate one. Listeners
// are removed when the command ends.

export type StopKind = 'graceful' | 'now';

export type Interrupts = {
	/** Resolves with the signal's name on the first SIGINT/SIGTERM/SIGHUP. */
	readonly first: Promise<NodeJS.Signals>;
	/** Resolves on the second one. */
	readonly second: Promise<NodeJS.Signals>;
	readonly signalled: NodeJS.Signals | undefined;
	dispose(): void;
};

export function watchInterrupts(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']): Interrupts {
	let count = 0;
	let signalled: NodeJS.Signals | undefined;
	let resolveFirst!: (signal: NodeJS.Signals) => void;
	let resolveSecond!: (signal: NodeJS.Signals) => void;
	const first = new Promise<NodeJS.Signals>(resolve => (resolveFirst = resolve));
	const second = new Promise<NodeJS.Signals>(resolve => (resolveSecond = resolve));
	const handler = (signal: NodeJS.Signals) => {
		count++;
		if (count === 1) {
			signalled = signal;
			resolveFirst(signal);
		} else if (count === 2) resolveSecond(signal);
	};
	for (const signal of signals) process.on(signal, handler);
	return {
		first,
		second,
		get signalled() {
			return signalled;
		},
		dispose() {
			for (const signal of signals) process.off(signal, handler);
		},
	};
}

/** Exit code of a process stopped by SIGINT, by shell convention (128 + 2). */
export const EXIT_INTERRUPTED = 130;
