// Copying to the clipboard of the terminal the user sits at, over SSH and tmux: OSC 52 ("set the selection to this
// base64 text"), which the terminal (or tmux, with set-clipboard on) handles. Nothing runs on this machine; a
// terminal that does not support it ignores the sequence.

const ESC = '\u001B';
const BEL = '\u0007';

/** Terminals cap what they accept (xterm: about 100 000 bytes of base64); an id or a URL is far below. */
export const OSC52_MAX_BYTES = 74_994;

/** The OSC 52 sequence that puts `text` on the clipboard ("c"). */
export function osc52(text: string): string {
	return `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
}

/** What the console can ask of the terminal outside of its frames. */
export type TerminalControl = {
	/** Writes an OSC 52 copy of `text`. */
	copy(text: string): void;
	/** Repaints the whole screen on the next frame (Ctrl-L). */
	redraw(): void;
};
