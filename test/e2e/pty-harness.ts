// Runs a command in a real pseudo-terminal (node-pty) and reads its screen through a headless xterm, as a user
// at an 80×24 terminal would see it. After the command exits, the wrapper shell prints the terminal's line
// settings (stty -a), so a test can check that raw mode was turned off, not just that the process ended.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import {testDir} from '../helpers/secret-scan.js';

const {Terminal} = xterm;

export const CLI = path.resolve('dist/cli.js');

export type PtyOptions = {
	cols?: number;
	rows?: number;
	env?: Record<string, string | undefined>;
	cwd?: string;
};

export type PtyExit = {
	exitCode: number;
	/** The command's own exit status, as the wrapper shell saw it. */
	status: number | null;
	/** `stty -a` after the command exited. */
	stty: string;
};

const EXIT_MARK = '__PTY_EXIT__';

const ESC = '\u001B';

export const keys = {
	up: `${ESC}[A`,
	down: `${ESC}[B`,
	right: `${ESC}[C`,
	left: `${ESC}[D`,
	enter: '\r',
	escape: ESC,
	tab: '\t',
	shiftTab: `${ESC}[Z`,
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

export class PtySession {
	readonly term: InstanceType<typeof Terminal>;
	private readonly proc: pty.IPty;
	private rawOutput = '';
	private pendingWrites = 0;
	private saved = false;
	readonly exited: Promise<PtyExit>;

	private constructor(file: string, args: string[], options: PtyOptions) {
		const cols = options.cols ?? 80;
		const rows = options.rows ?? 24;
		this.term = new Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
		// Widths as today's terminals draw them (an emoji is two cells), not xterm's Unicode 6 default.
		this.term.loadAddon(new unicode11.Unicode11Addon());
		this.term.unicode.activeVersion = '11';
		const env: Record<string, string> = {};
		for (const [name, value] of Object.entries({...process.env, TERM: 'xterm-256color', ...options.env})) {
			// CI makes Ink print only a last frame, and the test runner's colour settings are not the user's.
			if (value !== undefined && !['CI', 'CONTINUOUS_INTEGRATION', 'FORCE_COLOR'].includes(name)) env[name] = value;
		}
		// The wrapper reports the exit status and the tty settings after the command ends.
		const script = `"$0" "$@"; status=$?; printf '\\n${EXIT_MARK}%s\\n' "$status"; stty -a`;
		this.proc = pty.spawn('/bin/sh', ['-c', script, file, ...args], {name: 'xterm-256color', cols, rows, cwd: options.cwd ?? process.cwd(), env});
		this.proc.onData(data => {
			this.rawOutput += data;
			this.pendingWrites++;
			this.term.write(data, () => this.pendingWrites--);
		});
		this.exited = new Promise(resolve => {
			this.proc.onExit(({exitCode}) => {
				const mark = this.rawOutput.lastIndexOf(EXIT_MARK);
				const tail = mark >= 0 ? this.rawOutput.slice(mark + EXIT_MARK.length) : '';
				const status = mark >= 0 ? Number.parseInt(tail, 10) : null;
				resolve({exitCode, status: Number.isNaN(status) ? null : status, stty: tail});
				this.saveOutput();
			});
		});
	}

	/** `node <script> ...args` in a fresh pty. */
	static node(script: string, args: string[] = [], options: PtyOptions = {}): PtySession {
		return new PtySession(process.execPath, [script, ...args], options);
	}

	/** The built CLI: `node dist/cli.js ...args`. */
	static cli(args: string[] = [], options: PtyOptions = {}): PtySession {
		return PtySession.node(CLI, args, options);
	}

	/** Everything the program wrote, escapes included. */
	get raw(): string {
		return this.rawOutput;
	}

	get cols(): number {
		return this.term.cols;
	}

	get rows(): number {
		return this.term.rows;
	}

	/** The cell (0-based column) where `text` starts on screen row `row`, -1 when it is not there. */
	columnOf(row: number, text: string): number {
		const line = this.term.buffer.active.getLine(this.term.buffer.active.viewportY + row);
		if (!line) return -1;
		for (let x = 0; x < this.term.cols; x++) {
			if (line.translateToString(false, x, this.term.cols).startsWith(text)) return x;
		}
		return -1;
	}

	/** The visible screen, one string per row (trailing spaces trimmed). */
	screen(): string[] {
		const buffer = this.term.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < this.term.rows; row++) lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		return lines;
	}

	text(): string {
		return this.screen().join('\n');
	}

	/** Whether the alternate screen buffer is showing. */
	altScreen(): boolean {
		return this.term.buffer.active.type === 'alternate';
	}

	/** Cursor visibility, from the last DECTCEM the program sent (xterm's API does not expose it). */
	cursorVisible(): boolean {
		return this.rawOutput.lastIndexOf(`${ESC}[?25l`) <= this.rawOutput.lastIndexOf(`${ESC}[?25h`);
	}

	autoWrap(): boolean {
		return this.term.modes.wraparoundMode;
	}

	write(data: string): void {
		this.proc.write(data);
	}

	/** Text that reaches the terminal from elsewhere (a `wall` message, another program's output), not from the command. */
	strayWrite(text: string): Promise<void> {
		return new Promise(resolve => this.term.write(text, resolve));
	}

	/** Types keys one at a time with a pause, as a person would (and so that each is its own keypress). */
	async press(...sequence: string[]): Promise<void> {
		for (const key of sequence) {
			this.write(key);
			await sleep(60);
		}
	}

	async type(text: string): Promise<void> {
		await this.press(...text);
	}

	resize(cols: number, rows: number): void {
		this.proc.resize(cols, rows);
		this.term.resize(cols, rows);
	}

	kill(signal: NodeJS.Signals = 'SIGTERM'): void {
		this.proc.kill(signal);
	}

	/** Signals the command itself (not the wrapper shell), as `kill PID` from another terminal would. */
	async signalCommand(signal: NodeJS.Signals): Promise<void> {
		const {execFileSync} = await import('node:child_process');
		const children = execFileSync('pgrep', ['-P', String(this.proc.pid)], {encoding: 'utf8'}).trim().split('\n').filter(Boolean);
		for (const pid of children) process.kill(Number(pid), signal);
	}

	async waitFor(check: string | RegExp | ((text: string) => boolean), timeoutMs = 10_000): Promise<string> {
		const test =
			typeof check === 'string' ? (text: string) => text.includes(check) : check instanceof RegExp ? (text: string) => check.test(text) : check;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await this.settled();
			const text = this.text();
			if (test(text)) return text;
			if (Date.now() > deadline) {
				throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(check)}; screen:\n${text}`);
			}
			await sleep(50);
		}
	}

	/** Resolves when xterm has parsed everything received so far. */
	async settled(): Promise<void> {
		while (this.pendingWrites > 0) await sleep(5);
	}

	async waitForExit(timeoutMs = 10_000): Promise<PtyExit> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				this.kill('SIGKILL');
				reject(new Error(`did not exit within ${timeoutMs} ms; screen:\n${this.text()}`));
			}, timeoutMs);
		});
		try {
			const result = await Promise.race([this.exited, timeout]);
			await this.settled();
			return result;
		} finally {
			clearTimeout(timer);
		}
	}

	/** Keeps what the terminal received, for the end-of-run secret scan and for debugging a failure. */
	saveOutput(): void {
		if (this.saved) return;
		this.saved = true;
		writeFileSync(path.join(testDir('pty-output'), 'output.txt'), this.rawOutput);
	}

	dispose(): void {
		this.saveOutput();
		try {
			this.proc.kill('SIGKILL');
		} catch {
			// already gone
		}
		this.term.dispose();
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

/** Raw mode off again: canonical input and echo are back on. */
export function ttySane(stty: string): boolean {
	const words = stty.split(/[\s;]+/);
	return words.includes('icanon') && words.includes('echo') && !words.includes('-icanon') && !words.includes('-echo');
}
