// Text that did not come from our own code (names and messages from the API, file names, log lines) made safe for a
// terminal: the one function every surface uses before such text is written.
//
// What a terminal would act on is shown as a visible escape instead, so that nothing a server sends can set the
// window title (OSC `\e]0;…\a`), change colours (`\e[41m`), plant a link (OSC 8), move the cursor, or forge a line:
//   \n \r \t                          the usual names
//   \x00-\x1f, \x7f, \x80-\x9f        other C0 controls, DEL and C1 controls (NEL, CSI …) as \xHH (ESC is \x1b)
//   \u2028 \u2029                     the Unicode line and paragraph separators
//   \u202a-\u202e \u2066-\u2069       bidirectional embeddings, overrides and isolates, which would make a name
//   \u200e \u200f \u061c               read backwards on screen ("Trojan Source")
// One line stays one line, and the escape says what was there. A backslash is left alone: a name that contains
// the four characters `\x1b` reads the same as one that contains ESC, which is ambiguous, but never drives the
// terminal. `--json` output never goes through this: it keeps the exact value.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'};

function escape(char: string): string {
	const named = NAMED[char];
	if (named) return named;
	const code = char.charCodeAt(0);
	return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control, separator and bidi override shown as a visible escape (see above). */
export function printable(text: string): string {
	UNSAFE.lastIndex = 0;
	return UNSAFE.test(text) ? text.replace(UNSAFE, escape) : text;
}

/**
 * Our own message of several lines (a usage error and its hint): the line breaks stay, everything else in each line
 * is made printable. Never for text that came whole from outside: there a newline is data, and forges a line.
 */
export function printableLines(text: string): string {
	return text.split('\n').map(printable).join('\n');
}

/** Whether `text` would reach a terminal unchanged. */
export function isPrintable(text: string): boolean {
	UNSAFE.lastIndex = 0;
	return !UNSAFE.test(text);
}

/** Any value a server sent, as printable text: strings as they are, the rest as JSON would write them. */
export function printableValue(value: unknown): string {
	if (typeof value === 'string') return printable(value);
	if (value === undefined) return 'undefined';
	try {
		return printable(JSON.stringify(value) ?? String(value));
	} catch {
		return printable(String(value));
	}
}
