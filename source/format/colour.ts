// Colour for the human output of the subcommands: status words and failures, on a terminal only. Off when piped
// (a file or another program gets plain text) and with NO_COLOR (https://no-color.org), or TERM=dumb. Meaning never
// rides on colour alone: the words are there either way.

export type Tone = 'ok' | 'warn' | 'fail' | 'dim' | 'bold';
export type Paint = (text: string, tone: Tone) => string;

const CODES: Record<Tone, [number, number]> = {ok: [32, 39], warn: [33, 39], fail: [31, 39], dim: [2, 22], bold: [1, 22]};

export const plain: Paint = text => text;
export const ansi: Paint = (text, tone) => `\u001B[${CODES[tone][0]}m${text}\u001B[${CODES[tone][1]}m`;

/** Colour when `stream` is a terminal and the environment does not turn it off. */
export function paintFor(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): Paint {
	if (!stream.isTTY) return plain;
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plain;
	if (env.TERM === 'dumb') return plain;
	return ansi;
}
