// A few lines at the bottom of the terminal rewritten in place with plain ANSI (no Ink, no React: the upload
// commands must start fast). Lines printed "above" scroll away normally; the region is redrawn under them.
// Each live line is cut to the terminal's width, so that no line wraps and the cursor arithmetic stays exact.

export type LiveOutput = NodeJS.WritableStream & {columns?: number};

const ESC = '\u001b[';

export class LiveRegion {
	private drawn = 0;
	private lastFrame = '';

	constructor(private readonly out: LiveOutput) {}

	get columns(): number {
		return Math.max(20, this.out.columns ?? 80);
	}

	/** Prints `above` (permanent lines) and redraws the region with `live`; writes nothing when nothing changed. */
	render(above: string[], live: string[]): void {
		const width = this.columns - 1;
		const frame = live.map(line => cut(line, width)).join('\n');
		if (above.length === 0 && frame === this.lastFrame) return;
		let text = this.eraseSequence();
		for (const line of above) text += `${line}\n`;
		if (live.length > 0) text += `${frame}\n`;
		this.drawn = live.length;
		this.lastFrame = frame;
		this.out.write(text);
	}

	/** Removes the region (before the final lines, or on exit). */
	clear(): void {
		if (this.drawn === 0) return;
		this.out.write(this.eraseSequence());
		this.drawn = 0;
		this.lastFrame = '';
	}

	private eraseSequence(): string {
		// Up to the region's first line, column 0, then erase to the end of the screen.
		return this.drawn > 0 ? `\r${ESC}${this.drawn}A${ESC}J` : '';
	}
}

/** Cuts to width characters (code points), with an ellipsis. */
export function cut(line: string, width: number): string {
	const chars = [...line];
	if (chars.length <= width) return line;
	return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
