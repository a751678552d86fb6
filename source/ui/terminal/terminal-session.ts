// The terminal's state around the console: alternate screen, hidden cursor and no auto-wrap on the way in; every
// way out (q, Ctrl-C, SIGTERM, SIGHUP, SIGINT, an uncaught error) puts all of it back exactly once, then runs the
// shutdown hook (flush logs, persist the upload queue) and resolves with the exit code.

const ESC = '\u001B';
export const ENTER_SEQUENCE = `${ESC}[?1049h${ESC}[?25l${ESC}[?7l${ESC}[H${ESC}[2J`;
export const RESTORE_SEQUENCE = `${ESC}[0m${ESC}[?7h${ESC}[?25h${ESC}[?1049l`;

type In = NodeJS.ReadableStream & {isTTY?: boolean; setRawMode?(mode: boolean): unknown};
type Out = {write(chunk: string): boolean};

export type ExitReason = 'quit' | 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'crash';

const EXIT_CODES: Record<ExitReason, number> = {quit: 0, SIGHUP: 129, SIGINT: 130, SIGTERM: 143, crash: 1};

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

export type TerminalSessionOptions = {
	stdout: Out;
	stdin: In;
	stderr: Out;
	/** Runs after the terminal is restored, before the exit code is returned. */
	onShutdown(reason: ExitReason): Promise<void>;
	/** Unmounts the UI (called first, before restoring). */
	onStop?(): void;
	/** Where console.* goes while the screen is ours (a stray console.log would scribble over the frame). */
	consoleSink?(level: string, args: unknown[]): void;
	/** A hanging shutdown must not keep a killed console alive. Default 5 s. */
	shutdownTimeoutMs?: number;
	/** Formats a crash for stderr after the screen is restored. */
	describeError?(error: unknown): string;
	/** process, or a stand-in in tests. */
	process?: Pick<NodeJS.Process, 'on' | 'off'>;
};

export class TerminalSession {
	private entered = false;
	private restored = false;
	private finishing: Promise<number> | null = null;
	private resolveDone!: (code: number) => void;
	/** Resolves with the exit code once the session has finished. */
	readonly done: Promise<number> = new Promise(resolve => (this.resolveDone = resolve));
	private readonly handlers: Array<[string, (...args: never[]) => void]> = [];
	private savedConsole: Partial<Record<(typeof CONSOLE_METHODS)[number], (...args: unknown[]) => void>> = {};

	constructor(private readonly options: TerminalSessionOptions) {}

	enter(): void {
		if (this.entered) return;
		this.entered = true;
		const proc = this.options.process ?? process;
		for (const signal of SIGNALS) this.listen(proc, signal, () => void this.finish(signal));
		this.listen(proc, 'uncaughtException', (error: unknown) => void this.finish('crash', error));
		this.listen(proc, 'unhandledRejection', (error: unknown) => void this.finish('crash', error));
		// Last resort: a process.exit() from anywhere still gives the terminal back.
		this.listen(proc, 'exit', () => this.restore());
		const sink = this.options.consoleSink ?? (() => {});
		for (const method of CONSOLE_METHODS) {
			this.savedConsole[method] = console[method];
			console[method] = (...args: unknown[]) => sink(method, args);
		}
		this.options.stdout.write(ENTER_SEQUENCE);
	}

	/** Puts the terminal back (raw mode off, cursor shown, wrap on, main screen). Idempotent and synchronous. */
	restore(): void {
		if (!this.entered || this.restored) return;
		this.restored = true;
		try {
			if (this.options.stdin.isTTY) this.options.stdin.setRawMode?.(false);
		} catch {
			// stdin may already be closed (SIGHUP)
		}
		try {
			this.options.stdout.write(RESTORE_SEQUENCE);
		} catch {
			// the terminal is gone; nothing left to restore
		}
		for (const method of CONSOLE_METHODS) {
			const saved = this.savedConsole[method];
			if (saved) console[method] = saved;
		}
	}

	/** Every way out goes through here, once. */
	finish(reason: ExitReason, error?: unknown): Promise<number> {
		if (this.finishing) return this.finishing;
		this.finishing = (async () => {
			try {
				this.options.onStop?.();
			} catch {
				// a broken UI must not keep the terminal broken
			}
			this.restore();
			if (reason === 'crash') {
				const text = this.options.describeError?.(error) ?? (error instanceof Error ? error.message : String(error));
				try {
					this.options.stderr.write(`frameio-admin: the console stopped on an error: ${text}\n`);
				} catch {
					// stderr gone
				}
			}
			await Promise.race([
				this.options.onShutdown(reason).catch(() => {}),
				new Promise<void>(resolve => setTimeout(resolve, this.options.shutdownTimeoutMs ?? 5000).unref()),
			]);
			this.unlisten();
			const code = EXIT_CODES[reason];
			this.resolveDone(code);
			return code;
		})();
		return this.finishing;
	}

	private listen(proc: Pick<NodeJS.Process, 'on' | 'off'>, event: string, handler: (...args: never[]) => void): void {
		proc.on(event as 'exit', handler as () => void);
		this.handlers.push([event, handler]);
	}

	private unlisten(): void {
		const proc = this.options.process ?? process;
		for (const [event, handler] of this.handlers) proc.off(event as 'exit', handler as () => void);
		this.handlers.length = 0;
	}
}
