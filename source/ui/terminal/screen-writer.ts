// What Ink writes to: it receives whole frames (Ink runs in debug mode, which hands over each frame as plain
// text) and paints only the lines that changed, at most `maxFps` times a second. Ink's own full-screen path clears
// and rewrites the whole terminal on every commit, even an identical one; here an identical frame writes nothing,
// so an idle console is silent, and a progress bar that moves rewrites one line.
import {EventEmitter} from 'node:events';

export type TerminalOut = {
	write(chunk: string): unknown;
	on(event: 'resize', listener: () => void): unknown;
	off(event: 'resize', listener: () => void): unknown;
	columns?: number;
	rows?: number;
};

const ESC = '\u001B';
const SYNC_BEGIN = `${ESC}[?2026h`;
const SYNC_END = `${ESC}[?2026l`;
const RESET = `${ESC}[0m`;
const CLEAR_SCREEN = `${ESC}[H${ESC}[2J`;

// Cursor movement and erasing: Ink's bookkeeping writes (cursor show/hide, line erase on shrink), never a frame.
const CONTROL = /\u001B\[[0-9;?<>=]*[A-Za-ln-z@`]/;

export type ScreenWriterStats = {frames: number; paints: number; bytes: number};

export class ScreenWriter extends EventEmitter {
	readonly isTTY = true;
	readonly writable = true;
	private painted: string[] | null = null;
	private pending: string | null = null;
	private timer: NodeJS.Timeout | null = null;
	private lastPaintAt = -Infinity;
	private readonly minFrameMs: number;
	private disposed = false;
	private readonly stat: ScreenWriterStats = {frames: 0, paints: 0, bytes: 0};
	private readonly onResize = () => {
		this.invalidate();
		this.emit('resize');
	};

	constructor(
		private readonly out: TerminalOut,
		options: {maxFps: number},
	) {
		super();
		this.minFrameMs = 1000 / Math.max(1, options.maxFps);
		out.on('resize', this.onResize);
	}

	get columns(): number {
		return this.out.columns || 80;
	}

	get rows(): number {
		return this.out.rows || 24;
	}

	stats(): ScreenWriterStats {
		return {...this.stat};
	}

	/** Ink's write: a frame, or bookkeeping we ignore (the session owns the cursor and the screen). */
	write(chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean {
		const done = typeof encoding === 'function' ? encoding : callback;
		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		if (text !== '' && !CONTROL.test(text) && !this.disposed) {
			this.stat.frames++;
			this.pending = text;
			if (this.expedited) {
				this.expedited = false;
				this.flush();
			} else this.schedule();
		}
		done?.(null);
		return true;
	}

	/** The next paint redraws everything (resize, or after something else wrote to the terminal). */
	invalidate(): void {
		this.painted = null;
		if (this.pending === null && this.lastFrame !== null) this.pending = this.lastFrame;
		this.schedule();
	}

	/**
	 * The next frame answers a key: paint it as soon as it arrives, outside the frame-rate limit. Someone reading
	 * the screen waits for that one; the limit is for progress bars and spinners.
	 */
	expedite(): void {
		this.expedited = true;
	}

	/** Paints a pending frame now. */
	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.paint();
	}

	dispose(): void {
		this.disposed = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.out.off('resize', this.onResize);
	}

	private lastFrame: string | null = null;
	private expedited = false;

	private schedule(): void {
		if (this.timer || this.disposed) return;
		const wait = this.lastPaintAt + this.minFrameMs - Date.now();
		if (wait <= 0) {
			this.paint();
			return;
		}
		this.timer = setTimeout(() => {
			this.timer = null;
			this.paint();
		}, wait);
	}

	private paint(): void {
		const frame = this.pending;
		this.pending = null;
		if (frame === null || this.disposed) return;
		this.lastFrame = frame;
		const lines = frame.split('\n').slice(0, this.rows);
		const previous = this.painted;
		let out = previous === null ? CLEAR_SCREEN : '';
		const count = Math.max(lines.length, previous?.length ?? 0);
		for (let row = 0; row < count; row++) {
			const line = lines[row] ?? '';
			if (previous !== null ? previous[row] === line : line === '') continue;
			// Erase before writing: erasing after a full-width line would eat its last character.
			out += `${ESC}[${row + 1};1H${RESET}${ESC}[2K${line}${RESET}`;
		}
		this.painted = lines;
		this.lastPaintAt = Date.now();
		if (out === '') return;
		const payload = SYNC_BEGIN + out + SYNC_END;
		this.stat.paints++;
		this.stat.bytes += Buffer.byteLength(payload);
		this.out.write(payload);
	}
}
